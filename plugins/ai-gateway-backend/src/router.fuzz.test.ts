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

/**
 * Property: no malformed body, however strange, makes a write endpoint answer
 * anything but 400, and none of them changes the database.
 */
jest.setTimeout(300_000);

const RUNS = Number(process.env.AIGW_FUZZ_RUNS ?? 1000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON object. */
function paths(
  value: Json,
  prefix: (string | number)[] = [],
): (string | number)[][] {
  const out: (string | number)[][] = [];
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

function setAt(
  root: Json,
  path: (string | number)[],
  replace: (old: Json) => Json | undefined,
): Json {
  const copy = structuredClone(root);
  let cursor: any = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key];
  const last = path[path.length - 1];
  const next = replace(cursor[last]);
  if (next === undefined) delete cursor[last];
  else cursor[last] = next;
  return copy;
}

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
  return 'unexpected';
}

/** Malformed bodies derived from a valid one, plus arbitrary JSON. */
function malformed(valid: Json): fc.Arbitrary<{ body: Json; forPut: boolean }> {
  const all = paths(valid);
  const objectPaths = [
    [],
    ...all.filter(p => {
      let v: any = valid;
      for (const k of p) v = v[k];
      return v && typeof v === 'object' && !Array.isArray(v);
    }),
  ];
  const wrongType = fc
    .tuple(fc.constantFrom(...all), fc.nat())
    .map(([p, pick]) => setAt(valid, p, old => wrongTypeFor(old, pick)));
  // Schemas are strict: an unknown field (e.g. a smuggled secret value) is refused.
  const unknownField = fc
    .tuple(
      fc.constantFrom(...objectPaths),
      fc.constantFrom('password', 'apiKey', 'token', 'extra', '__proto_x'),
    )
    .map(([p, key]) =>
      p.length === 0
        ? { ...(valid as object), [key]: { value: 'hunter2' } }
        : setAt(valid, p, old => ({
            ...(old as object),
            [key]: { value: 'hunter2' },
          })),
    );
  // Only for POST: on PUT the name comes from the URL.
  const missingName = fc.constant(setAt(valid, ['name'], () => undefined));
  const junk = fc.oneof(
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
  );
  return fc.oneof(
    fc.record({ body: wrongType, forPut: fc.constant(true) }),
    fc.record({ body: unknownField, forPut: fc.constant(true) }),
    fc.record({ body: missingName, forPut: fc.constant(false) }),
    fc.record({ body: junk, forPut: fc.constant(true) }),
  );
}

describe('write endpoints under malformed bodies', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({ databases, databaseId: 'SQLITE_3' });
    const admin = t.api('admin');
    const seed: Array<[string, object]> = [
      ['/projects', aProject('payments', 'group:default/team-payments')],
      ['/pools', aPool('prod', 'payments')],
      ['/mcp-servers', anMcpServer('github', 'payments', 'prod')],
      ['/ai-backends', anAiBackend('llm', 'payments', 'prod')],
      [
        '/policies',
        aPolicy('limits', 'payments', 'prod', { kind: 'backend', name: 'llm' }),
      ],
    ];
    for (const [path, body] of seed) {
      await admin.create(path, body);
    }
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  const dump = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of [
      'aigw_projects',
      'aigw_pools',
      'aigw_mcp_servers',
      'aigw_ai_backends',
      'aigw_policies',
      'aigw_events',
    ]) {
      out[table] = await t
        .knex(table)
        .select()
        .orderBy(table === 'aigw_events' ? 'id' : 'name');
    }
    return JSON.stringify(out);
  };

  const endpoints: Array<[string, string, Json]> = [
    [
      'projects',
      'payments',
      aProject('fuzz', 'group:default/team-payments') as Json,
    ],
    ['pools', 'prod', aPool('fuzz', 'payments') as Json],
    ['mcp-servers', 'github', anMcpServer('fuzz', 'payments', 'prod') as Json],
    ['ai-backends', 'llm', anAiBackend('fuzz', 'payments', 'prod') as Json],
    [
      'policies',
      'limits',
      aPolicy('fuzz', 'payments', 'prod', {
        kind: 'backend',
        name: 'llm',
      }) as Json,
    ],
  ];

  it.each(endpoints)(
    'POST and PUT /%s answer 400 and change nothing',
    async (plural, existing, valid) => {
      const before = await dump();
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(malformed(valid), async ({ body, forPut }) => {
          const post = await t
            .api('admin')
            .post(`/${plural}`, JSON.stringify(body))
            .set('Content-Type', 'application/json');
          const responses = [post];
          if (forPut) {
            // Same body against the existing object, with its current version.
            const named =
              (body as any)?.name === 'fuzz'
                ? { ...(body as object), name: existing }
                : body;
            const putBody =
              named && typeof named === 'object' && !Array.isArray(named)
                ? { ...named, version: 1 }
                : named;
            responses.push(
              await t
                .api('admin')
                .put(`/${plural}/${existing}`, JSON.stringify(putBody))
                .set('Content-Type', 'application/json'),
            );
          }
          for (const res of responses) {
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(res.status).toBe(400);
            expect(res.body.error.message).toEqual(expect.any(String));
          }
        }),
        { numRuns: RUNS },
      );
      expect([...statuses.keys()]).toEqual([400]);
      // Every run reached the API: at least one POST per generated body.
      expect(statuses.get(400)).toBeGreaterThanOrEqual(RUNS);
      expect(await dump()).toBe(before);
    },
  );
});
