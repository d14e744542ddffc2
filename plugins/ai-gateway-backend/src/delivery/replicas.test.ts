import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

/**
 * Two control planes (backend replicas) on one PostgreSQL database: what one
 * changes, the other serves and wakes its operators for.
 */
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const postgres = databases.eachSupportedId();

(postgres.length ? describe : describe.skip)(
  'two replicas on PostgreSQL',
  () => {
    let a: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    let b: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
    let token: string;

    beforeAll(async () => {
      a = await startAiGatewayTestBackend({
        databases,
        databaseId: 'POSTGRES_15',
      });
      b = await startAiGatewayTestBackend({
        databases,
        databaseId: 'POSTGRES_15',
        shareDatabaseOf: a,
      });
      await a
        .api('admin')
        .create(
          '/projects',
          aProject('payments', 'group:default/team-payments'),
        );
      const pool = await a
        .api('payments')
        .create('/pools', aPool('prod', 'payments'));
      token = pool.body.enrollmentToken;
    });

    afterAll(async () => {
      await b?.backend.stop();
      await a?.backend.stop();
    });

    const pull = (
      replica: typeof a,
      ifNoneMatch: string | undefined,
      wait: number,
    ) => {
      const r = request(replica.backend.server)
        .get(`/api/ai-gateway/agent/v1/bundle?wait=${wait}`)
        .set('Authorization', `Bearer ${token}`);
      return ifNoneMatch ? r.set('If-None-Match', `"${ifNoneMatch}"`) : r;
    };

    it("serves a change made on A from B's manifests and wakes B's long-polls within a second", async () => {
      // B renders (and caches) the pool first.
      const before = await b.api('payments').get('/pools/prod/manifests');
      expect(before.status).toBe(200);
      const waiting = pull(b, before.body.revision, 30).then(res => ({
        res,
        at: Date.now(),
      }));
      await new Promise(r => setTimeout(r, 300));
      const changedAt = Date.now();
      await a
        .api('payments')
        .create('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      const { res, at } = await waiting;
      expect(res.status).toBe(200);
      expect(res.body.revision).not.toBe(before.body.revision);
      expect(at - changedAt).toBeLessThan(1_000);
      const after = await b.api('payments').get('/pools/prod/manifests');
      expect(after.body.revision).toBe(res.body.revision);
      expect(
        after.body.objects.some((o: any) =>
          JSON.stringify(o).includes('github'),
        ),
      ).toBe(true);
    });

    it("wakes B's operator for a sync requested on A", async () => {
      const current = await b.api('payments').get('/pools/prod/manifests');
      const waiting = pull(b, current.body.revision, 30).then(res => ({
        res,
        at: Date.now(),
      }));
      await new Promise(r => setTimeout(r, 300));
      const requestedAt = Date.now();
      const sync = await a.api('payments').post('/pools/prod/sync');
      expect(sync.status).toBe(202);
      const { res, at } = await waiting;
      expect(res.status).toBe(200);
      expect(at - requestedAt).toBeLessThan(1_000);
    });
  },
);
