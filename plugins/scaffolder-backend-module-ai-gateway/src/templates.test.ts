import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  aProject,
  KubernetesApiTestServer,
  McpRegistryTestServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import path from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import aiGatewayCatalogModule from '@ai-gateway-backstage/plugin-catalog-backend-module-ai-gateway';
import { scaffolderModuleAiGateway } from './module';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const templates = path.resolve(
  __dirname,
  '../../../templates/catalog-info.yaml',
);

/**
 * The software templates run through the real scaffolder backend, with the
 * real catalog (templates from templates/, entities from the suite's
 * provider), the control plane and the Kubernetes API test server.
 */
describe('software templates through the real scaffolder', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let api: KubernetesApiTestServer;
  let registry: McpRegistryTestServer;

  beforeAll(async () => {
    registry = await McpRegistryTestServer.start([
      {
        name: 'io.github.example/weather',
        description: 'Forecasts for any city.',
        version: '1.4.0',
        remotes: [
          {
            type: 'streamable-http',
            url: 'https://weather.example.com/mcp',
            headers: [
              { name: 'Authorization', isRequired: true, isSecret: true },
            ],
          },
        ],
      },
    ]);
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
      features: [
        catalogPlugin,
        scaffolderEntityModel,
        aiGatewayCatalogModule,
        scaffolderPlugin,
        scaffolderModuleAiGateway,
      ],
      config: {
        catalog: {
          rules: [
            {
              allow: [
                'Template',
                'Location',
                'System',
                'Resource',
                'API',
                'Group',
                'User',
              ],
            },
          ],
          locations: [{ type: 'file', target: templates }],
          processingInterval: { seconds: 1 },
        },
        aiGateway: {
          catalog: {
            schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
          },
          scaffolder: { pollIntervalMs: 100 },
          mcpRegistry: { sources: [{ name: 'company', url: registry.url }] },
        },
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
      .create('/projects', aProject('payments', 'group:default/team-payments'));
  });

  afterAll(async () => {
    await t.backend.stop();
    await api.stop();
    await registry.stop();
  });

  type User = 'payments' | 'research' | 'admin';
  const scaffolder = (user: User) => {
    const token = {
      payments: 'user:default/bob',
      research: 'user:default/carol',
      admin: 'user:default/alice',
    }[user];
    return `Bearer ${mockCredentials.user.token(token)}`;
  };

  const until = async <T>(
    what: string,
    fn: () => Promise<T | undefined>,
    ms = 120_000,
  ): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}`);
      await new Promise(r => setTimeout(r, 200));
    }
  };

  const run = async (user: User, template: string, values: object) => {
    await until(`template ${template} in the catalog`, async () => {
      const res = await request(t.backend.server)
        .get(`/api/catalog/entities/by-name/template/default/${template}`)
        .set('Authorization', scaffolder(user));
      return res.status === 200 ? true : undefined;
    });
    const created = await request(t.backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', scaffolder(user))
      .send({ templateRef: `template:default/${template}`, values });
    expect(created.status).toBe(201);
    const task = await until('the task to end', async () => {
      const res = await request(t.backend.server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', scaffolder(user));
      return ['completed', 'failed', 'cancelled'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    const events = await request(t.backend.server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', scaffolder(user));
    const log = (events.body as any[])
      .filter(e => e.type === 'log')
      .map(e => e.body.message as string);
    // The template's output comes with the completion event.
    const output = (events.body as any[]).find(e => e.type === 'completion')
      ?.body.output;
    return { task: { ...task, output }, log };
  };

  /** What the form of Create a gateway pool sends, for pool `name` (direct delivery). */
  const poolValues = (name: string, extra: object = {}) => ({
    name,
    project: 'system:default/payments',
    clusterName: 'test-cluster',
    clusterType: 'native',
    namespace: `aigw-${name}`,
    cpuRequest: '100m',
    memoryRequest: '128Mi',
    cpuLimit: '500m',
    memoryLimit: '512Mi',
    replicas: 1,
    maxReplicas: 3,
    redisMode: 'auto',
    baseDomain: `${name}.example.com`,
    separator: '.',
    tlsMode: 'selfsigned',
    deliveryMode: 'direct',
    ...extra,
  });
  const textOf = (task: { output?: { text?: any[] } }) =>
    (task.output?.text ?? [])
      .map(item => `## ${item.title}\n${item.content}`)
      .join('\n');
  const latestEvent = async (pool: string) =>
    (await t.api('payments').get(`/pools/${pool}/events`)).body.items[0];
  /** A failed task's log, or nothing: shows why in the assertion's diff. */
  const completed = (result: { task: { status: string }; log: string[] }) => ({
    status: result.task.status,
    log: result.task.status === 'completed' ? [] : result.log,
  });

  it('Create a gateway pool: creates it, renders it, applies it (direct) and links the pool entity', async () => {
    const { task, log } = await run('payments', 'ai-gateway-create-pool', {
      name: 'prod',
      project: 'system:default/payments',
      clusterName: 'test-cluster',
      clusterType: 'native',
      namespace: 'aigw-prod',
      cpuRequest: '100m',
      memoryRequest: '128Mi',
      cpuLimit: '500m',
      memoryLimit: '512Mi',
      replicas: 1,
      maxReplicas: 3,
      redisMode: 'auto',
      annotations: { 'example.com/cost-center': 'payments' },
      ingressKind: 'kubernetes-ingress',
      ingressClass: 'nginx',
      baseDomain: 'ai.example.com',
      separator: '.',
      tlsMode: 'selfsigned',
      siemEndpoint: 'https://otel-collector.example.com:4318/v1/logs',
      siemTokenSecret: 'siem',
      deliveryMode: 'direct',
      // Left over from choosing agent delivery first: not sent with direct.
      serviceAccount: 'aigw-operator',
      operatorImage: 'registry.example.com/aigw/operator:1.0.0',
      heartbeatStaleSeconds: 1800,
    });
    expect({
      status: task.status,
      log: task.status === 'completed' ? [] : log,
    }).toEqual({ status: 'completed', log: [] });
    expect(log.some(l => l.includes('Pool prod is Active'))).toBe(true);
    expect(log.join('\n')).not.toMatch(/aigw_prod_[A-Za-z0-9_-]{20,}/);
    expect(task.output?.links).toEqual([
      expect.objectContaining({ entityRef: 'resource:default/prod' }),
      expect.objectContaining({
        url: '/catalog/default/resource/prod/install',
      }),
    ]);
    expect(textOf(task)).toMatch(
      /Pool prod is installed\. The control plane applied revision sha256:\S+ to cluster test-cluster, namespace aigw-prod\. Now Active: /,
    );
    expect(textOf(task)).not.toMatch(/## Command/);
    expect(
      api.get('gateway.networking.k8s.io/v1', 'Gateway', 'aigw-prod', 'prod'),
    ).toBeDefined();
    expect(
      api.get('networking.k8s.io/v1', 'Ingress', 'aigw-prod', 'prod'),
    ).toBeDefined();
    expect(
      (await t.api('payments').get('/pools/prod')).body.spec,
    ).toMatchObject({
      annotations: { 'example.com/cost-center': 'payments' },
      redis: { mode: 'auto' },
      ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
      tls: { mode: 'selfsigned' },
      siem: {
        endpoint: 'https://otel-collector.example.com:4318/v1/logs',
        format: 'otlp',
        secretRef: { name: 'siem', key: 'token' },
      },
      maxReplicas: 3,
    });
    const spec = (await t.api('payments').get('/pools/prod')).body.spec;
    expect(spec.serviceAccount).toBeUndefined();
    expect(spec.images.operator).toBeUndefined();
    expect(
      api.get(
        'agentgateway.dev/v1alpha1',
        'AgentgatewayPolicy',
        'aigw-prod',
        'prod-siem',
      ),
    ).toBeDefined();
    await until('the pool entity', async () => {
      const res = await request(t.backend.server)
        .get('/api/catalog/entities/by-name/resource/default/prod')
        .set('Authorization', scaffolder('payments'));
      return res.status === 200 ? res.body : undefined;
    });
  });

  it('Deploy an MCP server: served, URL in the output, entity in the catalog, objects in the cluster', async () => {
    const { task, log } = await run(
      'payments',
      'ai-gateway-deploy-mcp-server',
      {
        project: 'system:default/payments',
        pool: 'prod',
        name: 'github',
        prefix: 'github',
        transport: 'streamable-http',
        toolsAllow: ['get_issue', 'list_*'],
        sourceType: 'image',
        image: 'ghcr.io/github/github-mcp-server:0.9.0',
        port: 8080,
      },
    );
    expect({
      status: task.status,
      log: task.status === 'completed' ? [] : log,
    }).toEqual({ status: 'completed', log: [] });
    expect(task.output.text).toEqual([
      {
        title: 'Served',
        content: expect.stringContaining(
          'Clients reach **github** at `https://mcp.ai.example.com/github/mcp`',
        ),
      },
    ]);
    expect(task.output.links).toEqual([
      expect.objectContaining({ entityRef: 'api:default/github' }),
      expect.objectContaining({ entityRef: 'resource:default/prod' }),
    ]);
    expect(
      log.some(l => l.includes('MCP server github is served by pool prod.')),
    ).toBe(true);
    expect(
      api.get(
        'agentgateway.dev/v1alpha1',
        'AgentgatewayBackend',
        'aigw-prod',
        'mcp-github',
      ),
    ).toBeDefined();
    expect(
      api.get(
        'agentgateway.dev/v1alpha1',
        'AgentgatewayPolicy',
        'aigw-prod',
        'mcp-github-allow-tools',
      ),
    ).toBeDefined();
    const entity = await until('the MCP server entity', async () => {
      const res = await request(t.backend.server)
        .get('/api/catalog/entities/by-name/api/default/github')
        .set('Authorization', scaffolder('payments'));
      return res.status === 200 ? res.body : undefined;
    });
    expect(entity.spec).toMatchObject({
      type: 'mcp-server',
      remotes: [{ url: 'https://mcp.ai.example.com/github/mcp' }],
    });
  });

  it('Deploy from an MCP registry entry: the entry of a registry source, with its secret, served at its URL', async () => {
    const result = await run(
      'payments',
      'ai-gateway-deploy-from-mcp-registry',
      {
        entry: { source: 'company', serverName: 'io.github.example/weather' },
        project: 'system:default/payments',
        pool: 'prod',
        secretRefs: [
          {
            variable: 'Authorization',
            secretRef: { name: 'weather', key: 'token' },
          },
        ],
      },
    );
    expect(completed(result)).toEqual({ status: 'completed', log: [] });
    expect(result.task.output.text).toEqual([
      {
        title: 'Served',
        content: expect.stringContaining(
          'Clients reach **weather** (io.github.example/weather 1.4.0) at `https://mcp.ai.example.com/weather/mcp`',
        ),
      },
    ]);
    expect(result.task.output.links).toEqual([
      expect.objectContaining({ entityRef: 'api:default/weather' }),
      expect.objectContaining({ entityRef: 'resource:default/prod' }),
    ]);
    expect(
      (await t.api('payments').get('/mcp-servers/weather')).body.spec.source,
    ).toEqual({
      type: 'remote',
      url: 'https://weather.example.com/mcp',
      authSecretRef: { name: 'weather', key: 'token' },
    });

    // Without the secret the entry needs: fails naming it, creating nothing.
    await t.api('payments').delete('/mcp-servers/weather');
    const missing = await run(
      'payments',
      'ai-gateway-deploy-from-mcp-registry',
      {
        entry: { source: 'company', serverName: 'io.github.example/weather' },
        project: 'system:default/payments',
        pool: 'prod',
      },
    );
    expect(missing.task.status).toBe('failed');
    expect(missing.log.join('\n')).toContain('secretRefs.Authorization');
    expect((await t.api('payments').get('/mcp-servers/weather')).status).toBe(
      404,
    );
  });

  it('Register an AI backend and Attach a policy', async () => {
    const backend = await run('payments', 'ai-gateway-register-ai-backend', {
      project: 'system:default/payments',
      pool: 'prod',
      name: 'llm',
      groups: [
        {
          providers: [
            {
              name: 'openai',
              type: 'openai',
              model: 'gpt-4o',
              credentialsSecretRef: { name: 'openai', key: 'api-key' },
            },
          ],
        },
        {
          providers: [
            {
              name: 'bedrock',
              type: 'bedrock',
              region: 'eu-central-1',
            },
          ],
        },
      ],
      models: ['gpt-4o', 'anthropic/*'],
      // What the form's read-only fields add for the review; not sent on.
      providersInWords: [
        'Group 1 takes the traffic: openai (OpenAI, model gpt-4o, API key from Secret openai/api-key)',
      ],
      modelsInWords: ['gpt-4o', 'anthropic/*'],
    });
    expect({
      status: backend.task.status,
      log: backend.task.status === 'completed' ? [] : backend.log,
    }).toEqual({ status: 'completed', log: [] });
    const policy = await run('payments', 'ai-gateway-attach-policy', {
      project: 'system:default/payments',
      pool: 'prod',
      name: 'budget',
      targetKind: 'backend',
      targetName: 'llm',
      rateLimitUnit: 'minute',
      rateLimitOf: 'tokens',
      rateLimitAmount: 100000,
      promptGuard: ['email'],
      promptGuardInWords: ['Email addresses'],
      requestTimeoutSeconds: 60,
    });
    expect({
      status: policy.task.status,
      log: policy.task.status === 'completed' ? [] : policy.log,
    }).toEqual({ status: 'completed', log: [] });
    // Pool prod is direct and applied at once: both are served.
    expect(backend.task.output.text).toEqual([
      {
        title: 'Served',
        content: 'AI backend **llm** is served by pool **prod**.\n',
      },
    ]);
    expect(backend.task.output.links).toEqual([
      expect.objectContaining({ entityRef: 'resource:default/llm' }),
      expect.objectContaining({ entityRef: 'resource:default/prod' }),
    ]);
    expect(
      policy.task.output.text.map((x: { title: string }) => x.title),
    ).toEqual(['Enforced']);
    expect(
      (await t.api('payments').get('/ai-backends/llm')).body.spec.spec,
    ).toEqual({
      kind: 'ai',
      groups: [
        {
          providers: [
            {
              name: 'openai',
              type: 'openai',
              model: 'gpt-4o',
              credentialsSecretRef: { name: 'openai', key: 'api-key' },
              weight: 1,
            },
          ],
        },
        {
          providers: [
            {
              name: 'bedrock',
              type: 'bedrock',
              region: 'eu-central-1',
              weight: 1,
            },
          ],
        },
      ],
      models: ['gpt-4o', 'anthropic/*'],
    });
    const stored = (await t.api('payments').get('/policies/budget')).body.spec;
    expect(stored).toMatchObject({
      target: { kind: 'backend', name: 'llm' },
      rateLimit: { unit: 'minute', tokens: 100000 },
      promptGuard: { request: { builtins: ['email'] } },
      timeouts: { requestSeconds: 60 },
    });
  });

  it('Register an AI backend with a monthly budget: registers it, then sets the budget on it', async () => {
    const { task, log } = await run(
      'payments',
      'ai-gateway-register-ai-backend',
      {
        project: 'system:default/payments',
        pool: 'prod',
        name: 'capped',
        monthlyBudgetUsd: 250,
        groups: [
          {
            providers: [
              { name: 'local', type: 'custom', baseUrl: 'http://vllm:8000/v1' },
            ],
          },
        ],
      },
    );
    expect(completed({ task, log })).toEqual({ status: 'completed', log: [] });
    expect(task.output.text.map((x: { title: string }) => x.title)).toEqual([
      'Served',
      'Monthly budget',
    ]);
    expect(textOf(task)).toMatch(/## Monthly budget\nLimit \$250\.00 for /);
    expect((await t.api('payments').get('/budgets/capped')).body).toMatchObject(
      {
        createdBy: 'user:default/bob',
        spec: {
          scope: { kind: 'aiBackend', name: 'capped' },
          window: 'monthly',
          limit: { usd: 250 },
          onExceeded: { kind: 'refuse' },
        },
      },
    );
  });

  it('Set a budget: creates a project budget, replaces it when set again, and links the project', async () => {
    const values = {
      scopeKind: 'project',
      project: 'system:default/payments',
      name: 'payments-monthly',
      window: 'monthly',
      limitKind: 'usd',
      limitUsd: 500,
      softThresholdsPercent: [50, 80],
      // What the form's read-only field adds for the review; not sent on.
      softThresholdsInWords: ['50 % of the limit', '80 % of the limit'],
      onExceededKind: 'downRoute',
      downRouteModel: 'gpt-4o-mini',
    };
    const created = await run('payments', 'ai-gateway-set-budget', values);
    expect(completed(created)).toEqual({ status: 'completed', log: [] });
    expect(created.task.output.links).toEqual([
      expect.objectContaining({
        title: 'Open the project',
        entityRef: 'system:default/payments',
      }),
    ]);
    expect(textOf(created.task)).toMatch(
      /^## Budget created\nBudget \*\*payments-monthly\*\* is set\. Limit \$500\.00 for \d{4}-\d\d-01 to \d{4}-\d\d-01 \(UTC\); not evaluated yet in this window\. The owners are notified at 50 %, 80 % of it\./,
    );
    expect(
      (await t.api('payments').get('/budgets/payments-monthly')).body,
    ).toMatchObject({
      version: 1,
      createdBy: 'user:default/bob',
      spec: {
        scope: { kind: 'project', name: 'payments' },
        window: 'monthly',
        limit: { usd: 500 },
        softThresholds: [0.5, 0.8],
        onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
      },
    });

    const replaced = await run('payments', 'ai-gateway-set-budget', {
      ...values,
      window: 'daily',
      limitKind: 'tokens',
      limitTokens: 1000000,
      softThresholdsPercent: [],
      softThresholdsInWords: ['Nobody is notified before the limit'],
      onExceededKind: 'refuse',
    });
    expect(completed(replaced)).toEqual({ status: 'completed', log: [] });
    expect(textOf(replaced.task)).toMatch(
      /^## Budget updated\nBudget \*\*payments-monthly\*\* is set\. Limit 1,000,000 tokens for /,
    );
    expect(
      (await t.api('payments').get('/budgets/payments-monthly')).body,
    ).toMatchObject({
      version: 2,
      spec: {
        window: 'daily',
        softThresholds: [],
        onExceeded: { kind: 'refuse' },
      },
    });
    // The dollars left over from the first choice are not sent.
    expect(
      (await t.api('payments').get('/budgets/payments-monthly')).body.spec
        .limit,
    ).toEqual({ tokens: 1000000 });
  });

  it("Set a budget: a team's budget by a platform admin links the group and its usage; a team member's task fails, changing nothing", async () => {
    const values = {
      scopeKind: 'team',
      team: 'group:default/team-payments',
      name: 'team-payments-weekly',
      window: 'weekly',
      limitKind: 'usd',
      limitUsd: 2000,
      onExceededKind: 'refuse',
    };
    const denied = await run('payments', 'ai-gateway-set-budget', values);
    expect(denied.task.status).toBe('failed');
    expect(denied.log.join('\n')).toContain(
      'You are not allowed to create budgets of teams (only platform admins may)',
    );
    const { task, log } = await run('admin', 'ai-gateway-set-budget', values);
    expect(completed({ task, log })).toEqual({ status: 'completed', log: [] });
    expect(task.output.links).toEqual([
      expect.objectContaining({
        title: 'Open the team',
        entityRef: 'group:default/team-payments',
      }),
      expect.objectContaining({
        title: 'Usage and cost of the team',
        url: '/ai-gateway/usage?team=group%3Adefault%2Fteam-payments',
      }),
    ]);
    expect(
      (await t.api('admin').get('/budgets/team-payments-weekly')).body.spec,
    ).toMatchObject({
      scope: { kind: 'team', name: 'group:default/team-payments' },
      // Not given: the default.
      softThresholds: [0.8],
    });
  });

  it('Set a budget for an AI backend that does not exist: fails naming the field in words', async () => {
    const { task, log } = await run('payments', 'ai-gateway-set-budget', {
      scopeKind: 'aiBackend',
      aiBackend: 'resource:default/nope',
      name: 'nope-daily',
      window: 'daily',
      limitKind: 'tokens',
      limitTokens: 1000,
      onExceededKind: 'refuse',
    });
    expect(task.status).toBe('failed');
    expect(log.join('\n')).toContain(
      'Check these fields of the form: Team, project or AI backend (scope.name): names no AI backend that exists',
    );
    expect(log.join('\n')).not.toMatch(/\n\s+at /);
    expect((await t.api('admin').get('/budgets/nope-daily')).status).toBe(404);
  });

  it('Create a gateway pool with agent delivery and no cluster configured: completes with the Install tab, the command and an event', async () => {
    const result = await run(
      'payments',
      'ai-gateway-create-pool',
      poolValues('edge', {
        clusterName: 'edge-eks',
        clusterType: 'eks',
        deliveryMode: 'agent',
      }),
    );
    expect(completed(result)).toEqual({ status: 'completed', log: [] });
    const { task, log } = result;
    expect(task.output.links).toEqual([
      expect.objectContaining({ entityRef: 'resource:default/edge' }),
      expect.objectContaining({
        url: '/catalog/default/resource/edge/install',
      }),
    ]);
    const text = textOf(task);
    expect(text).toContain(
      'Pool edge is created but not installed. The portal has no access to cluster edge-eks: it is not in kubernetes.clusterLocatorMethods (known: test-cluster). Now Pending: No operator has connected yet',
    );
    expect(text).toMatch(
      /## Next step\nInstall the operator: apply the bootstrap manifests from the pool's Install tab to cluster edge-eks/,
    );
    expect(text).toContain(
      '[Install tab](/catalog/default/resource/edge/install)',
    );
    expect(text).toContain('```sh\nkubectl apply -f edge-bootstrap.yaml\n```');
    expect(await latestEvent('edge')).toMatchObject({
      action: 'awaiting-install',
      actor: 'user:default/bob',
      message: expect.stringContaining(
        'The portal has no access to cluster edge-eks',
      ),
    });
    expect(JSON.stringify([log, task.output])).not.toMatch(
      /aigw_edge_[A-Za-z0-9_-]{20,}/,
    );
  });

  it('Create a gateway pool with direct delivery to an unconfigured cluster: completes, says why and what to do, records it', async () => {
    const result = await run(
      'payments',
      'ai-gateway-create-pool',
      poolValues('eu', { clusterName: 'prod-eu-eks', clusterType: 'eks' }),
    );
    expect(completed(result)).toEqual({ status: 'completed', log: [] });
    const text = textOf(result.task);
    expect(text).toContain(
      "Pool eu is created but not installed. The portal has no access to cluster prod-eu-eks: it is not in kubernetes.clusterLocatorMethods (known: test-cluster). Now Degraded: The last apply failed: cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods",
    );
    expect(text).toMatch(
      /## Next step\nAdd cluster prod-eu-eks to kubernetes\.clusterLocatorMethods/,
    );
    // Direct delivery has no command to run: the portal applies once it can.
    expect(text).not.toMatch(/## Command/);
    expect(await latestEvent('eu')).toMatchObject({
      action: 'awaiting-install',
      actor: 'user:default/bob',
    });
  });

  it('Deploy an MCP server into a Degraded pool: completes, served=false, the honest state and next step, both entities linked', async () => {
    const result = await run('payments', 'ai-gateway-deploy-mcp-server', {
      project: 'system:default/payments',
      pool: 'eu',
      name: 'jira',
      prefix: 'jira',
      transport: 'streamable-http',
      sourceType: 'remote',
      url: 'https://mcp.atlassian.example.com/mcp',
    });
    expect(completed(result)).toEqual({ status: 'completed', log: [] });
    const { task, log } = result;
    expect(task.output.links).toEqual([
      expect.objectContaining({ entityRef: 'api:default/jira' }),
      expect.objectContaining({ entityRef: 'resource:default/eu' }),
    ]);
    expect(
      task.output.text.map((item: { title: string }) => item.title),
    ).toEqual(['Not served yet', 'Next step']);
    const text = textOf(task);
    expect(text).toContain(
      "MCP server jira is registered; it is served once pool eu is applied. Now Degraded: The last apply failed: cluster 'prod-eu-eks' is not in kubernetes.clusterLocatorMethods",
    );
    expect(text).not.toContain('Clients reach **jira** at');
    expect(text).toMatch(/## Next step\nAdd cluster prod-eu-eks/);
    expect(
      log.some(l =>
        l.includes('MCP server jira is registered; it is served once'),
      ),
    ).toBe(true);
  });

  it('Create a gateway pool with a CPU that is no quantity: fails naming the field in words, without a stack trace, creating nothing', async () => {
    const { task, log } = await run(
      'payments',
      'ai-gateway-create-pool',
      poolValues('lots', { cpuRequest: 'lots' }),
    );
    expect(task.status).toBe('failed');
    const text = log.join('\n');
    expect(text).toContain(
      'CPU request (resources.requests.cpu): must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
    );
    expect(text).not.toMatch(/\n\s+at /);
    expect((await t.api('admin').get('/pools/lots')).status).toBe(404);
  });

  it('fails the task of a user without permission on the project, and changes nothing', async () => {
    const before = (await t.api('admin').get('/mcp-servers')).body.items.length;
    const { task, log } = await run(
      'research',
      'ai-gateway-deploy-mcp-server',
      {
        project: 'system:default/payments',
        pool: 'prod',
        name: 'stolen',
        prefix: 'stolen',
        transport: 'streamable-http',
        sourceType: 'remote',
        url: 'https://evil.example.com/mcp',
      },
    );
    expect(task.status).toBe('failed');
    expect(log.join('\n')).toMatch(/not found|not allowed/i);
    expect((await t.api('admin').get('/mcp-servers')).body.items.length).toBe(
      before,
    );
  });
});
