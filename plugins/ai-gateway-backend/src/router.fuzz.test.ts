import { TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import {
  aPolicy,
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import type { Response } from 'supertest';
import { budgetSchema } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { encodeCursor } from './service/cursors';

/**
 * Property: no request, however strange, makes the API answer 5xx. Every
 * write endpoint gets at least RUNS generated bodies that must be refused
 * (wrong types, unknown fields, missing fields, arbitrary JSON, values that
 * are not quantities in every quantity field, NUL characters in strings and
 * keys, `__proto__` in every map, huge numbers, deep nesting); the list
 * endpoints get generated query strings and path names. Every 4xx names a
 * field, and no refused request changes the database (a dump of every table
 * of the plugin before and after).
 *
 * AIGW_FUZZ_RUNS sets the runs per endpoint (default 1000).
 */
jest.setTimeout(600_000);

const RUNS = Number(process.env.AIGW_FUZZ_RUNS ?? 1000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

// --- valid bodies, with a value in every kind of field ---------------------------

const OWNER = 'group:default/team-payments';

/** A pool with quantities, maps (annotations) and numbers. */
const richPool = (name: string) =>
  aPool(name, 'payments', {
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    redis: { mode: 'auto', storageSize: '2Gi' },
    replicas: 2,
    maxReplicas: 5,
    annotations: { 'example.com/team': 'payments' },
    ingress: [
      {
        kind: 'kubernetes-ingress',
        className: 'nginx',
        annotations: { 'example.com/ingress': 'public' },
      },
    ],
  });

/** An MCP server run from an image: env (a map), resources and a port. */
const richMcpServer = (name: string) =>
  anMcpServer(name, 'payments', 'prod', {
    source: {
      type: 'image',
      image: 'ghcr.io/example/tools:1.0',
      port: 8080,
      env: { API_URL: 'https://api.example.com' },
      resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
      replicas: 1,
    },
  });

/** A policy with header maps and numbers. */
const richPolicy = (name: string) =>
  aPolicy(
    name,
    'payments',
    'prod',
    { kind: 'backend', name: 'llm' },
    {
      headers: {
        request: { set: { 'x-team': 'payments' }, add: { 'x-env': 'prod' } },
      },
      retries: { attempts: 2, backoffMs: 100 },
    },
  );

const kinds: Array<{ plural: string; existing: string; valid: Json }> = [
  {
    plural: 'projects',
    existing: 'payments',
    valid: aProject('fuzz', OWNER, { description: 'Fuzz' }) as Json,
  },
  { plural: 'pools', existing: 'prod', valid: richPool('fuzz') as Json },
  {
    plural: 'mcp-servers',
    existing: 'tools',
    valid: richMcpServer('fuzz') as Json,
  },
  {
    plural: 'ai-backends',
    existing: 'llm',
    valid: anAiBackend('fuzz', 'payments', 'prod') as Json,
  },
  { plural: 'policies', existing: 'limits', valid: richPolicy('fuzz') as Json },
];

/** A budget of the project the tests create (its numbers are amounts, not 32-bit counts: see the budget property below). */
const validBudget: Json = {
  name: 'fuzz',
  description: 'Fuzz',
  scope: { kind: 'project', name: 'payments' },
  window: 'monthly',
  limit: { usd: 100 },
  softThresholds: [0.5, 0.8],
  onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
};

const validHeartbeat: Json = {
  operatorVersion: '0.1.0',
  runningRevision: null,
  components: [
    { name: 'gateway', kind: 'Deployment', healthy: true, message: 'ready' },
  ],
  lastApply: {
    revision: 'sha256:0123456789abcdef',
    succeeded: true,
    message: 'applied',
    appliedAt: '2026-12-01T00:00:00.000Z',
    objects: 3,
  },
};

// --- paths into a JSON value -------------------------------------------------------

/** Every path to a value inside a JSON value. */
function paths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) =>
      out.push([...prefix, i], ...paths(v, [...prefix, i])),
    );
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      out.push([...prefix, k], ...paths(v, [...prefix, k]));
  }
  return out;
}

function valueAt(root: Json, path: Path): Json {
  let v: any = root;
  for (const key of path) v = v[key];
  return v;
}

function setAt(
  root: Json,
  path: Path,
  replace: (old: Json) => Json | undefined,
): Json {
  if (path.length === 0) return replace(root) ?? null;
  const copy = structuredClone(root);
  const parent: any = valueAt(copy, path.slice(0, -1));
  const last = path[path.length - 1];
  const next = replace(parent[last]);
  if (next === undefined) delete parent[last];
  else parent[last] = next;
  return copy;
}

/** `value` with an own, enumerable key `key` (also `__proto__`, as JSON.parse makes it). */
function withKey(value: Json, key: string, inner: Json): Json {
  const copy: Record<string, Json> = { ...(value as Record<string, Json>) };
  Object.defineProperty(copy, key, {
    value: inner,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

const MAP_FIELDS = new Set(['annotations', 'env', 'set', 'add']);
const QUANTITY_FIELDS = new Set(['cpu', 'memory', 'storageSize']);
const QUANTITY =
  /^(\+?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?\d+)?$/;

/** A value of a type the field cannot have. */
function wrongTypeFor(old: Json, pick: number): Json {
  if (typeof old === 'string')
    return [pick, { x: pick }, null, pick % 2 === 0][pick % 4] as Json;
  if (typeof old === 'number')
    return ['not-a-number', null, [], { n: old }][pick % 4] as Json;
  if (typeof old === 'boolean')
    return ['maybe', 42, null, {}][pick % 4] as Json;
  if (Array.isArray(old))
    return ['list', 7, { not: 'a list' }, true][pick % 4] as Json;
  if (old && typeof old === 'object')
    return ['object', 7, [], true][pick % 4] as Json;
  // null (a nullable field): anything but null or what the field holds.
  return [7, true, [], {}][pick % 4] as Json;
}

/** Arrays or objects nested `depth` levels deep, built without recursion. */
function nested(depth: number, asObject: boolean): Json {
  let v: Json = 'leaf';
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

const notAQuantity = fc.oneof(
  fc.constantFrom(
    'abc',
    'lots',
    '1XB',
    '-1',
    '1.2.3',
    'Mi',
    '1 Gi',
    'NaN',
    'Infinity',
    '1e999',
    '9Ei',
    '0x10',
    '１Gi',
    'sk-live-0123456789',
  ),
  fc
    .string({ unit: 'grapheme', maxLength: 20 })
    .filter(s => !QUANTITY.test(s.trim())),
);

/** Numbers outside every numeric field of the model (all are bounded integers). */
const hugeNumber = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    1e21,
    5e-324,
    0.5,
  ),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter(d => Math.abs(d) >= 2 ** 31 || !Number.isInteger(d)),
);

type Malformed = { category: string; body: Json; forPut?: Json };

/** The categories of malformed bodies `malformed` can generate for `valid`. */
function categoriesOf(valid: Json, options: { named: boolean }): string[] {
  const all = paths(valid).map(p => String(p[p.length - 1]));
  return [
    'wrong type',
    'unknown field',
    'arbitrary JSON',
    'NUL in a string',
    'NUL in a key',
    '__proto__ in an object or map',
    'nesting',
    ...(all.some(k => QUANTITY_FIELDS.has(k)) ? ['not a quantity'] : []),
    ...(paths(valid).some(p => typeof valueAt(valid, p) === 'number')
      ? ['huge number']
      : []),
    ...(options.named
      ? ['missing name / version', 'version no row can have']
      : []),
  ];
}

/**
 * Bodies derived from a valid one that the API must refuse, each with the
 * body to PUT (the same, under the existing object's name, version 1).
 */
function malformed(
  valid: Json,
  options: { named: boolean },
): fc.Arbitrary<Malformed> {
  const all = paths(valid);
  const kindOf = (p: Path) => valueAt(valid, p);
  const last = (p: Path) => p[p.length - 1];
  const objectPaths: Path[] = [
    [],
    ...all.filter(p => {
      const v = kindOf(p);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    }),
  ];
  const stringPaths = all.filter(p => typeof kindOf(p) === 'string');
  const numberPaths = all.filter(p => typeof kindOf(p) === 'number');
  const quantityPaths = all.filter(p => QUANTITY_FIELDS.has(String(last(p))));
  const mapPaths = all.filter(p => MAP_FIELDS.has(String(last(p))));
  const category = (name: string, body: fc.Arbitrary<Json>) =>
    body.map(b => ({ category: name, body: b }));

  const arbitraries: Array<fc.Arbitrary<Malformed>> = [
    category(
      'wrong type',
      fc
        .tuple(fc.constantFrom(...all), fc.nat())
        .map(([p, pick]) => setAt(valid, p, old => wrongTypeFor(old, pick))),
    ),
    // Schemas are strict: an unknown field (e.g. a smuggled secret value) is refused.
    category(
      'unknown field',
      fc
        .tuple(
          fc.constantFrom(...objectPaths),
          fc.constantFrom('password', 'apiKey', 'token', 'extra', '__proto_x'),
        )
        .map(([p, key]) =>
          setAt(valid, p, old => withKey(old, key, { value: 'hunter2' })),
        ),
    ),
    // Arbitrary JSON without the fields a body needs.
    category(
      'arbitrary JSON',
      fc.oneof(
        fc
          .jsonValue()
          .filter(
            v =>
              typeof v !== 'object' ||
              v === null ||
              Array.isArray(v) ||
              !('name' in v),
          ) as fc.Arbitrary<Json>,
        fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<Json>,
      ),
    ),
    category(
      'NUL in a string',
      fc.tuple(fc.constantFrom(...stringPaths), fc.nat()).map(([p, at]) =>
        setAt(valid, p, old => {
          const s = old as string;
          const i = at % (s.length + 1);
          return `${s.slice(0, i)}\u0000${s.slice(i)}`;
        }),
      ),
    ),
    category(
      'NUL in a key',
      fc
        .constantFrom(...objectPaths)
        .map(p => setAt(valid, p, old => withKey(old, 'ke\u0000y', 'x'))),
    ),
    category(
      '__proto__ in an object or map',
      fc
        .tuple(
          fc.constantFrom(...objectPaths, ...mapPaths, ...mapPaths),
          fc.constantFrom<Json>('x', { polluted: 'yes' }, [], null),
        )
        .map(([p, inner]) =>
          setAt(valid, p, old => withKey(old, '__proto__', inner)),
        ),
    ),
    category(
      'nesting',
      fc
        .tuple(
          fc.constantFrom(...all),
          fc.integer({ min: 2, max: 200 }),
          fc.boolean(),
        )
        .map(([p, depth, asObject]) =>
          setAt(valid, p, () => nested(depth, asObject)),
        ),
    ),
  ];
  if (quantityPaths.length > 0) {
    arbitraries.push(
      category(
        'not a quantity',
        fc
          .tuple(fc.constantFrom(...quantityPaths), notAQuantity)
          .map(([p, q]) => setAt(valid, p, () => q)),
      ),
    );
  }
  if (numberPaths.length > 0) {
    arbitraries.push(
      category(
        'huge number',
        fc
          .tuple(fc.constantFrom(...numberPaths), hugeNumber)
          .map(([p, n]) => setAt(valid, p, () => n)),
      ),
    );
  }
  if (options.named) {
    // Without a name a POST is refused; a PUT takes the name from the URL,
    // so it goes without its version, which it cannot do without either.
    arbitraries.push(
      fc.constant({
        category: 'missing name / version',
        body: setAt(valid, ['name'], () => undefined),
        forPut: setAt(valid, ['name'], () => undefined),
      }),
    );
    arbitraries.push(
      fc
        .constantFrom<Json>(2 ** 31, 2 ** 53, 1e308, 0, -1, 1.5, '1', null, [])
        .map(version => ({
          category: 'version no row can have',
          body: withKey(valid, 'version', version),
          forPut: withKey(valid, 'version', version),
        })),
    );
  }
  return fc.oneof(...arbitraries);
}

/** The PUT body of a generated body: the existing object's name, version 1. */
function putBodyOf(generated: Malformed, existing: string): Json {
  if (generated.forPut !== undefined) {
    const body = generated.forPut as Record<string, Json>;
    return 'name' in body ? withKey(body, 'name', existing) : body;
  }
  const body = generated.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const named =
    (body as Record<string, Json>).name === 'fuzz'
      ? withKey(body, 'name', existing)
      : body;
  return withKey(named, 'version', 1);
}

// --- path names and query strings --------------------------------------------------

const SEEDED = new Set(['payments', 'prod', 'tools', 'llm', 'limits']);

/** Path names of no object: arbitrary text, NUL characters, odd encodings. */
const foreignName = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
    fc.string({ minLength: 0, maxLength: 20 }).map(s => `${s}\u0000${s}`),
    fc.constantFrom('x'.repeat(300), 'UPPER', 'a b', 'a/b', 'prod\u0000', '%'),
  )
  .filter(s => !SEEDED.has(s) && s !== '.' && s !== '..' && s.length > 0)
  .map(s => (s === '%' ? '%25%' : encodeURIComponent(s)));

/** Cursors we did not give out for the list at hand. */
const foreignCursor = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ maxLength: 20 }).map(s => `${s}\u0000`),
  fc.constantFrom(
    'A'.repeat(600),
    Buffer.from('prod').toString('base64url'),
    encodeCursor('mcp-servers', 'prod'),
    encodeCursor('pools/prod/events', '1'),
    `${encodeCursor('pools', 'prod')}x`,
    encodeCursor('pools', 'prod').replace(/^.{4}/, 'AAAA'),
  ),
  fc
    .tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 16 }))
    .map(
      ([payload, check]) =>
        `${Buffer.from(payload).toString('base64url')}.${check}`,
    ),
);

const queryValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ maxLength: 20 }).map(s => `${s}\u0000`),
  fc.constantFrom('x'.repeat(5000), '', 'prod', 'payments'),
);

/** A query string of list parameters, some of them odd, some repeated. */
function listQuery(filters: string[]): fc.Arbitrary<string> {
  const names = ['limit', 'cursor', ...filters, 'unknown', 'cascade'];
  return fc
    .array(
      fc.tuple(
        fc.constantFrom(...names),
        fc.oneof(
          queryValue,
          foreignCursor,
          fc.constantFrom('0', '1', '500', '501', '-1', '1.5', '1e3'),
        ),
      ),
      { maxLength: 5 },
    )
    .map(pairs => {
      const params = new URLSearchParams();
      for (const [name, value] of pairs) params.append(name, value);
      return params.toString();
    });
}

const FILTERS: Record<string, string[]> = {
  projects: ['owner'],
  pools: ['project', 'cluster', 'namespace', 'deliveryMode'],
  'mcp-servers': ['project', 'pool', 'prefix'],
  'ai-backends': ['project', 'pool'],
  policies: ['project', 'pool', 'targetKind', 'targetName'],
};

/**
 * What is wrong with a usage endpoint's answer, if anything: without a metrics
 * source a valid query is a 503 naming the key to configure, bad input a 4xx
 * naming a parameter, and only the status endpoint answers 200.
 */
function usageFailure(endpoint: string, res: Response): string | undefined {
  if (res.status === 503) {
    return String(res.body?.error?.message).includes(
      'aiGateway.metrics.prometheus.url',
    )
      ? undefined
      : '503 without what to configure';
  }
  if (res.status === 200) {
    return endpoint === 'status' ? undefined : '200 without a metrics source';
  }
  if (![400, 404].includes(res.status)) return `${res.status}`;
  const issues = res.body?.error?.issues;
  const named =
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every((i: any) => typeof i.field === 'string' && i.field.length > 0);
  return named ? undefined : `${res.status} without a field`;
}

/** The query parameters of the usage endpoints, and values that mean something to them. */
const USAGE_PARAMETERS = [
  'from',
  'to',
  'range',
  'measures',
  'groupBy',
  'pool',
  'project',
  'team',
  'consumer',
  'model',
  'aiBackend',
  'mcpServer',
  'tool',
  'format',
  'maxPoints',
];
const USAGE_VALUES = [
  '1h',
  '90d',
  '91d',
  '2026-05-01T00:00:00Z',
  '2025-01-01T00:00:00Z',
  'costUsd,requests',
  'project,team',
  'payments',
  'prod',
  'llm',
  'tools',
  'group:default/team-payments',
  'csv',
  '2',
  '5000',
];

// --- the tests -------------------------------------------------------------------------

describe.each(databases.eachSupportedId())(
  'the REST API under generated input, on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    let agentToken: string;

    const heartbeatWith = (body: Json) =>
      t
        .api('admin')
        .post('/agent/v1/heartbeat', JSON.stringify(body))
        .set('Authorization', `Bearer ${agentToken}`)
        .set('Content-Type', 'application/json');

    beforeAll(async () => {
      t = await startAiGatewayTestBackend({ databases, databaseId });
      const admin = t.api('admin');
      await admin.create('/projects', aProject('payments', OWNER));
      const pool = await admin.create('/pools', richPool('prod'));
      agentToken = pool.body.enrollmentToken;
      await admin.create('/mcp-servers', richMcpServer('tools'));
      await admin.create(
        '/ai-backends',
        anAiBackend('llm', 'payments', 'prod'),
      );
      await admin.create('/policies', richPolicy('limits'));
      await admin.create('/budgets', withKey(validBudget, 'name', 'spend'));
      // The generated bodies derive from valid ones: check they are.
      for (const { plural, valid } of kinds) {
        const named = withKey(valid, 'name', 'fuzz-check') as any;
        if (plural === 'pools') named.namespace = 'aigw-fuzz-check';
        if (plural === 'mcp-servers') named.prefix = 'fuzz-check';
        await admin.create(`/${plural}`, named);
        const removed = await admin.delete(`/${plural}/fuzz-check`);
        if (removed.status !== 200) throw new Error(removed.text);
      }
      const heartbeat = await heartbeatWith(validHeartbeat);
      if (heartbeat.status !== 200) throw new Error(heartbeat.text);
    });

    afterAll(async () => {
      await t.backend.stop();
    });

    /** Every row of every table of the plugin, in a stable order. */
    const dump = async () => {
      const client = t.knex.client.config.client as string;
      const tables: string[] = /sqlite/.test(client)
        ? (
            await t
              .knex('sqlite_master')
              .where({ type: 'table' })
              .select('name')
          ).map((r: { name: string }) => r.name)
        : (
            await t
              .knex('information_schema.tables')
              .whereRaw('table_schema = current_schema()')
              .select('table_name')
          ).map((r: { table_name: string }) => r.table_name);
      const out: Record<string, string[]> = {};
      for (const table of tables
        .filter(name => name.startsWith('aigw_'))
        // Bookkeeping of migrations and of which replica runs what, and the
        // budget state the scheduled evaluation writes: not what requests change.
        .filter(name => !/knex_migrations|leases|budget_state/.test(name))
        .sort()) {
        const rows = await t.knex(table).select();
        out[table] = rows.map(r => JSON.stringify(r)).sort();
      }
      return out;
    };

    /** `METHOD /path` of a response, for failure messages. */
    const requestOf = (res: Response) => {
      const req = (res as Response & { req?: { method: string; path: string } })
        .req;
      return `${req?.method} ${req?.path}`;
    };

    /** Status -> count, and what went wrong, for the assertions after a property. */
    const observe = () => {
      const statuses: Record<number, number> = {};
      return {
        statuses,
        check(res: Response, allowed: number[]) {
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (!allowed.includes(res.status)) {
            throw new Error(
              `${res.status} for ${requestOf(res)}: ${res.text.slice(0, 500)}`,
            );
          }
          if (res.status >= 400) {
            const issues = res.body?.error?.issues;
            const named =
              Array.isArray(issues) &&
              issues.length > 0 &&
              issues.every(
                (i: any) => typeof i.field === 'string' && i.field.length > 0,
              );
            if (!named) {
              throw new Error(
                `${res.status} without a field for ${requestOf(
                  res,
                )}: ${res.text.slice(0, 500)}`,
              );
            }
          }
        },
      };
    };

    it.each(kinds)(
      'POST and PUT /$plural refuse every generated body with a 4xx naming a field and change nothing',
      async ({ plural, existing, valid }) => {
        const before = await dump();
        const seen = observe();
        const categories = new Map<string, number>();
        let posts = 0;
        let puts = 0;
        await fc.assert(
          fc.asyncProperty(
            malformed(valid, { named: true }),
            async generated => {
              categories.set(
                generated.category,
                (categories.get(generated.category) ?? 0) + 1,
              );
              // Both are refused, so they may run side by side.
              const [post, put] = await Promise.all([
                t
                  .api('admin')
                  .post(`/${plural}`, JSON.stringify(generated.body))
                  .set('Content-Type', 'application/json'),
                t
                  .api('admin')
                  .put(
                    `/${plural}/${existing}`,
                    JSON.stringify(putBodyOf(generated, existing)),
                  )
                  .set('Content-Type', 'application/json'),
              ]);
              posts++;
              puts++;
              seen.check(post, [400]);
              seen.check(put, [400]);
            },
          ),
          { numRuns: RUNS },
        );
        expect(posts).toBeGreaterThanOrEqual(RUNS);
        expect(puts).toBeGreaterThanOrEqual(RUNS);
        expect(Object.keys(seen.statuses)).toEqual(['400']);
        expect([...categories.keys()].sort()).toEqual(
          categoriesOf(valid, { named: true }).sort(),
        );
        expect(await dump()).toEqual(before);
      },
    );

    it('POST and PUT /budgets refuse every generated body with a 4xx naming a field and change nothing', async () => {
      const before = await dump();
      const seen = observe();
      const categories = new Set<string>();
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          malformed(validBudget, { named: true }),
          async generated => {
            // Amounts are not 32-bit counts: a "huge number" such as 0.5
            // (USD) or a threshold of 0.5 is a valid budget, not a malformed one.
            const put = putBodyOf(generated, 'spend') as any;
            const { version, ...putSpec } =
              put && typeof put === 'object' && !Array.isArray(put) ? put : {};
            if (
              generated.category === 'huge number' &&
              (budgetSchema.safeParse(generated.body).success ||
                budgetSchema.safeParse(putSpec).success)
            ) {
              return;
            }
            categories.add(generated.category);
            sent++;
            const [post, putRes] = await Promise.all([
              t
                .api('admin')
                .post('/budgets', JSON.stringify(generated.body))
                .set('Content-Type', 'application/json'),
              t
                .api('admin')
                .put('/budgets/spend', JSON.stringify(put))
                .set('Content-Type', 'application/json'),
            ]);
            seen.check(post, [400]);
            seen.check(putRes, [400]);
          },
        ),
        { numRuns: RUNS },
      );
      expect(sent).toBeGreaterThanOrEqual(RUNS / 2);
      expect(Object.keys(seen.statuses)).toEqual(['400']);
      expect([...categories].sort()).toEqual(
        categoriesOf(validBudget, { named: true }).sort(),
      );
      // Odd names and bodies on the other budget routes: 400 or 404, never 5xx.
      await fc.assert(
        fc.asyncProperty(foreignName, fc.jsonValue(), async (name, body) => {
          for (const res of await Promise.all([
            t.api('admin').get(`/budgets/${name}`),
            t.api('admin').get(`/budgets/${name}/state`),
            t
              .api('admin')
              .delete(`/budgets/${name}`)
              .send(JSON.stringify(body))
              .set('Content-Type', 'application/json'),
          ])) {
            seen.check(res, [400, 404]);
          }
        }),
        { numRuns: RUNS },
      );
      expect(await dump()).toEqual(before);
    });

    it('the operator heartbeat refuses every generated body with a 400 naming a field and changes nothing', async () => {
      const before = await dump();
      const seen = observe();
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          malformed(validHeartbeat, { named: false }),
          async generated => {
            sent++;
            seen.check(await heartbeatWith(generated.body), [400]);
          },
        ),
        { numRuns: RUNS },
      );
      expect(sent).toBeGreaterThanOrEqual(RUNS);
      expect(await dump()).toEqual(before);
    });

    it('deletes, token rotation, sync and reseed refuse odd names, queries and bodies with a 4xx naming a field and change nothing', async () => {
      const before = await dump();
      const seen = observe();
      const endpoints = [
        ...kinds.map(k => ({
          method: 'delete' as const,
          path: `/${k.plural}/{name}`,
        })),
        { method: 'post' as const, path: '/pools/{name}/enrollment-token' },
        { method: 'post' as const, path: '/pools/{name}/sync' },
        { method: 'post' as const, path: '/pools/{name}/reseed' },
      ];
      const sent = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          foreignName,
          fc.oneof(
            fc.constant(''),
            fc
              .oneof(queryValue, fc.constantFrom('true', 'false', 'yes'))
              .map(v => `cascade=${encodeURIComponent(v)}`),
          ),
          fc.jsonValue(),
          async (name, query, body) => {
            const responses = await Promise.all(
              endpoints.map(({ method, path }) => {
                sent.set(path + method, (sent.get(path + method) ?? 0) + 1);
                const url = `${path.replace('{name}', name)}${
                  query ? `?${query}` : ''
                }`;
                return t
                  .api('admin')
                  [method](url)
                  .send(JSON.stringify(body))
                  .set('Content-Type', 'application/json');
              }),
            );
            for (const res of responses) seen.check(res, [400, 404]);
          },
        ),
        { numRuns: RUNS },
      );
      expect([...sent.values()].every(n => n >= RUNS)).toBe(true);
      expect(sent.size).toBe(endpoints.length);
      expect(await dump()).toEqual(before);
    });

    it('lists and event logs answer odd queries, cursors and names with 200 or a 4xx naming a field', async () => {
      const before = await dump();
      const seen = observe();
      const lists = Object.keys(FILTERS);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...lists),
          fc.boolean(),
          fc.oneof(foreignName, fc.constantFrom(...SEEDED)),
          fc.constantFrom(...lists).chain(l => listQuery(FILTERS[l])),
          async (plural, eventLog, name, query) => {
            const path = eventLog ? `/${plural}/${name}/events` : `/${plural}`;
            const res = await t.api('admin').get(`${path}?${query}`);
            seen.check(res, [200, 400, 404]);
          },
        ),
        { numRuns: RUNS },
      );
      expect(seen.statuses[200]).toBeGreaterThan(0);
      expect(seen.statuses[400]).toBeGreaterThan(0);
      expect(await dump()).toEqual(before);
    });

    it('usage endpoints answer odd queries with a 4xx naming a parameter, or 503 saying what to configure', async () => {
      // No metrics source is configured here: a valid query is a 503.
      const before = await dump();
      const statuses: Record<number, number> = {};
      const names = [
        ...USAGE_PARAMETERS,
        'unknown',
        'measures',
        'groupBy',
        'range',
      ];
      const value = fc.oneof(
        queryValue,
        fc.constantFrom(...USAGE_VALUES),
        fc
          .array(fc.constantFrom(...USAGE_VALUES, 'inputTokens', 'tool', ''), {
            maxLength: 4,
          })
          .map(v => v.join(',')),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('totals', 'timeseries', 'status'),
          fc.array(fc.tuple(fc.constantFrom(...names), value), {
            maxLength: 5,
          }),
          fc.boolean(),
          async (endpoint, pairs, csv) => {
            const params = new URLSearchParams();
            for (const [name, v] of pairs) params.append(name, v);
            const req = t.api('admin').get(`/usage/${endpoint}?${params}`);
            const res = await (csv ? req.set('Accept', 'text/csv') : req);
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            const failure = usageFailure(endpoint, res);
            if (failure) {
              throw new Error(
                `${failure} for ${requestOf(res)}: ${res.text.slice(0, 500)}`,
              );
            }
          },
        ),
        { numRuns: RUNS },
      );
      expect(statuses[400]).toBeGreaterThan(0);
      expect(statuses[503]).toBeGreaterThan(0);
      expect(await dump()).toEqual(before);
    });
  },
);
