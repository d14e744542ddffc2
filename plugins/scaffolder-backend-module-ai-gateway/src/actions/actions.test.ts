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
import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { actionContext, clientFor } from '../__testUtils__/actionTestUtils';
import { attachPolicyAction, registerAiBackendAction } from './createObjects';
import { createPoolAction, DRY_RUN_TOKEN } from './createPool';
import { deployMcpServerAction } from './deployMcpServer';
import { installPoolAction } from './installPool';
import { createOnce } from './objects';
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
  const latestEvent = async (pool: string) =>
    (await t.api('payments').get(`/pools/${pool}/events`)).body.items[0];
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

    it("names the form's fields in words, without a stack trace, and creates nothing", async () => {
      const { ctx } = actionContext({
        input: {
          pool: poolInput({
            resources: {
              requests: { cpu: 'lots', memory: '128Mi' },
              limits: { cpu: '500m', memory: '512Mi' },
            },
          }),
        },
        userRef: bob,
      });
      const error = await createPoolAction({ client })
        .handler(ctx as any)
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        'Check these fields of the form: CPU request (resources.requests.cpu): must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
      );
      // The scaffolder logs a failed step's stack: here it is the message.
      expect(error.stack).toBe(`InputError: ${error.message}`);
      expect(await pools()).toEqual([]);
    });

    it("turns the control plane's 400 into the same InputError", async () => {
      const error = await createOnce({
        client,
        credentials: mockCredentials.user(bob),
        kind: 'pool',
        // Sent as is, without the action's own validation.
        body: poolInput({ replicas: 0, namespace: 'Not A Label' }),
        logger: quiet,
      }).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(
        error.issues.map((i: { field: string }) => i.field).sort(),
      ).toEqual(['namespace', 'replicas']);
      expect(error.message).toMatch(
        /^Check these fields of the form: .*Namespace \(namespace\): must be/,
      );
      expect(error.message).toMatch(/Gateway replicas \(replicas\): must be/);
      expect(error.stack).not.toMatch(/\n\s+at /);
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
      expect(outputs).toMatchObject({
        mode: 'direct',
        phase: 'Active',
        installed: true,
        installUrl: '/catalog/default/resource/prod/install',
        state: expect.stringMatching(
          /^Pool prod is installed\. The control plane applied revision sha256:\S+ to cluster test-cluster, namespace aigw-prod\. Now Active: /,
        ),
      });
      expect(outputs.nextStep).toBeUndefined();
      expect(outputs.command).toBeUndefined();
      expect(
        api.get('gateway.networking.k8s.io/v1', 'Gateway', 'aigw-prod', 'prod'),
      ).toBeDefined();
      expect(logs.some(l => l.includes('Pool prod is Active'))).toBe(true);
      expect(await latestEvent('prod')).toMatchObject({
        action: 'installed',
        actor: bob,
      });
    });

    it('direct, cluster not configured: completes with installed=false, the next step and an event, instead of failing', async () => {
      await t.api('payments').post(
        '/pools',
        poolInput({
          cluster: { name: 'prod-eu-eks', type: 'eks' },
          delivery: { mode: 'direct' },
        }),
      );
      const { ctx, outputs, logs } = actionContext({
        input: { pool: 'prod', timeoutSeconds: 30 },
        userRef: bob,
      });
      const started = Date.now();
      await installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      // The failed apply is final: no waiting for the timeout.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outputs).toMatchObject({
        mode: 'direct',
        installed: false,
        phase: 'Degraded',
        installUrl: '/catalog/default/resource/prod/install',
        state: expect.stringContaining(
          "Pool prod is created but not installed. The portal has no access to cluster prod-eu-eks: it is not in kubernetes.clusterLocatorMethods (known: test-cluster). Now Degraded: The last apply failed: cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods",
        ),
        nextStep: expect.stringMatching(
          /^Add cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
        ),
      });
      expect(outputs.command).toBeUndefined();
      expect(logs.some(l => l.startsWith('warn Pool prod is created'))).toBe(
        true,
      );
      expect(await latestEvent('prod')).toMatchObject({
        action: 'awaiting-install',
        actor: bob,
        message: expect.stringContaining(
          'Next step: Add cluster prod-eu-eks to kubernetes.clusterLocatorMethods',
        ),
      });
    });

    it('agent, cluster not configured: completes with the Install tab, the command and an event, applying nothing', async () => {
      const created = await t
        .api('payments')
        .post(
          '/pools',
          poolInput({ cluster: { name: 'edge', type: 'native' } }),
        );
      const { ctx, outputs, logs } = actionContext({
        input: {
          pool: 'prod',
          enrollmentToken: created.body.enrollmentToken,
          timeoutSeconds: 30,
        },
        userRef: bob,
      });
      await installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      expect(outputs).toMatchObject({
        mode: 'agent',
        installed: false,
        phase: 'Pending',
        installUrl: '/catalog/default/resource/prod/install',
        command: 'kubectl apply -f prod-bootstrap.yaml',
        state:
          'Pool prod is created but not installed. The portal has no access to cluster edge: it is not in kubernetes.clusterLocatorMethods (known: test-cluster). Now Pending: No operator has connected yet: nothing has been installed in the cluster.',
        nextStep: expect.stringMatching(/Install tab to cluster edge/),
      });
      expect(
        api.get('v1', 'Secret', 'aigw-prod', 'aigw-enrollment-token'),
      ).toBeUndefined();
      const events = await t.api('payments').get('/pools/prod/events');
      expect(events.body.items[0]).toMatchObject({
        action: 'awaiting-install',
        actor: bob,
      });
      // Neither the logs nor the outputs nor the events carry the token.
      const token = created.body.enrollmentToken as string;
      expect(JSON.stringify([logs, outputs, events.body])).not.toContain(token);
      // The creation's token was not replaced: the Install tab issues one when needed.
      expect(
        events.body.items.some(
          (e: { action: string }) => e.action === 'enrollment-token-rotated',
        ),
      ).toBe(false);
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
        expect(outputs).toMatchObject({
          mode: 'agent',
          installed: true,
          state: expect.stringMatching(
            /^Pool prod is installed\. Operator \S+ runs in cluster test-cluster, namespace aigw-prod and has connected\./,
          ),
        });
        expect(outputs.command).toBeUndefined();
        expect(['OutOfSync', 'Active']).toContain(outputs.phase);
        expect((await latestEvent('prod')).action).toBe('installed');
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

    it('agent: reports install-failed with what to check when no operator connects in time', async () => {
      const created = await t.api('payments').post('/pools', poolInput());
      const { ctx, outputs } = actionContext({
        input: {
          pool: 'prod',
          enrollmentToken: created.body.enrollmentToken,
          timeoutSeconds: 1,
        },
        userRef: bob,
      });
      await installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      expect(outputs).toMatchObject({
        installed: false,
        phase: 'Pending',
        state: expect.stringContaining(
          'The portal applied the bootstrap to cluster test-cluster, namespace aigw-prod, but the operator has not reported within 1 s.',
        ),
        nextStep: expect.stringMatching(
          /^Check that the operator pod runs in namespace aigw-prod/,
        ),
        command: 'kubectl apply -f prod-bootstrap.yaml',
      });
      expect(
        api.get('apps/v1', 'Deployment', 'aigw-prod', 'aigw-operator'),
      ).toBeDefined();
      expect((await latestEvent('prod')).action).toBe('install-failed');
    });

    it('agent: a cluster that refuses the bootstrap ends in instructions, not a failure', async () => {
      await t
        .api('payments')
        .post('/pools', poolInput({ namespace: 'aigw-missing' }));
      const { ctx, outputs } = actionContext({
        input: { pool: 'prod', timeoutSeconds: 5 },
        userRef: bob,
      });
      await installPoolAction({
        client,
        clusters: clusters(),
        pollMs: 50,
      }).handler(ctx as any);
      expect(outputs).toMatchObject({
        installed: false,
        state: expect.stringContaining(
          'The portal could not apply the bootstrap to cluster test-cluster, namespace aigw-missing: namespace aigw-missing does not exist',
        ),
        command: 'kubectl apply -f prod-bootstrap.yaml',
      });
      expect((await latestEvent('prod')).action).toBe('install-failed');
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
      expect(outputs).toMatchObject({
        mode: 'gitops',
        path: 'clusters/prod',
        installed: false,
        phase: 'Pending',
        command:
          'unzip prod-gitops.zip && git add clusters/prod && git commit -m "AI gateway pool prod" && git push',
        nextStep: expect.stringMatching(/Argo CD or Flux/),
      });
      expect((await latestEvent('prod')).action).toBe('awaiting-install');
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
      expect(dry.outputs).toMatchObject({
        url: 'https://mcp.ai.example.com/github/mcp',
        served: false,
        state: expect.stringMatching(
          /^Dry run: MCP server github would be registered in pool prod/,
        ),
      });
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
        poolEntityRef: 'resource:default/prod',
        served: true,
        poolPhase: 'Active',
        state: 'MCP server github is served by pool prod.',
      });
      expect(run.logs).toContain(
        'info MCP server github is served by pool prod. ',
      );
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
      const started = Date.now();
      await deployMcpServerAction({ client, pollMs: 50 }).handler(ctx as any);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outputs).toMatchObject({
        url: 'https://mcp.ai.example.com/github/mcp',
        served: false,
        poolPhase: 'Pending',
        state:
          'MCP server github is registered; it is served once pool prod is applied. Now Pending: No operator has connected yet: nothing has been installed in the cluster.',
        nextStep: expect.stringMatching(/Install tab/),
      });
      expect(
        logs.some(l => l.startsWith('warn MCP server github is registered')),
      ).toBe(true);
      expect(logs.some(l => l.includes('Waiting'))).toBe(false);
    });

    it('reports a Degraded pool honestly, at once, without failing', async () => {
      // A direct pool whose cluster the portal does not know: every apply fails.
      await t.api('payments').post(
        '/pools',
        poolInput({
          cluster: { name: 'prod-eu-eks', type: 'eks' },
          delivery: { mode: 'direct' },
        }),
      );
      await t.api('payments').post('/pools/prod/sync');
      const { ctx, outputs, logs } = actionContext({
        input: {
          mcpServer: anMcpServer('github', 'payments', 'prod'),
          wait: true,
          timeoutSeconds: 300,
        },
        userRef: bob,
      });
      const started = Date.now();
      await deployMcpServerAction({ client, pollMs: 50 }).handler(ctx as any);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outputs).toMatchObject({
        name: 'github',
        entityRef: 'api:default/github',
        poolEntityRef: 'resource:default/prod',
        served: false,
        poolPhase: 'Degraded',
        state: expect.stringMatching(
          /^MCP server github is registered; it is served once pool prod is applied\. Now Degraded: The last apply failed: cluster 'prod-eu-eks' is not in kubernetes\.clusterLocatorMethods/,
        ),
        nextStep: expect.stringMatching(
          /^Add cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
        ),
      });
      expect(logs.some(l => l.startsWith('info Next step: Add cluster'))).toBe(
        true,
      );
      expect((await t.api('payments').get('/mcp-servers/github')).status).toBe(
        200,
      );
    });

    it('waits only as long as it is told, then reports what it sees', async () => {
      // An operator that connected once and applies nothing more: OutOfSync after the change.
      const created = await t.api('payments').post('/pools', poolInput());
      const operator = new ControlPlaneClient({
        baseUrl: `http://localhost:${
          (t.backend.server.address() as any).port
        }/api/ai-gateway`,
        token: created.body.enrollmentToken,
      });
      await operator.heartbeat({ operatorVersion: 'test' });
      const { ctx, outputs, logs } = actionContext({
        input: {
          mcpServer: anMcpServer('github', 'payments', 'prod'),
          wait: true,
          timeoutSeconds: 1,
        },
        userRef: bob,
      });
      await deployMcpServerAction({ client, pollMs: 50 }).handler(ctx as any);
      expect(logs.some(l => l.includes('Waiting up to 1 s'))).toBe(true);
      expect(logs.some(l => l.includes('Stopped waiting after 1 s'))).toBe(
        true,
      );
      expect(outputs).toMatchObject({ served: false, poolPhase: 'OutOfSync' });
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
      expect(backend.outputs).toMatchObject({
        name: 'llm',
        entityRef: 'resource:default/llm',
        poolEntityRef: 'resource:default/prod',
        served: false,
        poolPhase: 'Pending',
        state: expect.stringMatching(
          /^AI backend llm is registered; it is served once pool prod is applied\. Now Pending: /,
        ),
        nextStep: expect.stringMatching(/Install tab/),
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
      expect(policy.outputs).toMatchObject({
        name: 'budget',
        target: 'backend/llm',
        served: false,
        poolPhase: 'Pending',
        state: expect.stringMatching(/^Policy budget is registered; /),
      });
      const manifests = actionContext({
        input: { pool: 'prod', targetFile: 'review/prod.yaml' },
        userRef: bob,
        workspacePath: workspace.path,
      });
      await poolManifestsAction({ client }).handler(manifests.ctx as any);
      // The policy, the gateway's model-routing policy (the backend serves
      // named models) and its usage attribution (metric labels).
      expect(manifests.outputs.kinds).toMatchObject({
        AgentgatewayBackend: 1,
        AgentgatewayPolicy: 3,
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
      expect(error.stack).toBe(`ResponseError: ${error.message}`);
      expect(error.body.error.issues).toEqual([
        { field: 'pool', message: "pool 'nope' does not exist" },
      ]);
    });
  });
});
