import fc from 'fast-check';
import { Environment } from '@marcbachmann/cel-js';
import {
  aiBackendSchema,
  mcpServerSchema,
  poolSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  RendererRegistry,
  type BudgetRefusal,
  type ManifestBundle,
  type ManifestObject,
  type PoolDesiredState,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  createManifestSchemaValidator,
  desiredStateArbitrary,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AgentgatewayRenderer } from './AgentgatewayRenderer';
import { labelValue } from './budgets';

jest.setTimeout(120_000);

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const validator = createManifestSchemaValidator();
const render = (state: PoolDesiredState): ManifestBundle =>
  registry.renderBundle(state, {
    controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
  });
/** agentgateway evaluates directResponse header values as CEL over the request. */
const cel = new Environment({ unlistedVariablesAreDyn: true });

const pool = poolSchema.parse({
  name: 'shared',
  project: 'platform',
  cluster: { name: 'prod', type: 'eks' },
  namespace: 'ai-gateway',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai-gateway.example.com' },
  ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
});
const mcpServer = (name: string, project: string) =>
  mcpServerSchema.parse({
    name,
    project,
    pool: 'shared',
    prefix: name,
    source: { type: 'remote', url: `https://${name}.example.com/mcp/` },
  });
const aiBackend = (name: string, project: string, models: string[]) =>
  aiBackendSchema.parse({
    name,
    project,
    pool: 'shared',
    spec: {
      kind: 'ai',
      groups: [
        {
          providers: [
            {
              name: 'openai',
              type: 'openai',
              credentialsSecretRef: { name: 'openai', key: 'api-key' },
            },
          ],
        },
      ],
      models,
    },
  });
const proxy = aiBackendSchema.parse({
  name: 'proxy',
  project: 'payments',
  pool: 'shared',
  spec: { kind: 'static', host: 'llm.internal.example.com', port: 8080 },
});
// Team A (payments) owns llm, proxy and github; team B (search) owns the rest.
const state: PoolDesiredState = {
  pool,
  mcpServers: [mcpServer('github', 'payments'), mcpServer('jira', 'search')],
  aiBackends: [
    aiBackend('llm', 'payments', ['gpt-4o', 'gpt-4o-mini']),
    aiBackend('search-llm', 'search', ['claude-*']),
    proxy,
  ],
  policies: [],
};
const teamA: BudgetRefusal = {
  budget: 'team-a-monthly',
  scope: { kind: 'team', name: 'group:default/team-a' },
  aiBackends: ['llm'],
  mcpServers: ['github'],
  action: { kind: 'refuse' },
  message:
    'Budget team-a-monthly of group:default/team-a is spent until 2027-01-01T00:00:00Z',
  until: '2027-01-01T00:00:00Z',
};

const budgetPolicies = (bundle: ManifestBundle) =>
  bundle.objects.filter(
    o => o.metadata.labels?.['app.kubernetes.io/component'] === 'budget',
  ) as Array<ManifestObject & { spec: any }>;
const routeNames = (bundle: ManifestBundle) =>
  bundle.objects.filter(o => o.kind === 'HTTPRoute').map(o => o.metadata.name);
const targets = (policy: { spec: any }) =>
  policy.spec.targetRefs.map((t: { kind: string; name: string }) => [
    t.kind,
    t.name,
  ]);
const validate = (bundle: ManifestBundle) =>
  expect(bundle.objects.flatMap(o => validator.validate(o))).toEqual([]);

describe('budget refusals', () => {
  it('refuses exactly the routes of the over-budget AI backend and MCP server with 429, the message and Retry-After', () => {
    const bundle = render({ ...state, budgetRefusals: [teamA] });
    const policies = budgetPolicies(bundle);
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(policy.kind).toBe('AgentgatewayPolicy');
    expect(policy.metadata.name).toBe('shared-budget-team-a-monthly');
    expect(targets(policy)).toEqual([
      ['HTTPRoute', 'ai-llm'],
      ['HTTPRoute', 'mcp-github'],
    ]);
    // Those are the routes of llm and github, and no other route is touched.
    expect(routeNames(bundle)).toEqual(
      expect.arrayContaining(['ai-llm', 'mcp-github']),
    );
    const others = routeNames(bundle).filter(
      n => n !== 'ai-llm' && n !== 'mcp-github',
    );
    expect(others).toEqual(['ai-proxy', 'ai-search-llm', 'mcp-jira']);
    expect(bundle.objects.filter(o => !policies.includes(o as any))).toEqual(
      render(state).objects,
    );

    const response = policy.spec.traffic.directResponse;
    expect(response.status).toBe(429);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        message: teamA.message,
        type: 'budget_exceeded',
        code: 'budget_exceeded',
        budget: 'team-a-monthly',
        until: '2027-01-01T00:00:00Z',
      },
    });
    const headers = Object.fromEntries(
      response.headers.map((h: { name: string; value: string }) => [
        h.name,
        cel.evaluate(h.value, { request: { headers: {} } }),
      ]),
    );
    expect(headers).toEqual({
      'content-type': 'application/json',
      'retry-after': 'Fri, 01 Jan 2027 00:00:00 GMT',
    });
    expect(policy.metadata.labels).toMatchObject({
      'ai-gateway.backstage.io/budget': 'team-a-monthly',
      'ai-gateway.backstage.io/budget-scope-kind': 'team',
      'ai-gateway.backstage.io/budget-scope': 'group_default_team-a',
      'ai-gateway.backstage.io/pool': 'shared',
    });
    expect(policy.metadata.annotations).toEqual({
      'ai-gateway.backstage.io/budget': 'team-a-monthly',
      'ai-gateway.backstage.io/budget-scope': 'team:group:default/team-a',
      'ai-gateway.backstage.io/budget-until': '2027-01-01T00:00:00Z',
    });
    expect(bundle.warnings).toEqual(render(state).warnings);
    validate(bundle);
    expect(validator.skippedCelRules).toEqual([]);
    // The check can fail: the CRD's CEL rule refuses body with bodyExpression.
    const broken = structuredClone(policy);
    broken.spec.traffic.directResponse.bodyExpression = "'spent'";
    expect(validator.validate(broken).join('\n')).toContain(
      'body and bodyExpression may not both be set',
    );
  });

  it('down-routes the AI backends to the cheaper model and refuses the MCP servers and non-LLM backends', () => {
    const bundle = render({
      ...state,
      budgetRefusals: [
        {
          ...teamA,
          aiBackends: ['llm', 'proxy'],
          action: { kind: 'downRoute', model: 'gpt-4o-mini' },
        },
      ],
    });
    const policies = budgetPolicies(bundle);
    expect(policies.map(p => p.metadata.name)).toEqual([
      'shared-budget-team-a-monthly',
      'shared-budget-team-a-monthly-down-route',
    ]);
    const [refused, downRouted] = policies;
    expect(targets(refused)).toEqual([
      ['HTTPRoute', 'ai-proxy'],
      ['HTTPRoute', 'mcp-github'],
    ]);
    expect(refused.spec.traffic.directResponse.status).toBe(429);
    expect(targets(downRouted)).toEqual([['HTTPRoute', 'ai-llm']]);
    expect(downRouted.spec).toEqual({
      targetRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          name: 'ai-llm',
        },
      ],
      backend: {
        ai: { overrides: [{ field: 'model', value: 'gpt-4o-mini' }] },
      },
    });
    expect(bundle.warnings).toEqual(render(state).warnings);
    validate(bundle);
  });

  it('warns when the down-route model is not one the backend serves, or a listed object is not in the pool', () => {
    const bundle = render({
      ...state,
      budgetRefusals: [
        {
          ...teamA,
          aiBackends: ['llm', 'gone'],
          mcpServers: ['github', 'elsewhere'],
          action: { kind: 'downRoute', model: 'gpt-3.5-turbo' },
        },
      ],
    });
    const warnings = bundle.warnings.filter(w => w.startsWith('budget '));
    expect(warnings).toEqual([
      'budget team-a-monthly: AI backend gone has no route in pool shared; its traffic is not limited here',
      "budget team-a-monthly: AI backend llm does not list model 'gpt-3.5-turbo' among the models it serves; its providers are asked for it anyway",
      'budget team-a-monthly: MCP server elsewhere has no route in pool shared; its traffic is not limited here',
    ]);
    expect(budgetPolicies(bundle).flatMap(targets)).toEqual([
      ['HTTPRoute', 'mcp-github'],
      ['HTTPRoute', 'ai-llm'],
    ]);
    const none = render({
      ...state,
      budgetRefusals: [{ ...teamA, aiBackends: ['gone'], mcpServers: [] }],
    });
    expect(budgetPolicies(none)).toEqual([]);
    expect(none.warnings).toContain(
      'budget team-a-monthly: none of its AI backends or MCP servers is in pool shared; nothing is refused',
    );
  });

  it('is lifted by leaving the refusal out: no refusals render the same bytes as before budgets existed', () => {
    const before = render(state);
    const lifted = render({ ...state, budgetRefusals: [] });
    expect(JSON.stringify(lifted)).toBe(JSON.stringify(before));
    expect(budgetPolicies(lifted)).toEqual([]);
    const refused = render({ ...state, budgetRefusals: [teamA] });
    expect(refused.revision).not.toBe(before.revision);
    // Any change of the refusal changes the revision, so the operator re-applies.
    const changed = [
      { ...teamA, message: `${teamA.message}.` },
      { ...teamA, until: '2027-02-01T00:00:00Z' },
      { ...teamA, mcpServers: [] },
      {
        ...teamA,
        action: { kind: 'downRoute' as const, model: 'gpt-4o-mini' },
      },
    ].map(r => render({ ...state, budgetRefusals: [r] }).revision);
    expect(new Set([refused.revision, ...changed]).size).toBe(5);
  });

  it('keeps names and label values within Kubernetes limits, distinct and stable', () => {
    const long = (suffix: string): BudgetRefusal => ({
      ...teamA,
      budget: `${'a-very-long-budget-name-'.repeat(8)}${suffix}`,
      scope: { kind: 'project', name: `component:default/${'x'.repeat(90)}` },
    });
    const bundle = render({
      ...state,
      budgetRefusals: [long('one'), long('two')],
    });
    const policies = budgetPolicies(bundle);
    const names = policies.map(p => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    const labelPattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    for (const policy of policies) {
      expect(policy.metadata.name.length).toBeLessThanOrEqual(63);
      expect(policy.metadata.name).toMatch(
        /^shared-budget-a-very-long.*-[0-9a-f]{8}$/,
      );
      for (const value of Object.values(policy.metadata.labels!)) {
        expect(value.length).toBeLessThanOrEqual(63);
        expect(value).toMatch(labelPattern);
      }
    }
    expect(render({ ...state, budgetRefusals: [long('one')] }).objects).toEqual(
      render({ ...state, budgetRefusals: [long('one')] }).objects,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), s => {
        const v = labelValue(s);
        expect(v.length).toBeLessThanOrEqual(63);
        expect(v).toMatch(labelPattern);
      }),
    );
  });

  it('splits a refusal over more routes than one policy may target', () => {
    const servers = Array.from({ length: 20 }, (_, i) =>
      mcpServer(`tool-${String(i).padStart(2, '0')}`, 'payments'),
    );
    const bundle = render({
      ...state,
      mcpServers: servers,
      budgetRefusals: [
        { ...teamA, aiBackends: [], mcpServers: servers.map(s => s.name) },
      ],
    });
    const policies = budgetPolicies(bundle);
    expect(policies.map(p => p.metadata.name)).toEqual([
      'shared-budget-team-a-monthly',
      'shared-budget-team-a-monthly-2',
    ]);
    expect(policies.map(p => p.spec.targetRefs.length)).toEqual([16, 4]);
    expect(policies.flatMap(targets).map(([, n]: string[]) => n)).toEqual(
      servers.map(s => `mcp-${s.name}`),
    );
    validate(bundle);
  });

  it('is deterministic whatever the order of refusals and of their lists', () => {
    const teamB: BudgetRefusal = {
      ...teamA,
      budget: 'team-b-weekly',
      scope: { kind: 'team', name: 'group:default/team-b' },
      aiBackends: ['search-llm'],
      mcpServers: ['jira'],
      action: { kind: 'downRoute', model: 'claude-haiku' },
    };
    const a = render({ ...state, budgetRefusals: [teamA, teamB] });
    const b = render({
      ...state,
      budgetRefusals: [
        teamB,
        {
          ...teamA,
          aiBackends: ['llm', 'llm'],
          mcpServers: [...teamA.mcpServers].reverse(),
        },
      ],
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(budgetPolicies(a).map(p => p.metadata.name)).toEqual([
      'shared-budget-team-a-monthly',
      'shared-budget-team-b-weekly',
      'shared-budget-team-b-weekly-down-route',
    ]);
  });

  it('renders refusals of any pool that the agentgateway CRDs (CEL included) accept', () => {
    const withRefusals = desiredStateArbitrary({
      mcpServers: 5,
      aiBackends: 4,
      policies: 3,
    }).chain(s =>
      fc
        .uniqueArray(
          fc.record({
            budget: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,80}[a-z0-9]$/),
            scope: fc.record({
              kind: fc.constantFrom('team', 'project', 'aiBackend'),
              name: fc.string({ minLength: 1, maxLength: 80 }),
            }),
            aiBackends: fc.subarray(s.aiBackends.map(b => b.name)),
            mcpServers: fc.subarray(s.mcpServers.map(m => m.name)),
            action: fc.oneof(
              fc.constant({ kind: 'refuse' as const }),
              fc.record({
                kind: fc.constant('downRoute' as const),
                model: fc.string({ minLength: 1, maxLength: 40 }),
              }),
            ),
            message: fc.string({ minLength: 1, maxLength: 5000 }),
            until: fc
              .date({
                min: new Date('2026-01-01T00:00:00Z'),
                max: new Date('2030-01-01T00:00:00Z'),
                noInvalidDate: true,
              })
              .map(d => d.toISOString()),
          }),
          { maxLength: 3, selector: r => r.budget },
        )
        .map(budgetRefusals => ({ ...s, budgetRefusals })),
    );
    let rendered = 0;
    fc.assert(
      fc.property(withRefusals, s => {
        const bundle = render(s);
        const problems = bundle.objects.flatMap(o => validator.validate(o));
        if (problems.length) throw new Error(problems.slice(0, 10).join('\n'));
        const routes = new Set(routeNames(bundle));
        for (const policy of budgetPolicies(bundle)) {
          rendered++;
          for (const [kind, name] of targets(policy)) {
            expect(kind).toBe('HTTPRoute');
            expect(routes.has(name)).toBe(true);
          }
        }
        const names = bundle.objects.map(o => `${o.kind}/${o.metadata.name}`);
        expect(new Set(names).size).toBe(names.length);
      }),
      { numRuns: 150 },
    );
    expect(rendered).toBeGreaterThan(0);
    expect(validator.skippedCelRules).toEqual([]);
  });
});
