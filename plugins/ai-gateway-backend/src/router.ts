import type {
  AuthService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { isError, NotFoundError, serializeError } from '@backstage/errors';
import {
  budgetSchema,
  heartbeatSchema,
  installReportSchema,
  resourceKindOfPlural,
  resourceKinds,
  summarizeIssues,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
} from 'express';
import Router from 'express-promise-router';
import type { z } from 'zod';
import { addBudgetRoutes } from './budgets/budgetRoutes';
import type { BudgetService } from './budgets/BudgetService';
import { addContractRoutes } from './contracts/contractRoutes';
import type { McpContractService } from './contracts/McpContractService';
import { addDeliveryRoutes } from './delivery/deliveryRoutes';
import type { PoolDeliveryService } from './delivery/PoolDeliveryService';
import { createOpenApiRouter } from './schema/openapi';
import { requestInputIssues } from './schema/requestInput';
import type { UsageReportService } from './usageApi/UsageReportService';
import { addUsageRoutes } from './usageApi/usageRoutes';
import type { McpRegistryService } from './mcpRegistry/McpRegistryService';
import { addMcpRegistryRoutes } from './mcpRegistry/mcpRegistryRoutes';
import type { McpRegistrySources } from './mcpRegistry/McpRegistrySources';
import { addMcpRegistrySourceRoutes } from './mcpRegistry/mcpRegistrySourceRoutes';
import { domainIssues, validatorIssues } from './schema/validationIssues';
import { invalidInput, issuesOf } from './service/errors';
import type {
  Caller,
  Page,
  ResourceService,
  ResourceView,
} from './service/ResourceService';

/** Set on the response of a request the validated router let through. */
const VALIDATED = 'aiGatewayRequestValidated';

/** The validated router's body parser: ours has run already. */
const alreadyParsed: RequestHandler = (_req, _res, next) => next();

/**
 * Refuses what no schema sees (NUL characters, the key `__proto__`, deep
 * nesting; see requestInput.ts) before the validated router runs.
 */
const refuseUnstorableInput: RequestHandler = (req, _res, next) => {
  const issues = requestInputIssues(req);
  if (issues.length > 0) {
    throw invalidInput(`Invalid request: ${summarizeIssues(issues)}`, issues);
  }
  next();
};

/** The status of an error that names its fields. */
const STATUS_WITH_ISSUES: Record<string, number> = {
  InputError: 400,
  NotFoundError: 404,
  ConflictError: 409,
  UnprocessableError: 422,
};

/** Paging parameters, as the validated router let them through (limit 1-500). */
function page(limit: unknown, cursor: unknown) {
  return {
    limit: limit === undefined ? 50 : Number(limit),
    cursor: typeof cursor === 'string' ? cursor : undefined,
  };
}

/**
 * The domain schema a write route's body must match, and the body as the
 * service validates it (an update's name comes from the URL).
 */
function bodyOf(
  req: Request,
): { schema: z.ZodType; body: unknown } | undefined {
  if (req.method === 'POST' && req.path === '/agent/v1/heartbeat') {
    return { schema: heartbeatSchema, body: req.body };
  }
  if (
    req.method === 'POST' &&
    /^\/pools\/[^/]+\/install-report$/.test(req.path)
  ) {
    return { schema: installReportSchema, body: req.body };
  }
  const [, plural, name, more] = req.path.split('/');
  if (plural === 'budgets' && more === undefined) {
    if (req.method === 'POST' && name === undefined) {
      return { schema: budgetSchema, body: req.body };
    }
    if (req.method !== 'PUT' || !name) return undefined;
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return { schema: budgetSchema, body };
    }
    const { version, ...spec } = body;
    return { schema: budgetSchema, body: { ...spec, name: decoded(name) } };
  }
  const kind = plural ? resourceKindOfPlural(plural) : undefined;
  if (!kind || more !== undefined) return undefined;
  const { schema } = resourceKinds[kind];
  if (req.method === 'POST' && name === undefined) {
    return { schema, body: req.body };
  }
  if (req.method !== 'PUT' || !name) return undefined;
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { schema, body };
  }
  const { version, ...spec } = body;
  return { schema, body: { ...spec, name: decoded(name) } };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Field-level errors keep their `issues` in the body: the validated router's
 * refusals, the service's 400s and 422s, and malformed JSON. Everything else
 * goes on to Backstage's handler.
 */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  const reply = (status: number, body: Record<string, unknown>) => {
    delete body.stack;
    res.status(status).json({
      error: body,
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };

  if (error?.type === 'entity.parse.failed') {
    reply(400, {
      name: 'InputError',
      message: 'The request body is not valid JSON',
      issues: [{ field: 'body', message: 'is not valid JSON' }],
    });
    return;
  }
  if (error?.type === 'entity.too.large') {
    reply(413, {
      name: 'PayloadTooLargeError',
      message: 'The request body is larger than 1 MB',
      issues: [{ field: 'body', message: 'is larger than 1 MB' }],
    });
    return;
  }
  const name = isError(error) ? error.name : undefined;
  const named = issuesOf(error) ?? notFoundIssues(error, req);
  const status = name ? STATUS_WITH_ISSUES[name] : undefined;
  if (named && status) {
    reply(status, { ...serializeError(error), issues: named });
    return;
  }
  if (name === 'InputError' && !res.locals[VALIDATED]) {
    // Refused by the validated router. Body problems are described by the
    // domain schema the document was generated from: its messages say more
    // (which unknown field, why a field is required) than the validator's.
    const issues = validatorIssues(error.message, () => {
      const write = bodyOf(req);
      return write && domainIssues(write.schema, write.body);
    });
    reply(400, {
      name: 'InputError',
      message: `Invalid request: ${summarizeIssues(issues)}`,
      issues,
    });
    return;
  }
  next(error);
};

/**
 * A 404 of `/{kind}/{name}/...` is about the object the path names: the
 * `name` parameter.
 */
function notFoundIssues(error: unknown, req: Request) {
  if (!(error instanceof NotFoundError)) return undefined;
  const [, plural, name] = req.path.split('/');
  if (!name || !(resourceKindOfPlural(plural) || plural === 'budgets')) {
    return undefined;
  }
  return [
    { field: 'name', message: 'names no object you can see (or none at all)' },
  ];
}

/**
 * Translates HTTP to the resource service: paths, query strings, status codes
 * and error bodies. No rules live here. Requests are checked against the
 * OpenAPI document (src/schema/openapi.yaml) before they reach a handler.
 */
export async function createRouter(options: {
  resources: ResourceService;
  delivery?: PoolDeliveryService;
  budgets?: BudgetService;
  usage?: UsageReportService;
  mcpRegistry?: McpRegistryService;
  mcpRegistrySources?: McpRegistrySources;
  contracts?: McpContractService;
  httpAuth: HttpAuthService;
  auth: AuthService;
}): Promise<express.Router> {
  const { resources, httpAuth, auth } = options;
  const router = Router();
  // Bodies are parsed out here: inside the validated router a parse error
  // would reach us as a generic InputError, losing its 413 or its field.
  router.use(express.json({ limit: '1mb' }));
  router.use(refuseUnstorableInput);

  const api: express.Router = await createOpenApiRouter({
    middleware: [alreadyParsed],
    // The operator authenticates with its pool token, which the service checks.
    validatorOptions: { validateSecurity: false },
  });
  api.use((_req, res, next) => {
    res.locals[VALIDATED] = true;
    next();
  });
  router.use(api);

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

    api.get(base, async (req, res) => {
      const { limit, cursor, ...filters } = req.query;
      sendJson(
        res,
        200,
        await resources.list(
          kind,
          {
            ...page(limit, cursor),
            filters: filters as Record<string, string>,
          },
          await caller(req),
        ),
      );
    });

    api.post(base, async (req, res) => {
      const { object, enrollmentToken } = await resources.create(
        kind,
        req.body,
        await caller(req),
      );
      res.location(`${req.baseUrl}${base}/${object.name}`);
      sendJson(
        res,
        201,
        object,
        enrollmentToken ? { enrollmentToken } : undefined,
      );
    });

    api.get(`${base}/:name`, async (req, res) => {
      sendJson(
        res,
        200,
        await resources.get(kind, req.params.name, await caller(req)),
      );
    });

    api.put(`${base}/:name`, async (req, res) => {
      const { version, ...spec } = req.body as { version?: number };
      const ifMatch = req.header('if-match')?.replace(/^W\/|"/g, '');
      sendJson(
        res,
        200,
        await resources.update(
          kind,
          req.params.name,
          spec,
          version ?? (ifMatch ? Number(ifMatch) : undefined),
          await caller(req),
        ),
      );
    });

    api.delete(`${base}/:name`, async (req, res) => {
      const cascade = String(req.query.cascade) === 'true';
      res.json(
        await resources.delete(
          kind,
          req.params.name,
          { cascade },
          await caller(req),
        ),
      );
    });

    api.get(`${base}/:name/events`, async (req, res) => {
      res.json(
        await resources.events(
          kind,
          req.params.name,
          page(req.query.limit, req.query.cursor),
          await caller(req),
        ),
      );
    });
  }

  api.post('/pools/:name/enrollment-token', async (req, res) => {
    res
      .status(201)
      .json(
        await resources.rotateEnrollmentToken(
          req.params.name,
          await caller(req),
        ),
      );
  });

  api.post('/pools/:name/install-report', async (req, res) => {
    res
      .status(201)
      .json(
        await resources.reportInstall(
          req.params.name,
          req.body,
          await caller(req),
        ),
      );
  });

  if (options.delivery) {
    addDeliveryRoutes(api, { delivery: options.delivery, caller });
  }
  if (options.budgets) {
    addBudgetRoutes(api, { budgets: options.budgets, caller });
  }
  if (options.usage) {
    addUsageRoutes(api, { usage: options.usage, caller });
  }
  if (options.mcpRegistry) {
    addMcpRegistryRoutes(api, { registry: options.mcpRegistry, caller });
  }
  if (options.mcpRegistrySources) {
    addMcpRegistrySourceRoutes(api, {
      sources: options.mcpRegistrySources,
      caller,
    });
  }
  if (options.contracts) {
    addContractRoutes(api, { contracts: options.contracts, caller });
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
          body.nextCursor
            ? `,"nextCursor":${JSON.stringify(body.nextCursor)}`
            : ''
        }}`
      : viewJson(body, extra);
  const bytes = Buffer.from(text, 'utf8');
  // res.end, not res.send: no ETag hashing of every list page.
  res
    .status(status)
    .set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(bytes.length),
    })
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
  return `${head.slice(0, -1)},"spec":${
    view.specJson ?? JSON.stringify(view.spec)
  }}`;
}
