import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  eventually,
  KubernetesApiTestServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  ControlPlaneClient,
  OperatorAgent,
} from '@ai-gateway-backstage/ai-gateway-operator';
import type { AddressInfo } from 'node:net';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(databases.eachSupportedId())(
  'delivery end to end on %s',
  databaseId => {
    let api: KubernetesApiTestServer;
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

    const phase = async (pool = 'prod') =>
      (await t.api('payments').get(`/pools/${pool}/status`)).body;
    const waitForPhase = (p: string, pool = 'prod') =>
      eventually(`pool ${pool} to be ${p}`, async () => {
        const s = await phase(pool);
        return s.phase === p ? s : undefined;
      });
    const phaseChanges = async (pool = 'prod') =>
      (
        await t.api('payments').get(`/pools/${pool}/events?limit=100`)
      ).body.items
        .filter((e: any) => e.action === 'phase-changed')
        .map((e: any) => e.message.split(':')[0])
        .reverse();

    beforeEach(async () => {
      api = await KubernetesApiTestServer.start({ namespaces: ['aigw-prod'] });
      api.put({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'agentgateway' },
        spec: { controllerName: 'agentgateway.dev/agentgateway' },
      } as any);
      t = await startAiGatewayTestBackend({
        databases,
        databaseId,
        config: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'test-cluster',
                    url: api.url,
                    serviceAccountToken: 'test-token',
                    skipTLSVerify: true,
                  },
                ],
              },
            ],
          },
        },
      });
      await t
        .api('admin')
        .create(
          '/projects',
          aProject('payments', 'group:default/team-payments'),
        );
    });

    afterEach(async () => {
      await t.backend.stop();
      await api.stop();
    });

    it('agent mode: heartbeats, pulls and applies -> Active; an MCP server -> OutOfSync -> Active; API errors -> Degraded -> recovered; silence -> Stale', async () => {
      const created = await t.api('payments').post(
        '/pools',
        aPool('prod', 'payments', {
          cluster: { name: 'test-cluster', type: 'native' },
        }),
      );
      expect(created.status).toBe(201);
      const port = (t.backend.server.address() as AddressInfo).port;
      const operator = new OperatorAgent({
        controlPlane: new ControlPlaneClient({
          baseUrl: `http://localhost:${port}/api/ai-gateway`,
          token: created.body.enrollmentToken,
        }),
        kubeConfig: api.kubeConfig(),
        namespace: 'aigw-prod',
        pollSeconds: 2,
        backoffMs: 50,
        logger: quiet,
      });
      operator.start();
      try {
        const active = await waitForPhase('Active');
        expect(active.heartbeat).toMatchObject({
          operatorVersion: '0.1.0',
          runningRevision: active.desiredRevision,
        });
        expect(
          api.get(
            'gateway.networking.k8s.io/v1',
            'Gateway',
            'aigw-prod',
            'prod',
          ),
        ).toBeDefined();
        // The operator applies runtime objects only; the bootstrap is the installer's.
        expect(
          api.get('apps/v1', 'Deployment', 'aigw-prod', 'aigw-operator'),
        ).toBeUndefined();

        await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
        await eventually('the MCP server applied', async () =>
          api.get(
            'agentgateway.dev/v1alpha1',
            'AgentgatewayBackend',
            'aigw-prod',
            'mcp-github',
          ),
        );
        await eventually(
          'Active again',
          async () =>
            (await phaseChanges()).includes('OutOfSync → Active') &&
            (await phase()).phase === 'Active',
        );
        expect(await phaseChanges()).toEqual([
          'Pending → OutOfSync',
          'OutOfSync → Active',
          'Active → OutOfSync',
          'OutOfSync → Active',
        ]);

        // The API server refuses writes: the apply fails, the pool is Degraded with the reason.
        const before = api.objects({ namespace: 'aigw-prod' }).length;
        const unforbid = api.forbid(r => r.verb === 'patch');
        await t
          .api('payments')
          .post('/mcp-servers', anMcpServer('jira', 'payments', 'prod'));
        const degraded = await waitForPhase('Degraded');
        expect(
          degraded.conditions.find((c: any) => c.type === 'Applied'),
        ).toMatchObject({
          status: 'False',
          message: expect.stringContaining('403'),
        });
        expect(api.objects({ namespace: 'aigw-prod' }).length).toBe(before);
        // Recovery on the operator's backoff, with nothing lost.
        unforbid();
        await waitForPhase('Active');
        expect(
          api.get(
            'agentgateway.dev/v1alpha1',
            'AgentgatewayBackend',
            'aigw-prod',
            'mcp-jira',
          ),
        ).toBeDefined();
        expect(
          api.get(
            'agentgateway.dev/v1alpha1',
            'AgentgatewayBackend',
            'aigw-prod',
            'mcp-github',
          ),
        ).toBeDefined();

        // A deleted MCP server is pruned (the bundle shrank).
        await t.api('payments').delete('/mcp-servers/github');
        await eventually(
          'github pruned',
          async () =>
            !api.get(
              'agentgateway.dev/v1alpha1',
              'AgentgatewayBackend',
              'aigw-prod',
              'mcp-github',
            ),
        );
        await waitForPhase('Active');

        // A rotated token locks the operator out.
        const rotated = await t
          .api('payments')
          .post('/pools/prod/enrollment-token');
        expect(rotated.status).toBe(201);
        await eventually(
          'the token rejected',
          async () => operator.tokenRejected,
        );
      } finally {
        await operator.stop();
      }
      // Heartbeats stopped: Stale once the window has passed.
      const pool = (await t.api('payments').get('/pools/prod')).body;
      await t.api('payments').put('/pools/prod', {
        ...pool.spec,
        heartbeatStaleSeconds: 30,
        version: pool.version,
      });
      const row = await t
        .knex('aigw_pool_status')
        .where({ pool: 'prod' })
        .first();
      await t
        .knex('aigw_pool_status')
        .where({ pool: 'prod' })
        .update({
          heartbeat: JSON.stringify({
            ...JSON.parse(row.heartbeat),
            receivedAt: new Date(Date.now() - 31_000).toISOString(),
          }),
        });
      expect((await phase()).phase).toBe('Stale');
    });

    it('direct mode: the control plane applies -> Active; changes are reconciled; an unreachable API server -> Degraded -> sync recovers', async () => {
      const created = await t.api('payments').post(
        '/pools',
        aPool('prod', 'payments', {
          cluster: { name: 'test-cluster', type: 'native' },
          delivery: { mode: 'direct' },
        }),
      );
      expect(created.status).toBe(201);
      const active = await waitForPhase('Active');
      expect(active.heartbeat.operatorVersion).toBe('control-plane');
      expect(
        api.get('gateway.networking.k8s.io/v1', 'Gateway', 'aigw-prod', 'prod'),
      ).toBeDefined();

      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('github', 'payments', 'prod'));
      await eventually('the MCP server applied', async () =>
        api.get(
          'agentgateway.dev/v1alpha1',
          'AgentgatewayBackend',
          'aigw-prod',
          'mcp-github',
        ),
      );
      await waitForPhase('Active');

      // The live diff is taken against the cluster itself: nothing to do.
      const diff = (
        await t.api('payments').get('/pools/prod/manifests?diff=live')
      ).body;
      expect(diff.against).toBe('cluster');
      expect(diff.diff).toMatchObject({ added: [], changed: [], removed: [] });

      api.setUnreachable(true);
      // Without the cluster there is no live diff: 503, the cluster (not the request) is at fault.
      const noDiff = await t
        .api('payments')
        .get('/pools/prod/manifests?diff=live');
      expect(noDiff.status).toBe(503);
      expect(noDiff.body.error.message).toContain(
        "Cannot read pool prod from cluster 'test-cluster'",
      );
      const sync = await t.api('payments').post('/pools/prod/sync');
      expect(sync.status).toBe(202);
      expect(sync.body.result.phase).toBe('Degraded');
      expect(
        sync.body.result.conditions.find((c: any) => c.type === 'Applied')
          .message,
      ).toContain('cannot be reached');

      api.setUnreachable(false);
      const recovered = await t.api('payments').post('/pools/prod/reseed');
      expect(recovered.body.result.phase).toBe('Active');
      expect(
        api.get(
          'agentgateway.dev/v1alpha1',
          'AgentgatewayBackend',
          'aigw-prod',
          'mcp-github',
        ),
      ).toBeDefined();

      // 409 conflicts are retried; a 422 rejection degrades the pool with the server's message.
      api.failNext(1, {
        code: 409,
        reason: 'Conflict',
        matching: { method: 'PATCH', kind: 'HTTPRoute' },
      });
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('jira', 'payments', 'prod'));
      await eventually('jira applied', async () =>
        api.get(
          'gateway.networking.k8s.io/v1',
          'HTTPRoute',
          'aigw-prod',
          'mcp-jira',
        ),
      );
      await waitForPhase('Active');
      api.failNext(1, {
        code: 422,
        reason: 'Invalid',
        message:
          'HTTPRoute "mcp-wiki" is invalid: spec.hostnames[0]: Invalid value',
        matching: { method: 'PATCH', name: 'mcp-wiki', kind: 'HTTPRoute' },
      });
      await t
        .api('payments')
        .post('/mcp-servers', anMcpServer('wiki', 'payments', 'prod'));
      const degraded = await waitForPhase('Degraded');
      expect(
        degraded.conditions.find((c: any) => c.type === 'Applied').message,
      ).toContain('HTTPRoute/mcp-wiki: 422');
      expect(
        (await t.api('payments').post('/pools/prod/sync')).body.result.phase,
      ).toBe('Active');
    });

    it('direct mode: a cluster that is not configured is a clear Degraded reason', async () => {
      await t.api('payments').post(
        '/pools',
        aPool('prod', 'payments', {
          cluster: { name: 'elsewhere', type: 'eks' },
          delivery: { mode: 'direct' },
        }),
      );
      const status = (await t.api('payments').post('/pools/prod/sync')).body
        .result;
      expect(status.phase).toBe('Degraded');
      expect(
        (await t.api('payments').get('/pools/prod/manifests?diff=live')).status,
      ).toBe(400);
      expect(
        status.conditions.find((c: any) => c.type === 'Applied').message,
      ).toBe(
        "cluster 'elsewhere' is not in kubernetes.clusterLocatorMethods (known: test-cluster); direct delivery needs it",
      );
      // Retrying the same failure does not flood the pool's event log: one entry per outcome.
      await t.api('payments').post('/pools/prod/sync');
      await t.api('payments').post('/pools/prod/sync');
      const events = (await t.api('payments').get('/pools/prod/events')).body
        .items;
      expect(
        events.filter((e: any) => e.action === 'apply-failed'),
      ).toHaveLength(1);
    });
  },
);
