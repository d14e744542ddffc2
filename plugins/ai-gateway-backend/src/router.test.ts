import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { encodeCursor } from './service/cursors';

/**
 * Input no schema describes well gets a 4xx naming the field, on both
 * databases: values that are not quantities, NUL characters, reserved map
 * keys, cursors we did not give out, versions no row can have.
 */
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const QUANTITY =
  'must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi';
const NUL = 'must not contain NUL characters (\\u0000)';

describe.each(databases.eachSupportedId())(
  'refused input on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    let tablesBefore: string;

    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of [
        'aigw_projects',
        'aigw_pools',
        'aigw_mcp_servers',
        'aigw_events',
      ]) {
        out[table] = await t
          .knex(table)
          .select()
          .orderBy(table === 'aigw_events' ? 'id' : 'name');
      }
      return JSON.stringify(out);
    };

    beforeAll(async () => {
      t = await startAiGatewayTestBackend({ databases, databaseId });
      const admin = t.api('admin');
      await admin.create(
        '/projects',
        aProject('payments', 'group:default/team-payments'),
      );
      for (const name of ['alpha', 'bravo', 'charlie']) {
        await admin.create('/pools', aPool(name, 'payments'));
      }
      await admin.create(
        '/mcp-servers',
        anMcpServer('github', 'payments', 'alpha'),
      );
    });

    beforeEach(async () => {
      tablesBefore = await dump();
    });

    afterAll(async () => {
      await t.backend.stop();
    });

    const fields = (res: { body: any }) =>
      res.body.error.issues.map((i: { field: string }) => i.field);

    describe('quantities', () => {
      it('names every quantity that is not one, on create and update, without repeating it', async () => {
        const admin = t.api('admin');
        const pool = await admin.post(
          '/pools',
          aPool('q', 'payments', {
            resources: {
              requests: { cpu: 'abc' },
              limits: { cpu: '1', memory: 'lots' },
            },
            redis: { mode: 'auto', storageSize: 'sk-live-123' },
          }),
        );
        expect(pool.status).toBe(400);
        expect(pool.body.error.issues).toEqual([
          { field: 'resources.requests.cpu', message: QUANTITY },
          { field: 'resources.limits.memory', message: QUANTITY },
          { field: 'redis.storageSize', message: QUANTITY },
        ]);
        expect(JSON.stringify(pool.body)).not.toMatch(/abc|lots|sk-live-123/);

        const server = await admin.put('/mcp-servers/github', {
          ...anMcpServer('github', 'payments', 'alpha', {
            source: {
              type: 'image',
              image: 'ghcr.io/example/github-mcp:1.0',
              resources: {
                requests: { memory: '1Gi' },
                limits: { memory: 'hunter2' },
              },
            },
          }),
          version: 1,
        });
        expect(server.status).toBe(400);
        expect(server.body.error.issues).toEqual([
          { field: 'source.resources.limits.memory', message: QUANTITY },
        ]);
        expect(JSON.stringify(server.body)).not.toContain('hunter2');
        expect(await dump()).toBe(tablesBefore);
      });
    });

    describe('NUL characters', () => {
      it.each([
        ['a path name', '/pools/al%00pha', 'name'],
        ['the name of an event log', '/pools/alpha%00/events', 'name'],
        ['a filter', '/mcp-servers?pool=al%00pha', 'pool'],
        ['a cursor', '/pools?cursor=a%00b', 'cursor'],
      ])('in %s answer 400 naming it', async (_, path, field) => {
        const res = await t.api('admin').get(path);
        expect(res.status).toBe(400);
        expect(res.body.error.issues).toEqual([{ field, message: NUL }]);
      });

      it('in a path name of a write, or in any string of a body, answer 400 naming it and change nothing', async () => {
        const admin = t.api('admin');
        const remove = await admin.delete('/pools/al%00pha');
        expect(remove.status).toBe(400);
        expect(fields(remove)).toEqual(['name']);
        const rotate = await admin.post('/pools/al%00pha/enrollment-token');
        expect(fields(rotate)).toEqual(['name']);

        const create = await admin.post(
          '/pools',
          aPool('nul', 'payments', {
            description: 'before\u0000after',
            annotations: { 'example.com/team': 'a\u0000' },
          }),
        );
        expect(create.status).toBe(400);
        expect(create.body.error.issues).toEqual([
          { field: 'description', message: NUL },
          { field: 'annotations["example.com/team"]', message: NUL },
        ]);
        expect(await dump()).toBe(tablesBefore);
      });
    });

    describe('reserved keys in maps', () => {
      it('answers __proto__ in any map with 400 naming it, instead of dropping it', async () => {
        const admin = t.api('admin');
        const raw = (path: string, body: object, proto: string) =>
          admin
            .post(path, JSON.stringify(body).replace('"PROTO":', proto))
            .set('Content-Type', 'application/json');
        const pool = await raw(
          '/pools',
          aPool('proto', 'payments', {
            annotations: { PROTO: { polluted: 'yes' }, 'example.com/a': 'b' },
          }),
          '"__proto__":',
        );
        expect(pool.status).toBe(400);
        expect(pool.body.error.issues).toEqual([
          {
            field: 'annotations.__proto__',
            message: 'is a reserved key and cannot be used (__proto__)',
          },
        ]);
        const server = await raw(
          '/mcp-servers',
          anMcpServer('proto', 'payments', 'alpha', {
            source: {
              type: 'image',
              image: 'ghcr.io/example/mcp:1.0',
              env: { PROTO: 'x', API_URL: 'https://api.example.com' },
            },
          }),
          '"__proto__":',
        );
        expect(server.status).toBe(400);
        expect(fields(server)).toEqual(['source.env.__proto__']);
        expect(await dump()).toBe(tablesBefore);
      });

      it('keeps constructor and prototype as ordinary keys', async () => {
        const res = await t.api('admin').post(
          '/pools',
          aPool('ordinary-keys', 'payments', {
            annotations: { constructor: 'x', prototype: 'y' },
          }),
        );
        expect(res.status).toBe(201);
        const read = await t.api('admin').get('/pools/ordinary-keys');
        expect(read.body.spec.annotations).toEqual({
          constructor: 'x',
          prototype: 'y',
        });
      });
    });

    describe('cursors', () => {
      it('follows its own cursors and refuses every other with 400 naming cursor', async () => {
        const admin = t.api('admin');
        const first = await admin.get('/pools?limit=1');
        expect(first.status).toBe(200);
        const cursor: string = first.body.nextCursor;
        const second = await admin.get(`/pools?limit=1&cursor=${cursor}`);
        expect(second.status).toBe(200);
        expect(second.body.items[0].name).not.toBe(first.body.items[0].name);

        const [payload, check] = cursor.split('.');
        const edited = `${payload.slice(0, -2)}${
          payload.endsWith('A') ? 'B' : 'A'
        }${payload.slice(-1)}.${check}`;
        const foreign = [
          'garbage',
          Buffer.from('alpha').toString('base64url'),
          edited,
          `${cursor}x`,
          // Cursors of another list and of an event log.
          encodeCursor('mcp-servers', 'alpha'),
          encodeCursor('pools/alpha/events', '1'),
        ];
        for (const other of foreign) {
          const res = await admin.get(
            `/pools?limit=1&cursor=${encodeURIComponent(other)}`,
          );
          expect(res.status).toBe(400);
          expect(fields(res)).toEqual(['cursor']);
        }
        // A list cursor is not an event log cursor either.
        const log = await admin.get(`/pools/alpha/events?cursor=${cursor}`);
        expect(log.status).toBe(400);
        expect(fields(log)).toEqual(['cursor']);
      });

      it("follows an event log's own cursor", async () => {
        const admin = t.api('admin');
        await admin.post('/pools/bravo/enrollment-token');
        const first = await admin.get('/pools/bravo/events?limit=1');
        expect(first.body.nextCursor).toEqual(expect.any(String));
        const next = await admin.get(
          `/pools/bravo/events?limit=1&cursor=${first.body.nextCursor}`,
        );
        expect(next.status).toBe(200);
        expect(next.body.items[0].id).toBeLessThan(first.body.items[0].id);
        const elsewhere = await admin.get(
          `/pools/charlie/events?cursor=${first.body.nextCursor}`,
        );
        expect(elsewhere.status).toBe(400);
      });
    });

    describe('versions and missing objects', () => {
      it('refuses a version no row can have (400 in the body, 409 in If-Match)', async () => {
        const admin = t.api('admin');
        const body = aPool('alpha', 'payments');
        const huge = await admin.put('/pools/alpha', {
          ...body,
          version: 2 ** 40,
        });
        expect(huge.status).toBe(400);
        expect(fields(huge)).toEqual(['version']);
        const ifMatch = await admin
          .put('/pools/alpha', body)
          .set('If-Match', '"99999999999999999999"');
        expect(ifMatch.status).toBe(409);
        expect(fields(ifMatch)).toEqual(['version']);
        expect(await dump()).toBe(tablesBefore);
      });

      it('names the path parameter of a 404', async () => {
        const res = await t.api('admin').get('/pools/nowhere');
        expect(res.status).toBe(404);
        expect(fields(res)).toEqual(['name']);
      });
    });
  },
);
