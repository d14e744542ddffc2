import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import type { Knex } from 'knex';
import { AiGatewayStore } from './AiGatewayStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Answer = Error & { issues?: Array<{ field: string; message: string }> };

async function refusal(promise: Promise<unknown>): Promise<Answer> {
  try {
    await promise;
  } catch (error) {
    return error as Answer;
  }
  throw new Error('the store accepted the write');
}

const fieldsOf = (error: Answer) => error.issues?.map(i => i.field);

describe.each(databases.eachSupportedId())(
  'what the database refuses, on %s',
  databaseId => {
    let knex: Knex;
    let store: AiGatewayStore;
    const now = new Date('2026-12-01T00:00:00Z');

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await AiGatewayStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      await store.insert(
        'project',
        aProject('payments', 'group:default/team-payments'),
        'test',
        now,
      );
      await store.insert('pool', aPool('prod', 'payments'), 'test', now);
      await store.insert(
        'mcpServer',
        anMcpServer('github', 'payments', 'prod'),
        'test',
        now,
      );
    });

    it('answers a duplicate name, MCP prefix or namespace with 409 naming the field', async () => {
      const name = await refusal(
        store.insert(
          'pool',
          aPool('prod', 'payments', { namespace: 'elsewhere' }),
          'test',
          now,
        ),
      );
      expect(name.name).toBe('ConflictError');
      expect(fieldsOf(name)).toEqual(['name']);

      const prefix = await refusal(
        store.insert(
          'mcpServer',
          anMcpServer('other', 'payments', 'prod', { prefix: 'github' }),
          'test',
          now,
        ),
      );
      expect(prefix.name).toBe('ConflictError');
      expect(fieldsOf(prefix)).toEqual(['prefix']);
      expect(prefix.message).toBe(
        "prefix 'github' is already used by another MCP server in pool 'prod'",
      );

      const namespace = await refusal(
        store.insert(
          'pool',
          aPool('dev', 'payments', { namespace: 'aigw-prod' }),
          'test',
          now,
        ),
      );
      expect(fieldsOf(namespace)).toEqual(['namespace']);
    });

    it('answers a reference to a missing object with 422 naming it', async () => {
      const pool = await refusal(
        store.insert(
          'mcpServer',
          anMcpServer('orphan', 'payments', 'gone'),
          'test',
          now,
        ),
      );
      expect(pool.name).toBe('UnprocessableError');
      expect(fieldsOf(pool)).toEqual(['pool']);

      const project = await refusal(
        store.insert('pool', aPool('lost', 'nobody'), 'test', now),
      );
      expect(fieldsOf(project)).toEqual(['project']);
      expect(await store.get('mcpServer', 'orphan')).toBeUndefined();
    });

    it('answers a delete of something still referenced with 409 naming cascade', async () => {
      const error = await refusal(store.delete('pool', 'prod'));
      expect(error.name).toBe('ConflictError');
      expect(fieldsOf(error)).toEqual(['cascade']);
      expect(await store.get('pool', 'prod')).toBeDefined();
    });

    it('answers a missing required column with 422 naming the field', async () => {
      const error = await refusal(
        store.insert(
          'mcpServer',
          anMcpServer('no-prefix', 'payments', 'prod', { prefix: undefined }),
          'test',
          now,
        ),
      );
      expect(error.name).toBe('UnprocessableError');
      expect(fieldsOf(error)).toEqual(['prefix']);
    });

    it('treats a version no row can have as stale, and finds no name with a NUL', async () => {
      const spec = anMcpServer('github', 'payments', 'prod');
      for (const version of [2 ** 31, 2 ** 53, 1e308, 1.5, -1]) {
        expect(
          await store.update('mcpServer', spec, version, 'test', now),
        ).toEqual({ outcome: 'conflict', currentVersion: 1 });
      }
      // SQLite holds NUL and finds no such name; PostgreSQL text cannot hold
      // it and says so, which the store answers with a 400, not a 500.
      const outcome = await store.get('pool', 'pr\0od').then(
        found => found ?? 'not found',
        (error: Answer) =>
          `${error.name}, echoes NUL: ${error.message.includes('\0')}`,
      );
      expect(outcome).toBe(
        databaseId === 'POSTGRES_15'
          ? 'InputError, echoes NUL: false'
          : 'not found',
      );
    });
  },
);

describe.each(databases.eachSupportedId())(
  'concurrent requests through the REST API, on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    const PARALLEL = 50;

    beforeAll(async () => {
      t = await startAiGatewayTestBackend({ databases, databaseId });
      await t
        .api('admin')
        .create(
          '/projects',
          aProject('payments', 'group:default/team-payments'),
        );
      await t.api('admin').create('/pools', aPool('prod', 'payments'));
    });

    afterAll(async () => {
      await t.backend.stop();
    });

    const count = async (table: string, where: Record<string, string>) => {
      const [{ n }] = await t.knex(table).where(where).count({ n: '*' });
      return Number(n);
    };

    /** Answers other than success, 404, or a 409/422 naming a field. */
    const unexpected = (
      responses: Array<{ status: number; text: string; body: any }>,
    ) =>
      responses
        .filter(
          r =>
            ![200, 201, 404, 409, 422].includes(r.status) ||
            (r.status >= 409 && !(r.body?.error?.issues?.length > 0)),
        )
        .map(r => `${r.status}: ${r.text}`);

    /** Status -> how many answered it. */
    const tally = (statuses: number[]) => {
      const out: Record<number, number> = {};
      for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
      return out;
    };

    /** One 201, and every other answer a 409 whose issues name `field` alone. */
    const expectOneCreatedRestRefusedNaming = (
      responses: Array<{ status: number; body: any }>,
      field: string,
    ) => {
      expect(tally(responses.map(r => r.status))).toEqual({
        201: 1,
        409: PARALLEL - 1,
      });
      for (const res of responses.filter(r => r.status === 409)) {
        expect(res.body.error.issues.map((i: any) => i.field)).toEqual([field]);
      }
    };

    it('creates one of many creates of one name and answers the rest 409 naming name', async () => {
      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          t
            .api('admin')
            .post('/pools', aPool('twin', 'payments', { namespace: 'twin' })),
        ),
      );
      expectOneCreatedRestRefusedNaming(responses, 'name');
      expect(await count('aigw_pools', { name: 'twin' })).toBe(1);
      expect(
        await count('aigw_events', { name: 'twin', action: 'created' }),
      ).toBe(1);
    });

    it('gives an MCP prefix to one of many servers that ask for it and answers the rest 409 naming prefix', async () => {
      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          t.api('admin').post(
            '/mcp-servers',
            anMcpServer(`tools-${i}`, 'payments', 'prod', {
              prefix: 'tools',
            }),
          ),
        ),
      );
      expectOneCreatedRestRefusedNaming(responses, 'prefix');
      expect(
        await count('aigw_mcp_servers', { pool: 'prod', prefix: 'tools' }),
      ).toBe(1);
    });

    it('leaves no orphan when creates race the delete of their pool', async () => {
      await t.api('admin').create('/pools', aPool('doomed', 'payments'));
      const creates = Array.from({ length: PARALLEL }, (_, i) =>
        t
          .api('admin')
          .post(
            '/mcp-servers',
            anMcpServer(`doomed-${i}`, 'payments', 'doomed'),
          ),
      );
      const deletes = [0, 1, 2].map(() =>
        t.api('admin').delete('/pools/doomed'),
      );
      const responses = await Promise.all([...creates, ...deletes]);
      expect(unexpected(responses)).toEqual([]);
      const pool = await count('aigw_pools', { name: 'doomed' });
      const servers = await count('aigw_mcp_servers', { pool: 'doomed' });
      const created = responses.filter(r => r.status === 201).length;
      // Either the pool is gone and no server was created in it, or it
      // stayed (servers came first and the delete was refused) with every
      // server that was created.
      expect({ pool, servers }).toEqual(
        pool === 0 ? { pool: 0, servers: 0 } : { pool: 1, servers: created },
      );
      expect(pool === 1 || created === 0).toBe(true);
    });

    it('leaves no orphan when pool creates race the delete of their project', async () => {
      await t
        .api('admin')
        .create(
          '/projects',
          aProject('fleeting', 'group:default/team-payments'),
        );
      const creates = Array.from({ length: 20 }, (_, i) =>
        t
          .api('admin')
          .post(
            '/pools',
            aPool(`fleeting-${i}`, 'fleeting', { namespace: `fleeting-${i}` }),
          ),
      );
      const deletes = [0, 1].map(() =>
        t.api('admin').delete('/projects/fleeting'),
      );
      const responses = await Promise.all([...creates, ...deletes]);
      expect(unexpected(responses)).toEqual([]);
      const project = await count('aigw_projects', { name: 'fleeting' });
      const pools = await count('aigw_pools', { project: 'fleeting' });
      expect(project === 1 || pools === 0).toBe(true);
    });
  },
);
