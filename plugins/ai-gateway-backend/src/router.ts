import type {
  AuthService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { serializeError } from '@backstage/errors';
import {
  resourceKinds,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import express, { type ErrorRequestHandler, type Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { kindTables } from './database/tables';
import { addDeliveryRoutes } from './delivery/deliveryRoutes';
import type { PoolDeliveryService } from './delivery/PoolDeliveryService';
import { UnprocessableError, ValidationError } from './service/errors';
import type {
  Caller,
  Page,
  ResourceService,
  ResourceView,
} from './service/ResourceService';

const pagingSchema = {
  limit: z.coerce
    .number()
    .int()
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(50),
  cursor: z.string().min(1).optional(),
};

const eventsQuerySchema = z.object(pagingSchema).strict();

const deleteQuerySchema = z
  .object({
    cascade: z
      .enum(['true', 'false'], { message: "cascade must be 'true' or 'false'" })
      .default('false')
      .transform(v => v === 'true'),
  })
  .strict();

const versionSchema = z.coerce
  .number({ message: 'version must be a number' })
  .int()
  .min(1)
  .optional();

/**
 * Field-level errors keep their `issues` in the body; malformed JSON is a 400
 * like any other bad input. Everything else goes on to Backstage's handler.
 */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  let status: number | undefined;
  let body: Record<string, unknown> | undefined;
  if (error instanceof ValidationError || error instanceof UnprocessableError) {
    status = error instanceof ValidationError ? 400 : 422;
    body = { ...serializeError(error), issues: error.issues };
  } else if (error?.type === 'entity.parse.failed') {
    status = 400;
    body = {
      name: 'ValidationError',
      message: 'The request body is not valid JSON',
      issues: [{ field: 'body', message: 'is not valid JSON' }],
    };
  } else if (error?.type === 'entity.too.large') {
    status = 413;
    body = { name: 'PayloadTooLargeError', message: 'The request body is larger than 1 MB' };
  }
  if (!status || !body) {
    next(error);
    return;
  }
  delete body.stack;
  res.status(status).json({
    error: body,
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: status },
  });
};

/**
 * Translates HTTP to the resource service: paths, query strings, status codes
 * and error bodies. No rules live here.
 */
export async function createRouter(options: {
  resources: ResourceService;
  delivery?: PoolDeliveryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
}): Promise<express.Router> {
  const { resources, httpAuth, auth } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const caller = async (req: Request): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const actor = auth.isPrincipal(credentials, 'user')
      ? credentials.principal.userEntityRef
      : `service:${(credentials.principal as { subject: string }).subject}`;
    return { credentials, actor, request: req };
  };

  for (const kind of Object.keys(resourceKinds) as ResourceKind[]) {
    const base = `/${resourceKinds[kind].plural}`;
    const listQuery = listQuerySchema(kind);

    router.get(base, async (req, res) => {
      const { limit, cursor, ...filters } = parse(listQuery, req.query, 'query');
      sendJson(
        res,
        200,
        await resources.list(
          kind,
          { limit, cursor, filters: filters as Record<string, string> },
          await caller(req),
        ),
      );
    });

    router.post(base, async (req, res) => {
      const { object, enrollmentToken } = await resources.create(
        kind,
        req.body,
        await caller(req),
      );
      res.location(`${req.baseUrl}${base}/${object.name}`);
      sendJson(res, 201, object, enrollmentToken ? { enrollmentToken } : undefined);
    });

    router.get(`${base}/:name`, async (req, res) => {
      sendJson(res, 200, await resources.get(kind, req.params.name, await caller(req)));
    });

    router.put(`${base}/:name`, async (req, res) => {
      const { version, ...body } = (
        typeof req.body === 'object' && req.body && !Array.isArray(req.body)
          ? req.body
          : { version: undefined }
      ) as { version?: unknown };
      const expectedVersion = parse(
        versionSchema,
        version ?? req.header('if-match')?.replace(/^W\/|"/g, ''),
        'version',
      );
      sendJson(
        res,
        200,
        await resources.update(
          kind,
          req.params.name,
          Array.isArray(req.body) ? req.body : body,
          expectedVersion,
          await caller(req),
        ),
      );
    });

    router.delete(`${base}/:name`, async (req, res) => {
      const { cascade } = parse(deleteQuerySchema, req.query, 'query');
      res.json(
        await resources.delete(
          kind,
          req.params.name,
          { cascade },
          await caller(req),
        ),
      );
    });

    router.get(`${base}/:name/events`, async (req, res) => {
      const { limit, cursor } = parse(eventsQuerySchema, req.query, 'query');
      res.json(
        await resources.events(
          kind,
          req.params.name,
          { limit, cursor },
          await caller(req),
        ),
      );
    });
  }

  router.post('/pools/:name/enrollment-token', async (req, res) => {
    res
      .status(201)
      .json(
        await resources.rotateEnrollmentToken(
          req.params.name,
          await caller(req),
        ),
      );
  });

  if (options.delivery) {
    addDeliveryRoutes(router, { delivery: options.delivery, caller, parse });
  }

  router.use(errorHandler);
  return router;
}

/**
 * Writes objects and pages of objects as JSON, embedding each object's stored
 * JSON text instead of parsing and re-serialising it (the bulk of the work
 * of a list request otherwise).
 */
function sendJson(
  res: express.Response,
  status: number,
  body: ResourceView | Page<ResourceView>,
  extra?: Record<string, string>,
) {
  const text =
    'items' in body
      ? `{"items":[${body.items.map(v => viewJson(v)).join(',')}]${
          body.nextCursor ? `,"nextCursor":${JSON.stringify(body.nextCursor)}` : ''
        }}`
      : viewJson(body, extra);
  const bytes = Buffer.from(text, 'utf8');
  // res.end, not res.send: no ETag hashing of every list page.
  res
    .status(status)
    .set({ 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes.length) })
    .end(bytes);
}

function viewJson(view: ResourceView, extra?: Record<string, string>): string {
  const head = JSON.stringify({
    kind: view.kind,
    name: view.name,
    project: view.project,
    version: view.version,
    createdAt: view.createdAt,
    createdBy: view.createdBy,
    updatedAt: view.updatedAt,
    updatedBy: view.updatedBy,
    ...(view.derived ? { derived: view.derived } : {}),
    ...extra,
  });
  return `${head.slice(0, -1)},"spec":${view.specJson ?? JSON.stringify(view.spec)}}`;
}

function listQuerySchema(kind: ResourceKind) {
  const filters = Object.fromEntries(
    Object.keys(kindTables[kind].filters).map(f => [f, z.string().min(1).optional()]),
  );
  return z.object({ ...pagingSchema, ...filters }).strict();
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map(issue => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    return {
      field: unknownKeys ? unknownKeys.join(', ') : issue.path.join('.') || where,
      message: unknownKeys
        ? `unknown ${where} parameter${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys
            .map(k => `'${k}'`)
            .join(', ')}`
        : issue.message,
    };
  });
  throw new ValidationError(
    `Invalid ${where}: ${issues.map(i => i.message).join('; ')}`,
    issues,
  );
}
