import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  anAiBackend,
  aPolicy,
  KubernetesApiTestServer,
  startAiGatewayTestBackend,
  testUsers,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { ConfigClusterConnector } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  ControlPlaneClient,
  OperatorAgent,
} from '@ai-gateway-backstage/ai-gateway-operator';
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { actionContext, clientFor } from '../__testUtils__/actionTestUtils';
import { attachPolicyAction, registerAiBackendAction } from './createObjects';
import { createPoolAction, DRY_RUN_TOKEN } from './createPool';
import { deployMcpServerAction } from './deployMcpServer';
import { installPoolAction } from './installPool';
import { poolManifestsAction } from './poolManifests';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const bob = testUsers.payments.ref;
const carol = testUsers.research.ref;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('ai-gateway scaffolder actions', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let api: KubernetesApiTestServer;
  let client: ReturnType<typeof clientFor>;
  const workspace = createMockDirectory();

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
      databaseId: 'SQLITE_3',
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
    for (const [name, owner] of [
      ['payments', 'group:default/team-payments'],
      ['research', 'group:default/team-research'],
    ]) {
      await t.api('admin').create('/projects', aProject(name, owner));
    }
    client = clientFor(t.backend.server);
    workspace.clear();
  });

  afterEach(async () => {
    await t.backend.stop();
    await api.stop();
  });

  const clusters = () =>
    ConfigClusterConnector.fromConfig({
      getOptionalConfigArray: () => [
        {
          getString: () => 'config',
          getOptionalConfigArray: () => [
            {
              getString: (k: string) =>
                k === 'name' ? 'test-cluster' : api.url,
              getOptionalString: (k: string) =>
                k === 'serviceAccountToken' ? 'test-token' : undefined,
              getOptionalBoolean: () => true,
            },
          ],
        },
      ],
    } as any);
  const pools = async () =>
    (await t.knex('aigw_pools').select('name')).map(r => r.name);
  const poolInput = (extra: object = {}) =>
    aPool('prod', 'payments', {
      cluster: { name: 'test-cluster', type: 'native' },
      ...extra,
    });

  describe('ai-gateway:pool:create', () => {
    it('creates the pool as the user and outputs the entity ref and a working token, never logging it', async () => {
      const { ctx, logs, outputs } = actionContext({
        input: { pool: poolInput() },
        userRef: bob,
      });
      await createPoolAction({ client }).handler(ctx as any);
      expect(outputs).toMatchObject({
        name: 'prod',
        entityRef: 'resource:default/prod',
        enrollmentToken: expect.stringMatching(/^aigw_prod_/),
      });
      expect(logs.join('\n')).not.toContain(outputs.enrollmentToken as string);
      expect(logs.some(l => l.includes('Pool prod created'))).toBe(true);
      expect((await t.api('payments').get('/pools/prod')).body.createdBy).toBe(
        bob,
      );
      // The token works at the operator endpoint.
      const hb = await new ControlPlaneClient({
        baseUrl: `http://localhost:${
          (t.backend.server.address() as any).port
        }/api/ai-gateway`,
        token: outputs.enrollmentToken as string,
      }).heartbeat({ operatorVersion: 'test' });
      expect(hb.pool).toBe('prod');
    });

    it('creates nothing in a dry run', async () => {
      const { ctx, outputs } = actionContext({
        input: { pool: poolInput() },
        userRef: bob,
        isDryRun: true,
      });
      await createPoolAction({ client }).handler(ctx as any);
      expect(outputs).toEqual({
        name: 'prod',
        entityRef: 'resource:default/prod',
        enrollmentToken: DRY_RUN_TOKEN,
      });
      expect(await pools()).toEqual([]);
    });

    it('names the bad field and creates nothing', async () => {
      const { ctx } = actionContext({
        input: { pool: poolInput({ namespace: 'Not A Label' }) },
        userRef: bob,
      });
      await expect(
        createPoolAction({ client }).handler(ctx as any),
      ).rejects.toMatchObject({
        issues: [expect.objectContaining({ field: 'namespace' })],
      });
      expect(await pools()).toEqual([]);
    });

    it('never creates twice when the task is retried, and hands out a fresh token', async () => {
      const checkpoints = new Map<string, unknown>();
      const first = actionContext({
        input: { pool: poolInput() },
        userRef: bob,
        checkpoints,
      });
      await createPoolAction({ client }).handler(first.ctx as any);
      const retry = actionContext({
        input: { pool: poolInput() },
        userRef: bob,
        checkpoints,
      });
      await createPoolAction({ client }).handler(retry.ctx as any);
      expect(await pools()).toEqual(['prod']);
      expect(retry.outputs.enrollmentToken).not.toBe(
        first.outputs.enrollmentToken,
      );
      // A retry after a crash between the create and the checkpoint: the 409 is recognised.
      const crashed = actionContext({
        input: { pool: poolInput() },
        userRef: bob,
      });
      await createPoolAction({ client }).handler(crashed.ctx as any);
      expect(
        crashed.logs.some(l => l.includes('created by an earlier attempt')),
      ).toBe(true);
      expect(await pools()).toEqual(['prod']);
    });

    it('fails for a user without permission on the project, changing nothing', async () => {
      const { ctx } = actionContext({
        input: { pool: poolInput() },
        userRef: carol,
      });
      await expect(
        createPoolAction({ client }).handler(ctx as any),
      ).rejects.toHaveProperty('statusCode', 403);
      expect(await pools()).toEqual([]);
    });
  });

  describe('ai-gateway:pool:install', () => {
    it('direct: the control plane applies and the action waits until the revision is applied (here Active: the test server reports every workload ready at once)', async () => {
      await t
        .api('payments')
        .post('/pools', poolInput({ delivery: { mode: 'direct' } }));
      const { ctx, outputs, logs } = actionContext({
        input: { pool: 'prod', timeoutSeconds: 30 },
        userRef: bob,
      });
      await installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      expect(outputs).toMatchObject({ mode: 'direct', phase: 'Active' });
      expect(
        api.get('gateway.networking.k8s.io/v1', 'Gateway', 'aigw-prod', 'prod'),
      ).toBeDefined();
      expect(logs.some(l => l.includes('Pool prod is Active'))).toBe(true);
    });

    it("agent: applies the bootstrap with the token and waits for the operator's first heartbeat", async () => {
      const created = await t.api('payments').post('/pools', poolInput());
      const { ctx, outputs } = actionContext({
        input: {
          pool: 'prod',
          enrollmentToken: created.body.enrollmentToken,
          timeoutSeconds: 30,
        },
        userRef: bob,
      });
      const install = installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      // Play the kubelet: once the operator Deployment and its Secret exist, run the operator with the Secret's token.
      let operator: OperatorAgent | undefined;
      const deadline = Date.now() + 20_000;
      while (!operator && Date.now() < deadline) {
        const secret = api.get(
          'v1',
          'Secret',
          'aigw-prod',
          'aigw-enrollment-token',
        ) as any;
        const deployment = api.get(
          'apps/v1',
          'Deployment',
          'aigw-prod',
          'aigw-operator',
        );
        const token = secret?.data?.token
          ? Buffer.from(secret.data.token, 'base64').toString()
          : secret?.stringData?.token;
        if (deployment && token) {
          operator = new OperatorAgent({
            controlPlane: new ControlPlaneClient({
              baseUrl: `http://localhost:${
                (t.backend.server.address() as any).port
              }/api/ai-gateway`,
              token,
            }),
            kubeConfig: api.kubeConfig(),
            namespace: 'aigw-prod',
            pollSeconds: 1,
            logger: quiet,
          });
          operator.start();
        }
        await new Promise(r => setTimeout(r, 20));
      }
      try {
        await install;
        expect(outputs.mode).toBe('agent');
        expect(['OutOfSync', 'Active']).toContain(outputs.phase);
        expect(
          api.get(
            'rbac.authorization.k8s.io/v1',
            'Role',
            'aigw-prod',
            'aigw-operator',
          ),
        ).toBeDefined();
        const secret = api.get(
          'v1',
          'Secret',
          'aigw-prod',
          'aigw-enrollment-token',
        ) as any;
        expect(
          secret.metadata.managedFields.map((f: any) => f.manager).sort(),
        ).toEqual(['ai-gateway', 'ai-gateway-install']);
      } finally {
        await operator?.stop();
      }
    });

    it('agent: fails with the pool conditions when no operator ever connects', async () => {
      const created = await t.api('payments').post('/pools', poolInput());
      const { ctx } = actionContext({
        input: {
          pool: 'prod',
          enrollmentToken: created.body.enrollmentToken,
          timeoutSeconds: 1,
        },
        userRef: bob,
      });
      await expect(
        installPoolAction({ client, clusters: clusters(), pollMs: 50 }).handler(
          ctx as any,
        ),
      ).rejects.toThrow(
        /Pool prod did not send its first heartbeat within 1 s; it is Pending:\nOperatorConnected=False \(HeartbeatMissing\)/,
      );
    });

    it('gitops: writes the bundle as a kustomize directory into the workspace', async () => {
      await t
        .api('payments')
        .post(
          '/pools',
          poolInput({ delivery: { mode: 'gitops', path: 'clusters/prod' } }),
        );
      const { ctx, outputs } = actionContext({
        input: { pool: 'prod', timeoutSeconds: 5 },
        userRef: bob,
        workspacePath: workspace.path,
      });
      await installPoolAction({ client, clusters: clusters() }).handler(
        ctx as any,
      );
      expect(outputs).toMatchObject({ mode: 'gitops', path: 'clusters/prod' });
      const files = fs.readdirSync(path.join(workspace.path, 'clusters/prod'));
      expect(files).toContain('kustomization.yaml');
      expect(
        fs.readFileSync(
          path.join(workspace.path, 'clusters/prod/kustomization.yaml'),
          'utf8',
        ),
      ).toContain(outputs.revision as string);
    });
  });

  describe('ai-gateway:mcp-server:deploy', () => {
    it('outputs the URL, waits until the pool serves it, and checks the prefix in a dry run', async () => {
      await t
        .api('payments')
        .post('/pools', poolInput({ delivery: { mode: 'direct' } }));
      const input = {
        mcpServer: anMcpServer('github', 'payments', 'prod'),
        wait: true,
        timeoutSeconds: 30,
      };
      const dry = actionContext({ input, userRef: bob, isDryRun: true });
      await deployMcpServerAction({ client, pollMs: 50 }).handler(
        dry.ctx as any,
      );
      expect(dry.outputs.url).toBe('https://mcp.ai.example.com/github/mcp');
      expect((await t.api('payments').get('/mcp-servers')).body.items).toEqual(
        [],
      );

      const run = actionContext({ input, userRef: bob });
      await deployMcpServerAction({ client, pollMs: 50 }).handler(
        run.ctx as any,
      );
      expect(run.outputs).toEqual({
        name: 'github',
        url: 'https://mcp.ai.example.com/github/mcp',
        entityRef: 'api:default/github',
      });
      expect(
        api.get(
          'agentgateway.dev/v1alpha1',
          'AgentgatewayBackend',
          'aigw-prod',
          'mcp-github',
        ),
      ).toBeDefined();

      const clash = actionContext({
        input: {
          ...input,
          mcpServer: {
            ...anMcpServer('other', 'payments', 'prod'),
            prefix: 'github',
          },
        },
        userRef: bob,
        isDryRun: true,
      });
      await expect(
        deployMcpServerAction({ client }).handler(clash.ctx as any),
      ).rejects.toThrow(
        "prefix 'github' is already used by MCP server 'github' in pool prod",
      );
    });

    it('registers without waiting when no operator is connected to the pool', async () => {
      await t.api('payments').post('/pools', poolInput());
      const { ctx, outputs, logs } = actionContext({
        input: {
          mcpServer: anMcpServer('github', 'payments', 'prod'),
          wait: true,
          timeoutSeconds: 300,
        },
        userRef: bob,
      });
      await deployMcpServerAction({ client, pollMs: 50 }).handler(ctx as any);
      expect(outputs.url).toBe('https://mcp.ai.example.com/github/mcp');
      expect(
        logs.some(l =>
          l.includes('Pool prod is Pending (no operator is connected)'),
        ),
      ).toBe(true);
    });

    it('fails for a user who cannot see the pool', async () => {
      await t.api('payments').post('/pools', poolInput());
      const { ctx } = actionContext({
        input: {
          mcpServer: anMcpServer('github', 'research', 'prod'),
          wait: false,
          timeoutSeconds: 5,
        },
        userRef: carol,
      });
      await expect(
        deployMcpServerAction({ client }).handler(ctx as any),
      ).rejects.toHaveProperty('statusCode', 404);
      expect((await t.api('admin').get('/mcp-servers')).body.items).toEqual([]);
    });
  });

  describe('ai-gateway:ai-backend:register, ai-gateway:policy:attach and ai-gateway:pool:manifests', () => {
    it('register, attach and render as the user', async () => {
      await t.api('payments').post('/pools', poolInput());
      const backend = actionContext({
        input: { aiBackend: anAiBackend('llm', 'payments', 'prod') },
        userRef: bob,
      });
      await registerAiBackendAction({ client }).handler(backend.ctx as any);
      expect(backend.outputs).toEqual({
        name: 'llm',
        entityRef: 'resource:default/llm',
      });
      const policy = actionContext({
        input: {
          policy: aPolicy('budget', 'payments', 'prod', {
            kind: 'backend',
            name: 'llm',
          }),
        },
        userRef: bob,
      });
      await attachPolicyAction({ client }).handler(policy.ctx as any);
      expect(policy.outputs).toEqual({ name: 'budget', target: 'backend/llm' });
      const manifests = actionContext({
        input: { pool: 'prod', targetFile: 'review/prod.yaml' },
        userRef: bob,
        workspacePath: workspace.path,
      });
      await poolManifestsAction({ client }).handler(manifests.ctx as any);
      // The policy, and the gateway's model-routing policy (the backend serves named models).
      expect(manifests.outputs.kinds).toMatchObject({
        AgentgatewayBackend: 1,
        AgentgatewayPolicy: 2,
        Gateway: 1,
      });
      expect(
        fs.readFileSync(path.join(workspace.path, 'review/prod.yaml'), 'utf8'),
      ).toContain(`# revision: ${manifests.outputs.revision}`);
      // Another team's user gets a 404 for the pool and changes nothing.
      const other = actionContext({
        input: {
          policy: aPolicy('steal', 'payments', 'prod', {
            kind: 'gateway',
            name: 'prod',
          }),
        },
        userRef: carol,
      });
      await expect(
        attachPolicyAction({ client }).handler(other.ctx as any),
      ).rejects.toHaveProperty('statusCode', 403);
    });

    it("fails with the control plane's reason and field issues in the task log's message", async () => {
      const { ctx } = actionContext({
        input: { aiBackend: anAiBackend('llm', 'payments', 'nope') },
        userRef: bob,
      });
      const error = await registerAiBackendAction({ client })
        .handler(ctx as any)
        .catch(e => e);
      expect(error.name).toBe('ResponseError');
      expect(error.statusCode).toBe(422);
      expect(error.message).toBe(
        "Request failed with 422 Unprocessable Entity: pool 'nope' does not exist",
      );
      expect(error.body.error.issues).toEqual([
        { field: 'pool', message: "pool 'nope' does not exist" },
      ]);
    });
  });
});
