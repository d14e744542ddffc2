import {
  agentBundleSchema,
  aiGatewayKinds,
  budgetDeleteResultSchema,
  budgetListSchema,
  budgetObjectSchema,
  budgetSchema,
  budgetStateSchema,
  conditionSchema,
  deleteResultSchema,
  deployerRoleSchema,
  enrollmentTokenSchema,
  errorResponseSchema,
  fleetEntrySchema,
  gitopsFilesSchema,
  heartbeatResponseSchema,
  heartbeatSchema,
  installReportResultSchema,
  installReportSchema,
  liveDiffSchema,
  manifestBundleSchema,
  pageSchema,
  poolRequestResultSchema,
  poolStatusSchema,
  resourceEventSchema,
  resourceObjectSchema,
  type ResourceKind,
  usageDimensions,
  usageMeasures,
  usageRanges,
  usageStatusSchema,
  usageTimeSeriesSchema,
  usageTotalsSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { stringify } from 'yaml';
import { z } from 'zod';
import { kindTables } from '../database/tables';
import { MAX_CURSOR_LENGTH } from '../service/cursors';

/**
 * The OpenAPI 3.1 document of the REST API (`src/schema/openapi.yaml`).
 *
 * Paths, parameters and status codes are written here; every object schema
 * is generated from the zod schemas of plugin-ai-gateway-common (requests in
 * their input form, responses in their output form), so the document cannot
 * drift from the model the service validates with. The CRUD paths are built
 * from the same kind list and filter table as the router.
 *
 * `npm run generate:openapi` writes the YAML and regenerates the server and
 * client code from it; a test fails when the YAML is out of date.
 */

type Json = Record<string, any>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const yamlText = { 'application/yaml': { schema: { type: 'string' } } };

/** The name of a kind in operation ids and schema names: Pool, McpServer... */
const typeName = (kind: ResourceKind) => kind[0].toUpperCase() + kind.slice(1);
/** mcp-servers -> McpServers. */
const pluralName = (plural: string) =>
  plural.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase());

// --- component schemas, generated from zod --------------------------------------

/** Schemas of request bodies (what clients send: defaults may be left out). */
function requestSchemas(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {
    HeartbeatInput: heartbeatSchema,
    InstallReportInput: installReportSchema,
    BudgetInput: budgetSchema,
  };
  for (const { kind, schema } of aiGatewayKinds)
    out[`${typeName(kind)}Input`] = schema;
  return out;
}

/** Schemas of responses (what the control plane stores and answers). */
function responseSchemas(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const { kind, schema } of aiGatewayKinds) {
    const name = typeName(kind);
    const object = resourceObjectSchema(kind, schema);
    out[name] = schema;
    out[`${name}Object`] = object;
    out[`${name}Page`] = pageSchema(object);
    if (kind === 'pool') {
      out.PoolCreated = object.extend({
        enrollmentToken: z
          .string()
          .describe(
            "The operator's enrollment token: shown once, only its hash is stored",
          ),
      });
    }
  }
  Object.assign(out, {
    ResourceEventPage: pageSchema(resourceEventSchema),
    DeleteResult: deleteResultSchema,
    EnrollmentToken: enrollmentTokenSchema,
    ManifestBundle: manifestBundleSchema,
    LiveDiff: liveDiffSchema,
    GitopsFiles: gitopsFilesSchema,
    DeployerRole: deployerRoleSchema,
    // Named, so that the pool status and the fleet share one Condition model.
    Condition: conditionSchema,
    PoolStatus: poolStatusSchema,
    PoolRequestResult: poolRequestResultSchema,
    InstallReport: installReportResultSchema,
    FleetEntry: fleetEntrySchema,
    Fleet: z.object({ items: z.array(fleetEntrySchema) }),
    HeartbeatResponse: heartbeatResponseSchema,
    AgentBundle: agentBundleSchema,
    ErrorResponse: errorResponseSchema,
    UsageStatus: usageStatusSchema,
    UsageTotals: usageTotalsSchema,
    UsageTimeSeries: usageTimeSeriesSchema,
    Budget: budgetSchema,
    BudgetObject: budgetObjectSchema,
    BudgetList: budgetListSchema,
    BudgetState: budgetStateSchema,
    BudgetDeleteResult: budgetDeleteResultSchema,
  });
  return out;
}

/**
 * JSON Schemas of named zod schemas, referring to each other by
 * `#/components/schemas/<name>`.
 */
function toJsonSchemas(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas))
    registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Refinements (and a transform's output) have no JSON Schema: the rest is
    // documented, the service checks them.
    unrepresentable: 'any',
    uri: id => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const id of Object.keys(schemas)) {
    const { $schema, $id, ...schema } = generated[id] as Json;
    out[id] = timesAsStrings(schema);
  }
  return out;
}

/**
 * Drops `format: date-time` (the pattern stays): the generated TypeScript
 * client would type such fields as Date, while JSON carries ISO strings.
 */
function timesAsStrings(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(timesAsStrings);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' && value === 'date-time') continue;
    out[key] = timesAsStrings(value);
  }
  if (schema.format === 'date-time' && !out.description)
    out.description = 'ISO-8601 time';
  return out;
}

/** The body of PUT: the input schema plus `version`; the name comes from the URL. */
function updateSchema(input: Json): Json {
  return {
    ...input,
    properties: {
      ...input.properties,
      version: {
        type: 'integer',
        minimum: 1,
        maximum: 2147483647,
        description: 'The version the change is based on (or send If-Match)',
      },
    },
    required: (input.required as string[]).filter(p => p !== 'name'),
  };
}

function componentSchemas(): Record<string, Json> {
  const requests = toJsonSchemas(requestSchemas(), 'input');
  const answers = toJsonSchemas(responseSchemas(), 'output');
  const out: Record<string, Json> = { ...requests, ...answers };
  for (const { kind } of aiGatewayKinds) {
    out[`${typeName(kind)}Update`] = updateSchema(
      requests[`${typeName(kind)}Input`],
    );
  }
  out.BudgetUpdate = updateSchema(requests.BudgetInput);
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map(k => [k, out[k]]),
  );
}

// --- parameters and responses ------------------------------------------------------

const parameters = {
  name: {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string' },
  },
  limit: {
    name: 'limit',
    in: 'query',
    description: 'Page size',
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
  cursor: {
    name: 'cursor',
    in: 'query',
    description:
      'The `nextCursor` of the previous page of the same list, unchanged: cursors are opaque, and any other value is refused (400)',
    schema: { type: 'string', minLength: 1, maxLength: MAX_CURSOR_LENGTH },
  },
  cascade: {
    name: 'cascade',
    in: 'query',
    description: 'Also delete what depends on the object (children first)',
    schema: { type: 'boolean', default: false },
  },
  ifMatch: {
    name: 'If-Match',
    in: 'header',
    description:
      'The version the change is based on, instead of `version` in the body',
    schema: { type: 'string', pattern: '^(W/)?"?[1-9][0-9]*"?$' },
  },
  format: {
    name: 'format',
    in: 'query',
    description: '`yaml`: multi-document YAML for `kubectl apply -f`',
    schema: { type: 'string', enum: ['json', 'yaml'], default: 'json' },
  },
  diff: {
    name: 'diff',
    in: 'query',
    description:
      '`live`: what applying the bundle would change (against the cluster for direct pools, against the revision the operator reports running otherwise)',
    schema: { type: 'string', enum: ['live'] },
  },
  wait: {
    name: 'wait',
    in: 'query',
    description:
      'With If-None-Match: seconds to wait for a change before answering 304',
    schema: { type: 'number', minimum: 0, maximum: 60, default: 0 },
  },
  ifNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    description: 'The revision the operator runs (`"sha256:..."`)',
    schema: { type: 'string' },
  },
};
const param = (name: keyof typeof parameters) => ({
  $ref: `#/components/parameters/${name}`,
});

const errorResponses = {
  BadRequest:
    'Invalid input: `error.issues` names each field (`body` when the body is not JSON)',
  Unauthorized:
    'No valid Backstage token (or, for the operator, pool enrollment token)',
  Forbidden: 'The caller may see the object but not change it',
  NotFound: 'No such object, or the caller may not see it',
  Conflict:
    "A duplicate, a stale version, or dependents in the way; for what renders the bundle, no renderer module for the pool's gateway is installed (the message names it)",
  ServiceUnavailable:
    'The Kubernetes API server of a direct pool cannot be reached; for usage, no Prometheus is configured or it cannot be queried (the message says which)',
  PayloadTooLarge: 'The body is larger than 1 MB',
  UnprocessableEntity:
    'A reference to a missing object (or one of another project): `error.issues` names the field',
};
type ErrorResponseName = keyof typeof errorResponses;
const errorStatus: Record<ErrorResponseName, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnprocessableEntity: 422,
  ServiceUnavailable: 503,
};

function responses(
  success: Record<number, Json>,
  ...errors: ErrorResponseName[]
) {
  const out: Record<string, Json> = {};
  for (const [status, response] of Object.entries(success))
    out[status] = response;
  // Any request can be malformed (encoding, unknown query parameters) or unauthenticated.
  for (const e of new Set<ErrorResponseName>([
    'BadRequest',
    'Unauthorized',
    ...errors,
  ])) {
    out[errorStatus[e]] = { $ref: `#/components/responses/${e}` };
  }
  return out;
}

const ok = (description: string, schema: string, extra: Json = {}) => ({
  description,
  content: json(ref(schema)),
  ...extra,
});

const etag = {
  ETag: { description: 'The bundle revision', schema: { type: 'string' } },
};

// --- paths -----------------------------------------------------------------------------

function kindPaths(): Json {
  const paths: Json = {};
  for (const { kind, plural, title } of aiGatewayKinds) {
    const name = typeName(kind);
    const plurals = pluralName(plural);
    // 'a pool', 'an MCP server': acronyms keep their case, the article goes by the sound.
    const lower = /^[A-Z]{2}/.test(title) ? title : title.toLowerCase();
    const a = /^(AI|MCP)\b/.test(lower) ? 'an' : 'a';
    const filters = Object.keys(kindTables[kind].filters).map(filter => ({
      name: filter,
      in: 'query',
      description: `Only ${lower}s with this ${filter}`,
      schema: { type: 'string', minLength: 1 },
    }));
    paths[`/${plural}`] = {
      get: {
        operationId: `list${plurals}`,
        summary: `A page of the ${lower}s the caller may see`,
        parameters: [param('limit'), param('cursor'), ...filters],
        responses: responses({ 200: ok('A page', `${name}Page`) }),
      },
      post: {
        operationId: `create${name}`,
        summary: `Create ${a} ${lower}`,
        requestBody: { required: true, content: json(ref(`${name}Input`)) },
        responses: responses(
          {
            201: ok(
              kind === 'pool'
                ? 'Created; the response carries the operator enrollment token, shown only this once'
                : 'Created',
              kind === 'pool' ? 'PoolCreated' : `${name}Object`,
              {
                headers: {
                  Location: {
                    description: 'The new object',
                    schema: { type: 'string' },
                  },
                },
              },
            ),
          },
          'Forbidden',
          'Conflict',
          'PayloadTooLarge',
          ...(kind === 'project' ? [] : (['UnprocessableEntity'] as const)),
        ),
      },
    };
    paths[`/${plural}/{name}`] = {
      parameters: [param('name')],
      get: {
        operationId: `get${name}`,
        summary: `Read ${a} ${lower}`,
        responses: responses(
          { 200: ok(`The ${lower}`, `${name}Object`) },
          'NotFound',
        ),
      },
      put: {
        operationId: `update${name}`,
        summary: `Replace ${a} ${lower} (optimistic concurrency: send the version you read)`,
        parameters: [param('ifMatch')],
        requestBody: { required: true, content: json(ref(`${name}Update`)) },
        responses: responses(
          { 200: ok(`The ${lower}, version + 1`, `${name}Object`) },
          'Forbidden',
          'NotFound',
          'Conflict',
          'PayloadTooLarge',
          ...(kind === 'project' ? [] : (['UnprocessableEntity'] as const)),
        ),
      },
      delete: {
        operationId: `delete${name}`,
        summary: `Delete ${a} ${lower}; 409 while other objects depend on it, unless cascade=true`,
        parameters: [param('cascade')],
        responses: responses(
          { 200: ok('What was deleted', 'DeleteResult') },
          'Forbidden',
          'NotFound',
          'Conflict',
        ),
      },
    };
    paths[`/${plural}/{name}/events`] = {
      parameters: [param('name')],
      get: {
        operationId: `list${name}Events`,
        summary: `The ${lower}'s event log, newest first (kept after the object is deleted)`,
        parameters: [param('limit'), param('cursor')],
        responses: responses(
          { 200: ok('A page of events', 'ResourceEventPage') },
          'NotFound',
        ),
      },
    };
  }
  return paths;
}

function poolPaths(): Json {
  const pool = [param('name')];
  return {
    '/pools/{name}/enrollment-token': {
      parameters: pool,
      post: {
        operationId: 'rotatePoolEnrollmentToken',
        summary:
          'Issue a new operator enrollment token; the previous one stops working',
        responses: responses(
          { 201: ok('The new token, shown only this once', 'EnrollmentToken') },
          'Forbidden',
          'NotFound',
        ),
      },
    },
    '/pools/{name}/install-report': {
      parameters: pool,
      post: {
        operationId: 'reportPoolInstall',
        summary:
          "Record how an install of the pool ended (installed, awaiting-install, install-failed) in the pool's event log; needs the right to change the pool",
        requestBody: {
          required: true,
          content: json(ref('InstallReportInput')),
        },
        responses: responses(
          { 201: ok('The event recorded', 'InstallReport') },
          'Forbidden',
          'NotFound',
          'PayloadTooLarge',
        ),
      },
    },
    '/pools/{name}/manifests': {
      parameters: pool,
      get: {
        operationId: 'getPoolManifests',
        summary:
          "The pool's rendered bundle, as JSON or YAML, or what applying it would change",
        parameters: [param('format'), param('diff')],
        responses: responses(
          {
            200: {
              description:
                'The bundle (`ETag`: its revision); with `format=yaml` as YAML; with `diff=live` the diff',
              headers: etag,
              content: {
                ...json({ oneOf: [ref('ManifestBundle'), ref('LiveDiff')] }),
                ...yamlText,
              },
            },
          },
          'NotFound',
          'Conflict',
          'ServiceUnavailable',
        ),
      },
    },
    '/pools/{name}/gitops': {
      parameters: pool,
      get: {
        operationId: 'getPoolGitops',
        summary: 'The bundle as a kustomize directory (Argo CD, Flux)',
        responses: responses(
          {
            200: ok(
              'One YAML file per object and a kustomization.yaml',
              'GitopsFiles',
            ),
          },
          'NotFound',
          'Conflict',
        ),
      },
    },
    '/pools/{name}/rbac/deployer-role': {
      parameters: pool,
      get: {
        operationId: 'getPoolDeployerRole',
        summary: 'The namespace-scoped Role a person needs to install the pool',
        parameters: [param('format')],
        responses: responses(
          {
            200: {
              description: 'The Role, as JSON or YAML',
              content: { ...json(ref('DeployerRole')), ...yamlText },
            },
          },
          'NotFound',
        ),
      },
    },
    '/pools/{name}/status': {
      parameters: pool,
      get: {
        operationId: 'getPoolStatus',
        summary:
          "The pool's phase, conditions, desired revision and last heartbeat",
        responses: responses(
          { 200: ok('The status', 'PoolStatus') },
          'NotFound',
          'Conflict',
        ),
      },
    },
    '/pools/{name}/sync': {
      parameters: pool,
      post: {
        operationId: 'syncPool',
        summary:
          'Force sync: direct pools are reconciled now, agent pools on their next poll (woken at once)',
        responses: responses(
          { 202: ok('Requested', 'PoolRequestResult') },
          'Forbidden',
          'NotFound',
          'Conflict',
        ),
      },
    },
    '/pools/{name}/reseed': {
      parameters: pool,
      post: {
        operationId: 'reseedPool',
        summary: 'Re-apply every object of the pool from the control plane',
        responses: responses(
          { 202: ok('Requested', 'PoolRequestResult') },
          'Forbidden',
          'NotFound',
          'Conflict',
        ),
      },
    },
    '/fleet': {
      get: {
        operationId: 'getFleet',
        summary:
          'Every pool the caller may see, with its phase, revisions, counts and budget state',
        description:
          'Budget state per pool: how many budgets cover what it serves, which are exceeded (refusing or down-routing) and how many others passed a soft threshold. Read from the database only: the fleet answers when Prometheus does not (spend per pool is on GET /usage/totals?groupBy=pool).',
        responses: responses({ 200: ok('The fleet', 'Fleet') }),
      },
    },
  };
}

/** The usage endpoints' query parameters (validated further by the usage service). */
function usageParameters(): Json[] {
  const query = (name: string, description: string, schema: Json = {}) => ({
    name,
    in: 'query',
    description,
    // Comma lists, group refs and ISO times may be sent unencoded.
    allowReserved: true,
    schema: { type: 'string', minLength: 1, ...schema },
  });
  return [
    query(
      'from',
      'Start of the window (ISO-8601); with `to`, instead of `range`',
    ),
    query('to', 'End of the window (ISO-8601, default now)'),
    query('range', 'The window up to now (default 24h)', {
      enum: Object.keys(usageRanges),
    }),
    query(
      'measures',
      `Comma list of: ${usageMeasures.join(
        ', ',
      )} (default inputTokens, outputTokens, costUsd, mcpCalls, requests, errors)`,
    ),
    query(
      'groupBy',
      `Comma list of dimensions to group rows by: ${usageDimensions.join(
        ', ',
      )}`,
    ),
    query('pool', 'Only the traffic of this pool'),
    query('project', 'Only the traffic of this project'),
    query(
      'team',
      'Only the traffic of the projects this group owns (group:default/team-a)',
    ),
    query('consumer', 'Only the traffic of this consumer'),
    query('model', 'Only LLM traffic asking for this model'),
    query('aiBackend', 'Only the traffic of this AI backend'),
    query('mcpServer', 'Only the traffic of this MCP server'),
    query('tool', 'Only calls of this MCP tool'),
    query(
      'format',
      '`csv`: CSV with a header row (or send `Accept: text/csv`)',
      {
        enum: ['json', 'csv'],
      },
    ),
  ];
}

function usagePaths(): Json {
  const csv = { 'text/csv': { schema: { type: 'string' } } };
  return {
    '/usage/status': {
      get: {
        operationId: 'getUsageStatus',
        summary:
          'Whether usage can be read (a Prometheus is configured), and if not, what to configure',
        parameters: [
          {
            name: 'pool',
            in: 'query',
            description: "The pool whose cluster's Prometheus is asked about",
            schema: { type: 'string', minLength: 1 },
          },
        ],
        responses: responses(
          { 200: ok('The status', 'UsageStatus') },
          'NotFound',
        ),
      },
    },
    '/usage/totals': {
      get: {
        operationId: 'getUsageTotals',
        summary:
          'Usage totals over a window (at most 90 days), one row per group; callers who are not platform admins see their projects only',
        parameters: usageParameters(),
        responses: responses(
          {
            200: {
              description: 'The totals, as JSON or CSV (one line per group)',
              content: { ...json(ref('UsageTotals')), ...csv },
            },
          },
          'NotFound',
          'ServiceUnavailable',
        ),
      },
    },
    '/usage/timeseries': {
      get: {
        operationId: 'getUsageTimeSeries',
        summary:
          'Usage per step over a window (at most 90 days), one row per group; callers who are not platform admins see their projects only',
        parameters: [
          ...usageParameters(),
          {
            name: 'maxPoints',
            in: 'query',
            description: 'The most points per series (default 200)',
            schema: { type: 'integer', minimum: 2, maximum: 2000 },
          },
        ],
        responses: responses(
          {
            200: {
              description:
                'The series, as JSON or CSV (one line per group and timestamp)',
              content: { ...json(ref('UsageTimeSeries')), ...csv },
            },
          },
          'NotFound',
          'ServiceUnavailable',
        ),
      },
    },
  };
}

function budgetPaths(): Json {
  return {
    '/budgets': {
      get: {
        operationId: 'listBudgets',
        summary:
          "The budgets the caller may see (a team's members see its budgets, a project's owners the project's)",
        responses: responses({ 200: ok('The budgets', 'BudgetList') }),
      },
      post: {
        operationId: 'createBudget',
        summary:
          "Create a budget: a team's needs a platform admin, a project's or AI backend's the project's owners",
        requestBody: { required: true, content: json(ref('BudgetInput')) },
        responses: responses(
          {
            201: ok('Created', 'BudgetObject', {
              headers: {
                Location: {
                  description: 'The new budget',
                  schema: { type: 'string' },
                },
              },
            }),
          },
          'Forbidden',
          'Conflict',
          'PayloadTooLarge',
          'UnprocessableEntity',
        ),
      },
    },
    '/budgets/{name}': {
      parameters: [param('name')],
      get: {
        operationId: 'getBudget',
        summary: 'Read a budget',
        responses: responses(
          { 200: ok('The budget', 'BudgetObject') },
          'NotFound',
        ),
      },
      put: {
        operationId: 'updateBudget',
        summary:
          'Replace a budget (optimistic concurrency: send the version you read)',
        parameters: [param('ifMatch')],
        requestBody: { required: true, content: json(ref('BudgetUpdate')) },
        responses: responses(
          { 200: ok('The budget, version + 1', 'BudgetObject') },
          'Forbidden',
          'NotFound',
          'Conflict',
          'PayloadTooLarge',
          'UnprocessableEntity',
        ),
      },
      delete: {
        operationId: 'deleteBudget',
        summary:
          'Delete a budget (an exceeded one stops being enforced at once)',
        responses: responses(
          { 200: ok('What was deleted', 'BudgetDeleteResult') },
          'Forbidden',
          'NotFound',
        ),
      },
    },
    '/budgets/{name}/state': {
      parameters: [param('name')],
      get: {
        operationId: 'getBudgetState',
        summary:
          "The budget's current window: spend, thresholds notified, whether it is exceeded",
        responses: responses(
          { 200: ok('The state', 'BudgetState') },
          'NotFound',
        ),
      },
    },
  };
}

/**
 * The MCP registry: a server.json in (`POST /mcp-servers/import`) and the
 * official registry API out (`/v0.1/servers`, as
 * github.com/modelcontextprotocol/registry docs/reference/api/openapi.yaml).
 */
function mcpRegistryPaths(): Json {
  const secretRef = {
    type: 'object',
    required: ['name', 'key'],
    properties: { name: { type: 'string' }, key: { type: 'string' } },
    additionalProperties: false,
  };
  const importBody = {
    type: 'object',
    required: ['serverJson', 'project', 'pool'],
    additionalProperties: false,
    properties: {
      serverJson: {
        type: 'object',
        description:
          'A server.json of the official MCP registry (schema 2025-12-11): a streamable-http or sse remote, or an oci package with transport streamable-http or sse',
      },
      project: { type: 'string' },
      pool: { type: 'string' },
      name: {
        type: 'string',
        description:
          'The MCP server name and path prefix (default: the part of the server.json name after "/")',
      },
      secretRefs: {
        type: 'object',
        description:
          'Secret inputs (environment variables, the Authorization header) by name, as Kubernetes Secret references',
        additionalProperties: secretRef,
      },
      values: {
        type: 'object',
        description:
          'Values of non-secret inputs (environment variables, URL variables), over the defaults of the server.json',
        additionalProperties: { type: 'string' },
      },
      dryRun: {
        type: 'boolean',
        description:
          'Only convert: answer the MCP server input, create nothing',
      },
    },
  };
  const serverResponse = {
    type: 'object',
    required: ['server'],
    properties: {
      server: {
        type: 'object',
        description:
          'A server.json: name `<aiGateway.mcpRegistry.namespace>/<name>`, version `<revision>.0.0`, the gateway URL as its streamable-http remote',
      },
      _meta: { type: 'object' },
    },
  };
  const serverList = {
    type: 'object',
    required: ['servers', 'metadata'],
    properties: {
      servers: { type: 'array', items: serverResponse },
      metadata: {
        type: 'object',
        properties: {
          nextCursor: { type: 'string' },
          count: { type: 'integer' },
        },
      },
    },
  };
  const serverName = {
    name: 'serverName',
    in: 'path',
    required: true,
    description:
      'The URL-encoded server name, e.g. io.backstage.ai-gateway%2Fgithub',
    schema: { type: 'string' },
  };
  return {
    '/mcp-servers/import': {
      post: {
        operationId: 'importMcpServer',
        summary:
          'Create an MCP server from a server.json of the MCP registry (as POST /mcp-servers: same permissions, audit and checks)',
        requestBody: { required: true, content: json(importBody) },
        responses: responses(
          {
            200: {
              description: 'dryRun: the MCP server the import would create',
              content: json({
                type: 'object',
                properties: {
                  dryRun: { type: 'boolean' },
                  mcpServer: ref('McpServer'),
                },
              }),
            },
            201: ok('Created', 'McpServerObject'),
          },
          'Forbidden',
          'Conflict',
          'PayloadTooLarge',
          'UnprocessableEntity',
        ),
      },
    },
    '/v0.1/servers': {
      get: {
        operationId: 'listRegistryServers',
        summary:
          'MCP registry API: the MCP servers the caller may read, as server.json with their gateway URL',
        parameters: [
          param('cursor'),
          {
            name: 'limit',
            in: 'query',
            description: 'Page size',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 30 },
          },
          {
            name: 'search',
            in: 'query',
            description: 'A substring of the server name (case-insensitive)',
            schema: { type: 'string', maxLength: 200 },
          },
          {
            name: 'version',
            in: 'query',
            description: '`latest`, or an exact version',
            schema: { type: 'string', maxLength: 255 },
          },
        ],
        responses: responses({
          200: { description: 'A page of servers', content: json(serverList) },
        }),
      },
    },
    '/v0.1/servers/{serverName}/versions': {
      parameters: [serverName],
      get: {
        operationId: 'listRegistryServerVersions',
        summary: 'MCP registry API: the versions of a server (its current one)',
        responses: responses(
          { 200: { description: 'The versions', content: json(serverList) } },
          'NotFound',
        ),
      },
    },
    '/v0.1/servers/{serverName}/versions/{version}': {
      parameters: [
        serverName,
        {
          name: 'version',
          in: 'path',
          required: true,
          description: 'A version, or `latest`',
          schema: { type: 'string' },
        },
      ],
      get: {
        operationId: 'getRegistryServerVersion',
        summary: 'MCP registry API: one version of a server',
        responses: responses(
          {
            200: {
              description: 'The server',
              content: json(serverResponse),
            },
          },
          'NotFound',
        ),
      },
    },
  };
}

/**
 * The MCP registries users deploy from (`aiGateway.mcpRegistry.sources`):
 * their latest entries, proxied and marked importable or not.
 */
function mcpRegistrySourcePaths(): Json {
  const input = {
    type: 'object',
    required: ['name', 'in', 'required'],
    properties: {
      name: { type: 'string' },
      in: {
        type: 'string',
        enum: ['environmentVariable', 'header', 'urlVariable'],
      },
      description: { type: 'string' },
      required: { type: 'boolean' },
    },
  };
  const entry = {
    type: 'object',
    required: ['server', 'importable', 'secrets', 'values'],
    properties: {
      server: {
        type: 'object',
        description: 'The server.json of the entry (latest version)',
        additionalProperties: true,
      },
      importable: {
        type: 'boolean',
        description:
          'Whether POST /mcp-servers/import can turn it into an MCP server (a remote, or an oci package over HTTP)',
      },
      reason: { type: 'string', description: 'Why not, when not importable' },
      kind: { type: 'string', enum: ['remote', 'package'] },
      secrets: {
        type: 'array',
        description: 'Secret inputs: given as secretRefs by name',
        items: input,
      },
      values: {
        type: 'array',
        description:
          'Non-secret inputs without a value or default: given as values by name',
        items: input,
      },
    },
  };
  return {
    '/mcp-registry/sources': {
      get: {
        operationId: 'listMcpRegistrySources',
        summary:
          'The MCP registries users deploy from (aiGateway.mcpRegistry.sources), and the software catalog as `catalog` unless aiGateway.mcpRegistry.catalog.enabled is false',
        responses: responses({
          200: {
            description: 'The sources',
            content: json({
              type: 'object',
              required: ['sources'],
              properties: {
                sources: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'url'],
                    properties: {
                      name: { type: 'string' },
                      url: {
                        type: 'string',
                        description:
                          "The registry's base URL; catalog:API?type=mcp-server for the software catalog",
                      },
                      title: {
                        type: 'string',
                        description: 'What to show for a source that is no URL',
                      },
                    },
                  },
                },
              },
            }),
          },
        }),
      },
    },
    '/mcp-registry/sources/{source}/servers': {
      parameters: [
        {
          name: 'source',
          in: 'path',
          required: true,
          description: 'The name of a configured source',
          schema: { type: 'string' },
        },
      ],
      get: {
        operationId: 'listMcpRegistrySourceServers',
        summary:
          "A page of a source's latest entries (its GET /v0.1/servers?version=latest), each marked importable or not",
        parameters: [
          {
            name: 'search',
            in: 'query',
            description: 'A substring of the server name',
            schema: { type: 'string', maxLength: 200 },
          },
          {
            name: 'cursor',
            in: 'query',
            description: "The registry's cursor of the next page",
            schema: { type: 'string', maxLength: 1000 },
          },
          {
            name: 'limit',
            in: 'query',
            description: 'Page size',
            schema: { type: 'integer', minimum: 1, maximum: 100 },
          },
        ],
        responses: responses(
          {
            200: {
              description: 'A page of entries',
              content: json({
                type: 'object',
                required: ['servers', 'invalid'],
                properties: {
                  servers: { type: 'array', items: entry },
                  nextCursor: { type: 'string' },
                  invalid: {
                    type: 'integer',
                    description:
                      'Entries of the page that are no valid server.json, left out',
                  },
                },
              }),
            },
          },
          'NotFound',
          'ServiceUnavailable',
        ),
      },
    },
  };
}

function agentPaths(): Json {
  const security = [{ EnrollmentToken: [] }];
  return {
    '/agent/v1/heartbeat': {
      post: {
        operationId: 'postAgentHeartbeat',
        security,
        summary:
          "The operator's heartbeat: stores it and answers what the operator should do",
        requestBody: { required: true, content: json(ref('HeartbeatInput')) },
        responses: responses(
          {
            200: ok(
              'The pool as the control plane sees it',
              'HeartbeatResponse',
            ),
          },
          'Conflict',
          'PayloadTooLarge',
        ),
      },
    },
    '/agent/v1/bundle': {
      get: {
        operationId: 'getAgentBundle',
        security,
        summary:
          'The runtime objects to apply; a long poll with If-None-Match and wait',
        parameters: [param('wait'), param('ifNoneMatch')],
        responses: responses(
          {
            200: ok(
              'The bundle to apply (`ETag`: its revision)',
              'AgentBundle',
              { headers: etag },
            ),
            304: {
              description:
                'The revision in If-None-Match is still desired and nothing was requested',
            },
          },
          'Conflict',
        ),
      },
    },
  };
}

/** The live contract of an MCP server (src/contracts). */
function mcpContractPaths(): Json {
  const hints = Object.fromEntries(
    ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].map(
      h => [h, { type: 'boolean' }],
    ),
  );
  // Not `format: date-time`: the generated client would type it as Date (see timesAsStrings).
  const time = { type: 'string', description: 'ISO-8601 time' };
  const riskClass = {
    type: 'string',
    enum: ['destructive', 'open-world', 'additive', 'read-only'],
  };
  const change = {
    type: 'object',
    required: ['type'],
    properties: {
      type: {
        type: 'string',
        enum: [
          'tool-added',
          'tool-removed',
          'tool-input-schema-changed',
          'tool-description-changed',
          'tool-annotation-changed',
          'resource-added',
          'resource-removed',
          'prompt-added',
          'prompt-removed',
        ],
      },
      tool: { type: 'string' },
      annotation: { type: 'string' },
      from: { type: 'boolean' },
      to: { type: 'boolean' },
      uri: { type: 'string' },
      prompt: { type: 'string' },
    },
  };
  const contract = {
    type: 'object',
    required: ['tools', 'resources', 'prompts'],
    properties: {
      tools: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'inputSchema'],
          properties: {
            name: { type: 'string' },
            description: { type: 'string' },
            inputSchema: { type: 'object' },
            annotations: { type: 'object', properties: hints },
          },
        },
      },
      resources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['uri', 'name'],
          properties: {
            uri: { type: 'string' },
            name: { type: 'string' },
            description: { type: 'string' },
            mimeType: { type: 'string' },
          },
        },
      },
      prompts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            description: { type: 'string' },
            arguments: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
  const view = (extra: Json = {}, required: string[] = []) => ({
    type: 'object',
    required: ['server', 'previous', 'changes', ...required],
    properties: {
      server: { type: 'string' },
      lastCheckedAt: time,
      error: {
        type: 'string',
        description:
          'What the last check failed with; the snapshot is the contract seen before',
      },
      snapshot: {
        type: 'object',
        required: [
          'hash',
          'riskClass',
          'observedAt',
          'destructiveTools',
          'contract',
        ],
        properties: {
          hash: { type: 'string' },
          riskClass,
          observedAt: time,
          destructiveTools: { type: 'array', items: { type: 'string' } },
          contract,
        },
      },
      previous: {
        type: 'array',
        description: 'The contracts seen before, newest first',
        items: {
          type: 'object',
          required: ['hash', 'observedAt'],
          properties: {
            hash: { type: 'string' },
            riskClass,
            observedAt: time,
          },
        },
      },
      changes: {
        type: 'array',
        description: 'From the previous contract to the snapshot',
        items: change,
      },
      ...extra,
    },
  });
  return {
    '/mcp-servers/{name}/contract': {
      parameters: [param('name')],
      get: {
        operationId: 'getMcpServerContract',
        summary:
          "The MCP server's live contract as last seen: tools, resources, prompts, risk class, earlier hashes and the diff from the previous one",
        responses: responses(
          {
            200: {
              description: 'The contract',
              content: json(view()),
            },
          },
          'NotFound',
        ),
      },
    },
    '/mcp-servers/{name}/contract/check': {
      parameters: [param('name')],
      post: {
        operationId: 'checkMcpServerContract',
        summary:
          'Read the contract now (needs read and update of the MCP server). An unreachable server is 200 with `error`',
        parameters: [
          {
            name: 'X-MCP-Authorization',
            in: 'header',
            description:
              'Sent to the MCP server as `Authorization` (the gateway may require your credentials); used for this check only, never stored',
            schema: { type: 'string', maxLength: 8192 },
          },
        ],
        responses: responses(
          {
            200: {
              description:
                'The contract after the check; `changed` when it differs from the one seen before',
              content: json(
                view({ changed: { type: 'boolean' } }, ['changed']),
              ),
            },
          },
          'Forbidden',
          'NotFound',
        ),
      },
    },
  };
}

/** The whole document. */
export function buildOpenApiDocument(): Json {
  const errorBody = json(ref('ErrorResponse'));
  return {
    openapi: '3.1.0',
    info: {
      title: 'ai-gateway',
      version: '1',
      description:
        'The control plane of AI Gateway for Backstage: projects, gateway pools, MCP servers, AI backends and policies; pool delivery; the operator endpoints. Generated by `npm run generate:openapi` in plugins/ai-gateway-backend.',
      license: {
        name: 'Apache-2.0',
        url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
      },
    },
    servers: [{ url: '/' }],
    security: [{ JWT: [] }],
    components: {
      securitySchemes: {
        JWT: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Backstage user or service token',
        },
        EnrollmentToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The pool's operator enrollment token (aigw_...)",
        },
      },
      parameters,
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, description]) => [
          name,
          { description, content: errorBody },
        ]),
      ),
      schemas: componentSchemas(),
    },
    paths: {
      ...kindPaths(),
      ...poolPaths(),
      ...usagePaths(),
      ...budgetPaths(),
      ...mcpRegistryPaths(),
      ...mcpRegistrySourcePaths(),
      ...mcpContractPaths(),
      ...agentPaths(),
    },
  };
}

/** The document as the text of openapi.yaml. */
export function openApiYaml(): string {
  return [
    '# The OpenAPI document of the ai-gateway REST API. Generated: do not edit.',
    '# Paths: src/schema/openApiDocument.ts; object schemas: the zod schemas of',
    '# plugin-ai-gateway-common. Regenerate (and the server and client code) with',
    '# `npm run generate:openapi` in plugins/ai-gateway-backend.',
    // Formatted as prettier formats YAML: the file passes `prettier --check`.
    stringify(buildOpenApiDocument(), {
      aliasDuplicateObjects: false,
      lineWidth: 0,
      singleQuote: true,
    }),
  ].join('\n');
}
