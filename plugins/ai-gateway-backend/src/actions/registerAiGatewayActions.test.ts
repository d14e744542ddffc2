import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  aPolicy,
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
  startAiGatewayTestBackend,
  testUsers,
  type TestUser,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the AI Gateway actions', () => {
  // One registry for the whole backend, so the test can invoke what the plugin registered.
  const registry = actionsRegistryServiceMock({
    logger: mockServices.logger.mock(),
  });
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  /** Runs an action as a user, as the actions registry's HTTP endpoint would. */
  const invoke = (user: TestUser, name: string, input: object) =>
    registry.invoke({
      // The mock registry ids every action `test:<name>` (the real one
      // `ai-gateway:<name>`, see mcpActions.test.ts).
      id: `test:${name}`,
      input: input as any,
      credentials: mockCredentials.user(testUsers[user].ref, {
        actor: { subject: 'plugin:mcp-actions' },
      }),
    }) as Promise<{ output: any }>;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
    });
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t
      .api('admin')
      .create('/projects', aProject('research', 'group:default/team-research'));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
    await t.api('research').create('/pools', aPool('lab', 'research'));
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  it('registers every action with its attributes', () => {
    const removal = { readOnly: false, destructive: true, idempotent: true };
    const attributes = Object.fromEntries(
      [...registry.actions.values()].map(a => [a.name, a.attributes]),
    );
    expect(attributes).toEqual({
      'list-pools': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
      'describe-pool': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
      'get-pool-manifests': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
      'deploy-mcp-server': {
        readOnly: false,
        destructive: false,
        idempotent: false,
      },
      'register-ai-backend': {
        readOnly: false,
        destructive: false,
        idempotent: false,
      },
      'attach-policy': {
        readOnly: false,
        destructive: false,
        idempotent: false,
      },
      'set-budget': {
        readOnly: false,
        destructive: false,
        idempotent: true,
      },
      'remove-mcp-server': removal,
      'remove-ai-backend': removal,
      'detach-policy': removal,
    });
    const visibility = Object.fromEntries(
      [...registry.actions.values()].map(a => [
        a.name,
        a.visibilityPermission?.name,
      ]),
    );
    expect(visibility).toMatchObject({
      'deploy-mcp-server': undefined,
      'remove-mcp-server': 'ai-gateway.actions.destructive',
      'remove-ai-backend': 'ai-gateway.actions.destructive',
      'detach-policy': 'ai-gateway.actions.destructive',
    });
  });

  it('lists the pools the user may see, as the fleet API does', async () => {
    const { output } = await invoke('payments', 'list-pools', {});
    const fleet = await t.api('payments').get('/fleet');
    expect(output.pools).toEqual(
      fleet.body.items.map((p: any) => ({
        name: p.pool,
        project: p.project,
        description: p.description,
        cluster: p.cluster.name,
        namespace: p.namespace,
        deliveryMode: p.delivery,
        phase: p.phase,
        ...(p.reason ? { reason: p.reason } : {}),
      })),
    );
    expect(output.pools.map((p: any) => p.name)).toEqual(['prod']);
    expect(output.pools[0]).toMatchObject({
      project: 'payments',
      cluster: 'prod-eu',
      namespace: 'aigw-prod',
      deliveryMode: 'agent',
      phase: 'Pending',
    });

    const admin = await invoke('admin', 'list-pools', { project: 'research' });
    expect(admin.output.pools.map((p: any) => p.name)).toEqual(['lab']);
  });

  it('deploys an MCP server as the REST API does, and says honestly that it is not served yet', async () => {
    const { output } = await invoke(
      'payments',
      'deploy-mcp-server',
      anMcpServer('github', 'payments', 'prod'),
    );
    const stored = await t.api('payments').get('/mcp-servers/github');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      createdBy: testUsers.payments.ref,
      spec: { transport: 'streamable-http', tools: { allow: [], deny: [] } },
    });
    expect(output).toEqual({
      name: 'github',
      pool: 'prod',
      url: stored.body.derived.url,
      served: false,
      poolPhase: 'Pending',
      state: expect.stringMatching(
        /^MCP server github is registered; it is served once pool prod/,
      ),
      nextStep: expect.any(String),
    });
    expect(output.url).toBe('https://mcp.ai.example.com/github/mcp');
    const audit = t.auditEvents.filter(
      e => e.meta?.actionType === 'create' && e.meta?.kind === 'mcpServer',
    );
    expect(audit.map(e => e.outcome)).toContain('success');
  });

  it('refuses what the REST API refuses, with the same errors', async () => {
    await expect(
      invoke('payments', 'deploy-mcp-server', {
        ...anMcpServer('bad', 'payments', 'prod'),
        prefix: 'Not A Label',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('prefix: '),
    });
    await expect(
      invoke('payments', 'deploy-mcp-server', {
        ...anMcpServer('nameless', 'payments', 'prod'),
        name: undefined,
        colour: 'blue',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/name: .*colour/s),
    });
    await expect(
      invoke(
        'payments',
        'deploy-mcp-server',
        anMcpServer('github', 'payments', 'prod'),
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });

    const rest = await t
      .api('outsider')
      .post('/mcp-servers', anMcpServer('intruder', 'payments', 'prod'));
    const action = invoke(
      'outsider',
      'deploy-mcp-server',
      anMcpServer('intruder', 'payments', 'prod'),
    );
    await expect(action).rejects.toMatchObject({
      name: rest.body.error.name,
      message: rest.body.error.message,
    });
    expect(rest.status).toBe(403);
  });

  it('describes a pool with its guidance and what it serves', async () => {
    await invoke(
      'payments',
      'register-ai-backend',
      anAiBackend('llm', 'payments', 'prod'),
    );
    const { output } = await invoke('payments', 'describe-pool', {
      name: 'prod',
    });
    const status = await t.api('payments').get('/pools/prod/status');
    expect(output).toMatchObject({
      name: 'prod',
      project: 'payments',
      cluster: 'prod-eu',
      namespace: 'aigw-prod',
      gateway: 'agentgateway',
      deliveryMode: 'agent',
      version: 1,
      phase: status.body.phase,
      served: false,
      cause: expect.any(String),
      nextStep: expect.any(String),
      mcpServers: [
        {
          name: 'github',
          prefix: 'github',
          url: 'https://mcp.ai.example.com/github/mcp',
        },
      ],
      aiBackends: [
        {
          name: 'llm',
          kind: 'ai',
          endpoint: 'https://api.ai.example.com/llm/v1',
        },
      ],
    });
    expect(output.conditions.map((c: any) => c.type)).toEqual(
      status.body.conditions.map((c: any) => c.type),
    );

    await expect(
      invoke('research', 'describe-pool', { name: 'prod' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('returns the rendered manifests and the diff against what runs', async () => {
    const { output } = await invoke('payments', 'get-pool-manifests', {
      name: 'prod',
    });
    const rest = await t.api('payments').get('/pools/prod/manifests');
    expect(output.revision).toBe(rest.body.revision);
    expect(output.objects).toHaveLength(rest.body.objects.length);
    expect(output.objects).toContainEqual(
      expect.objectContaining({ kind: 'Gateway' }),
    );
    expect(output.yaml).toBeUndefined();
    expect(output.diff).toMatchObject({
      against: 'nothing-running',
      changed: [],
      removed: [],
      unchanged: 0,
    });
    expect(output.diff.added).toHaveLength(rest.body.objects.length);

    const yaml = await invoke('payments', 'get-pool-manifests', {
      name: 'prod',
      format: 'yaml',
      diff: false,
    });
    expect(yaml.output.yaml).toContain('kind: Gateway');
    expect(yaml.output.diff).toBeUndefined();

    await expect(
      invoke('payments', 'get-pool-manifests', { name: 'prod', format: 'xml' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      issues: [{ field: 'format', message: "must be 'summary' or 'yaml'" }],
    });
  });

  it('attaches a policy', async () => {
    const { output } = await invoke(
      'payments',
      'attach-policy',
      aPolicy('limits', 'payments', 'prod', { kind: 'gateway', name: 'prod' }),
    );
    expect(output).toMatchObject({
      name: 'limits',
      pool: 'prod',
      served: false,
    });
    expect((await t.api('payments').get('/policies/limits')).status).toBe(200);
  });

  it('removes what depends on nothing, names what still depends, and checks the delete as the REST API does', async () => {
    await t
      .api('payments')
      .create('/ai-backends', anAiBackend('chat', 'payments', 'prod'));
    await t.api('payments').create(
      '/policies',
      aPolicy('chat-guard', 'payments', 'prod', {
        kind: 'backend',
        name: 'chat',
      }),
    );

    await expect(
      invoke('payments', 'remove-ai-backend', { name: 'chat' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "AI backend 'chat' is still used by 1 policy; delete those first or ask for cascade=true",
    });
    await expect(
      invoke('research', 'detach-policy', { name: 'chat-guard' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((await t.api('payments').get('/ai-backends/chat')).status).toBe(200);

    const removed = await invoke('payments', 'remove-ai-backend', {
      name: 'chat',
      cascade: true,
    });
    expect(removed.output).toMatchObject({
      name: 'chat',
      pool: 'prod',
      removed: [
        { kind: 'policy', name: 'chat-guard' },
        { kind: 'aiBackend', name: 'chat' },
      ],
      applied: false,
    });
    expect(removed.output.state).toMatch(
      /^AI backend chat is deleted; pool prod stops serving it once the change is applied\. Now Pending: /,
    );
    expect((await t.api('payments').get('/policies/chat-guard')).status).toBe(
      404,
    );
    const detached = await invoke('payments', 'detach-policy', {
      name: 'limits',
    });
    expect(detached.output.removed).toEqual([
      { kind: 'policy', name: 'limits' },
    ]);
    expect((await t.api('payments').get('/ai-backends/chat')).status).toBe(404);
  });

  it('sets a budget: creates it, then replaces it', async () => {
    const budget = {
      name: 'payments-daily',
      scope: { kind: 'project', name: 'payments' },
      window: 'daily',
      limit: { tokens: 1000 },
    };
    const first = await invoke('payments', 'set-budget', budget);
    expect(first.output).toMatchObject({
      name: 'payments-daily',
      version: 1,
      created: true,
      spec: { softThresholds: [0.8], onExceeded: { kind: 'refuse' } },
    });
    const second = await invoke('payments', 'set-budget', {
      ...budget,
      limit: { tokens: 2000 },
    });
    expect(second.output).toMatchObject({
      version: 2,
      created: false,
      spec: { limit: { tokens: 2000 } },
    });
    const rest = await t.api('payments').get('/budgets/payments-daily');
    expect(rest.body).toMatchObject({ version: 2, spec: second.output.spec });

    await expect(
      invoke('payments', 'set-budget', {
        ...budget,
        name: 'team',
        scope: { kind: 'team', name: 'group:default/team-payments' },
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You are not allowed to create budgets of teams (only platform admins may)',
    });
  });
});
