import fc from 'fast-check';
import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
  type Policy,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  createManifestBundle,
  MANAGED_BY_LABEL,
  ManifestBundle,
  objectsOfStage,
  OPERATOR_RUNTIME_RULES,
  POOL_LABEL,
  RendererRegistry,
  rulesAllow,
  type ManifestObject,
  type PoolDesiredState,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { desiredStateArbitrary } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AgentgatewayRenderer } from './AgentgatewayRenderer';
import { AGENTGATEWAY_RUNTIME_RULES } from './operator';

const options = {
  controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
};
const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const render = (state: PoolDesiredState): ManifestBundle =>
  registry.renderBundle(state, options);

const pool = poolSchema.parse({
  name: 'prod-eu',
  project: 'payments',
  cluster: { name: 'prod-eu-eks', type: 'eks' },
  namespace: 'ai-gateway',
  tls: {
    mode: 'letsencrypt',
    issuer: 'letsencrypt-prod',
    email: 'platform@example.com',
    dns01: {
      provider: 'cloudflare',
      dnsZone: 'example.com',
      credentialsSecretRef: { name: 'cloudflare', key: 'api-token' },
    },
  },
  domains: { baseDomain: 'ai-gateway.example.com' },
  ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
});
const github = mcpServerSchema.parse({
  name: 'github',
  project: 'payments',
  pool: 'prod-eu',
  prefix: 'gh',
  source: {
    type: 'image',
    image: 'ghcr.io/github/github-mcp-server:0.9.0',
    secretEnv: [
      { name: 'GITHUB_TOKEN', secretRef: { name: 'github', key: 'token' } },
    ],
  },
  tools: { allow: ['get_issue', 'list_*'], deny: ['delete_repo'] },
});
const llm = aiBackendSchema.parse({
  name: 'llm',
  project: 'payments',
  pool: 'prod-eu',
  spec: {
    kind: 'ai',
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
          { name: 'bedrock', type: 'bedrock', region: 'eu-central-1' },
        ],
      },
    ],
    models: ['gpt-4o', 'claude-sonnet'],
  },
});
const budget = policySchema.parse({
  name: 'budget',
  project: 'payments',
  pool: 'prod-eu',
  target: { kind: 'backend', name: 'llm' },
  rateLimit: { unit: 'minute', tokens: 100000 },
  promptGuard: { request: { builtins: ['email'] } },
});
const state: PoolDesiredState = {
  pool,
  mcpServers: [github],
  aiBackends: [llm],
  policies: [budget],
};

const find = (bundle: ManifestBundle, kind: string, name: string) => {
  const found = bundle.objects.find(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found as ManifestObject & { spec: any };
};

/** A global rate limit of the pool's rate-limit service, as policies render it. */
const globalLimit = (entries: Record<string, string>, tokens = true) => ({
  global: {
    backendRef: {
      group: '',
      kind: 'Service',
      name: 'prod-eu-ratelimit',
      port: 8081,
    },
    domain: 'ai-gateway.prod-eu',
    failureMode: 'FailOpen',
    descriptors: [
      {
        entries: Object.entries(entries).map(([name, expression]) => ({
          name,
          expression,
        })),
        ...(tokens ? { unit: 'Tokens' } : {}),
      },
    ],
  },
});

/** The budgets the rate-limit service counts (its configuration). */
const rateLimitConfig = (bundle: ManifestBundle) =>
  JSON.parse(
    (find(bundle, 'ConfigMap', 'prod-eu-ratelimit') as any).data['config.yaml'],
  );

describe('AgentgatewayRenderer', () => {
  it('is deterministic: same state, same bytes and revision, whatever the input order', () => {
    const a = render(state);
    const b = render({
      ...state,
      mcpServers: [...state.mcpServers].reverse(),
      policies: [...state.policies],
    });
    expect(JSON.stringify(b)).toEqual(JSON.stringify(a));
    expect(a.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    fc.assert(
      fc.property(desiredStateArbitrary(), s => {
        const first = render(s);
        const shuffled = render({
          ...s,
          mcpServers: [...s.mcpServers].reverse(),
          aiBackends: [...s.aiBackends].reverse(),
          policies: [...s.policies].reverse(),
        });
        expect(shuffled.revision).toBe(first.revision);
      }),
      { numRuns: 50 },
    );
  });

  it('changes the revision when anything desired changes', () => {
    const base = render(state).revision;
    expect(
      render({ ...state, pool: { ...pool, maxReplicas: pool.maxReplicas + 1 } })
        .revision,
    ).not.toBe(base);
    expect(render({ ...state, mcpServers: [] }).revision).not.toBe(base);
    expect(
      render({ ...state, mcpServers: [{ ...github, prefix: 'github' }] })
        .revision,
    ).not.toBe(base);
  });

  it('labels every object with managed-by and the pool, in the pool namespace', () => {
    fc.assert(
      fc.property(desiredStateArbitrary(), s => {
        for (const o of render(s).objects) {
          expect(o.metadata.labels?.[MANAGED_BY_LABEL]).toBe('ai-gateway');
          expect(o.metadata.labels?.[POOL_LABEL]).toBe(s.pool.name);
          expect(o.metadata.namespace).toBe(s.pool.namespace);
          expect(o.metadata.name.length).toBeLessThanOrEqual(63);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('renders the operator Role with exactly the documented runtime rules', () => {
    const bundle = render({
      ...state,
      pool: { ...pool, delivery: { mode: 'agent' } },
    });
    expect(find(bundle, 'Role', 'aigw-operator').rules).toEqual([
      {
        apiGroups: [''],
        resources: [
          'pods',
          'services',
          'configmaps',
          'secrets',
          'persistentvolumeclaims',
        ],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: [''],
        resources: ['events'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments', 'statefulsets'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['networking.istio.io'],
        resources: ['gateways', 'virtualservices'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['traefik.io'],
        resources: ['ingressroutes'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['gateway.networking.k8s.io'],
        resources: ['httproutes'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['route.openshift.io'],
        resources: ['routes'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
    ]);
    const binding = find(bundle, 'RoleBinding', 'aigw-operator');
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'aigw-operator',
        namespace: 'ai-gateway',
      },
    ]);
  });

  it('lets the operator apply and prune every runtime object with its Roles alone', () => {
    const plural = (kind: string) => {
      const lower = kind.toLowerCase();
      if (lower.endsWith('policy')) return `${lower.slice(0, -1)}ies`;
      if (lower.endsWith('parameters')) return lower;
      return lower.endsWith('s') ? `${lower}es` : `${lower}s`;
    };
    const rules = [...OPERATOR_RUNTIME_RULES, ...AGENTGATEWAY_RUNTIME_RULES];
    fc.assert(
      fc.property(desiredStateArbitrary(), s => {
        const denied = objectsOfStage(render(s), 'runtime').flatMap(o => {
          const group = o.apiVersion.includes('/')
            ? o.apiVersion.split('/')[0]
            : '';
          return ['get', 'list', 'create', 'patch', 'delete']
            .filter(verb => !rulesAllow(rules, group, plural(o.kind), verb))
            .map(
              verb => `the operator may not ${verb} ${group}/${plural(o.kind)}`,
            );
        });
        expect(denied).toEqual([]);
      }),
      { numRuns: 100 },
    );
    // Pruning lists every kind of the bundle, including kinds no object has.
    const bundle = render(state);
    expect(
      bundle.kinds
        .filter(k => {
          const group = k.apiVersion.includes('/')
            ? k.apiVersion.split('/')[0]
            : '';
          return !rulesAllow(rules, group, plural(k.kind), 'list');
        })
        .map(k => k.kind),
    ).toEqual([]);
    // The bootstrap's kinds are the installer's: never listed at run time.
    expect(bundle.kinds.map(k => k.kind)).not.toContain('RoleBinding');
  });

  it('runs the operator as non-root 65532 with a read-only root filesystem and /healthz readiness', () => {
    const bundle = render({
      ...state,
      pool: { ...pool, delivery: { mode: 'agent' } },
    });
    const operator = find(bundle, 'Deployment', 'aigw-operator');
    const pod = operator.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
    });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsUser: 65532,
    });
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    // The token is referenced, never rendered.
    const secret = find(bundle, 'Secret', 'aigw-enrollment-token');
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
    expect(JSON.stringify(container.env)).toContain('"secretKeyRef"');
    // Bootstrap objects are the installer's; the rest the operator's.
    expect(
      objectsOfStage(bundle, 'bootstrap')
        .map(o => o.kind)
        .sort(),
    ).toEqual([
      'Deployment',
      'Role',
      'Role',
      'RoleBinding',
      'RoleBinding',
      'Secret',
      'ServiceAccount',
    ]);
    // Direct delivery: the control plane applies, no operator runs.
    expect(
      objectsOfStage(
        render({ ...state, pool: { ...pool, delivery: { mode: 'direct' } } }),
        'bootstrap',
      ),
    ).toEqual([]);
    // A pool-provided ServiceAccount comes with its own RBAC.
    const provided = render({
      ...state,
      pool: {
        ...pool,
        delivery: { mode: 'agent' },
        serviceAccount: 'platform-sa',
      },
    });
    expect(
      provided.objects.filter(
        o => o.kind === 'Role' || o.kind === 'ServiceAccount',
      ),
    ).toEqual([]);
    expect(
      find(provided, 'Deployment', 'aigw-operator').spec.template.spec
        .serviceAccountName,
    ).toBe('platform-sa');
  });

  it('serves the api and mcp hosts with one wildcard certificate', () => {
    const bundle = render(state);
    const gateway = find(bundle, 'Gateway', 'prod-eu');
    expect(gateway.spec.gatewayClassName).toBe('agentgateway');
    expect(
      gateway.spec.listeners.map((l: any) => [l.name, l.hostname]),
    ).toEqual([
      ['api', 'api.ai-gateway.example.com'],
      ['mcp', 'mcp.ai-gateway.example.com'],
    ]);
    const certificate = find(bundle, 'Certificate', 'prod-eu-wildcard');
    expect(certificate.spec.dnsNames).toEqual(['*.ai-gateway.example.com']);
    expect(gateway.spec.listeners[0].tls.certificateRefs[0].name).toBe(
      certificate.spec.secretName,
    );
    const issuer = find(bundle, 'Issuer', 'prod-eu-letsencrypt-production');
    expect(issuer.spec.acme.server).toBe(
      'https://acme-v02.api.letsencrypt.org/directory',
    );
    expect(
      issuer.spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef,
    ).toEqual({
      name: 'cloudflare',
      key: 'api-token',
    });

    // "-" puts the hosts under the parent wildcard.
    const dashed = render({
      ...state,
      pool: {
        ...pool,
        tls: { mode: 'provided', wildcardSecretName: 'corp-wildcard' },
        domains: { ...pool.domains, separator: '-' },
      },
    });
    const listeners = find(dashed, 'Gateway', 'prod-eu').spec.listeners;
    expect(listeners.map((l: any) => l.hostname)).toEqual([
      'api-ai-gateway.example.com',
      'mcp-ai-gateway.example.com',
    ]);
    expect(listeners[0].tls.certificateRefs[0].name).toBe('corp-wildcard');
    expect(dashed.objects.filter(o => o.kind === 'Certificate')).toEqual([]);
  });

  it('serves an MCP server at /{prefix}/mcp with its tool lists as MCP authorization', () => {
    const bundle = render(state);
    const service = find(bundle, 'Service', 'mcp-github');
    expect(service.spec.ports[0].appProtocol).toBe('agentgateway.dev/mcp');
    const backend = find(bundle, 'AgentgatewayBackend', 'mcp-github');
    expect(backend.spec.mcp.targets).toEqual([
      {
        name: 'gh',
        static: {
          host: 'mcp-github.ai-gateway.svc.cluster.local',
          port: 8080,
          path: '/mcp',
          protocol: 'StreamableHTTP',
        },
      },
    ]);
    const route = find(bundle, 'HTTPRoute', 'mcp-github');
    expect(route.spec.hostnames).toEqual(['mcp.ai-gateway.example.com']);
    expect(route.spec.rules[0].matches[0].path).toEqual({
      type: 'PathPrefix',
      value: '/gh/mcp',
    });
    expect(
      find(bundle, 'AgentgatewayPolicy', 'mcp-github-allow-tools').spec.backend
        .mcp.authorization,
    ).toEqual({
      action: 'Allow',
      policy: {
        matchExpressions: [
          "mcp.tool.name in ['get_issue'] || mcp.tool.name.matches('^list_.*$')",
        ],
      },
    });
    expect(
      find(bundle, 'AgentgatewayPolicy', 'mcp-github-deny-tools').spec.backend
        .mcp.authorization.action,
    ).toBe('Require');
    const env = find(bundle, 'Deployment', 'mcp-github').spec.template.spec
      .containers[0].env;
    expect(env).toEqual([
      {
        name: 'GITHUB_TOKEN',
        valueFrom: { secretKeyRef: { name: 'github', key: 'token' } },
      },
    ]);
  });

  it('keeps provider groups in priority order with failover health and model routing', () => {
    const bundle = render(state);
    const backend = find(bundle, 'AgentgatewayBackend', 'ai-llm');
    expect(
      backend.spec.ai.groups.map((g: any) =>
        g.providers.map((p: any) => p.name),
      ),
    ).toEqual([['openai'], ['bedrock']]);
    expect(backend.spec.ai.groups[0].providers[0]).toMatchObject({
      openai: { model: 'gpt-4o' },
      policies: {
        auth: { secretRef: { name: 'openai', key: 'api-key' } },
        health: {
          unhealthyCondition: expect.stringContaining('response.code >= 500'),
        },
      },
    });
    const route = find(bundle, 'HTTPRoute', 'ai-llm');
    expect(route.spec.rules[1].matches).toEqual([
      {
        headers: [
          { type: 'Exact', name: 'x-ai-gateway-model', value: 'gpt-4o' },
        ],
      },
      {
        headers: [
          { type: 'Exact', name: 'x-ai-gateway-model', value: 'claude-sonnet' },
        ],
      },
    ]);
    expect(
      find(bundle, 'AgentgatewayPolicy', 'prod-eu-model-routing').spec.traffic
        .phase,
    ).toBe('PreRouting');
  });

  it('attaches request-path policy to the route and connection policy to the backend', () => {
    const bundle = render(state);
    expect(find(bundle, 'AgentgatewayPolicy', 'policy-budget').spec).toEqual({
      targetRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          name: 'ai-llm',
        },
      ],
      traffic: { rateLimit: globalLimit({ policy: "'budget'" }) },
    });
    expect(
      find(bundle, 'AgentgatewayPolicy', 'policy-budget-backend').spec,
    ).toEqual({
      targetRefs: [
        {
          group: 'agentgateway.dev',
          kind: 'AgentgatewayBackend',
          name: 'ai-llm',
        },
      ],
      backend: {
        ai: {
          promptGuard: {
            request: [{ regex: { action: 'Reject', builtins: ['Email'] } }],
          },
        },
      },
    });
  });

  it('says what agentgateway cannot express in objects stored before the portal refused it', () => {
    // The portal refuses these fields now; objects stored earlier still render.
    const cached = {
      ...policySchema.parse({
        ...budget,
        name: 'cache',
        target: { kind: 'gateway', name: 'prod-eu' },
        rateLimit: { unit: 'minute', tokens: 1000 },
        promptGuard: undefined,
      }),
      responseCache: { ttlSeconds: 60 },
      jwtAuth: {
        issuer: 'https://idp.example.com',
        audiences: [],
        mode: 'strict',
        jwks: { secretRef: { name: 'jwks', key: 'jwks.json' } },
      },
    } as Policy;
    cached.rateLimit!.perModel = true;
    const weighted = structuredClone(llm);
    if (weighted.spec.kind === 'ai')
      weighted.spec.groups[0].providers[0].weight = 70;
    const bundle = render({
      ...state,
      aiBackends: [weighted],
      policies: [cached],
    });
    expect(bundle.warnings).toEqual([
      expect.stringContaining('not by weight; the weights of group 1'),
      expect.stringContaining('cannot read a JWKS from a Secret'),
      expect.stringContaining('no response cache'),
      expect.stringContaining('perModel names no models'),
    ]);
    // Authentication that cannot be rendered fails closed.
    expect(
      find(bundle, 'AgentgatewayPolicy', 'policy-cache').spec.traffic
        .authorization,
    ).toEqual({
      action: 'Require',
      policy: { matchExpressions: ['false'] },
    });
  });

  it('routes served model patterns, an exact name of another backend first', () => {
    const claude = aiBackendSchema.parse({
      ...llm,
      name: 'claude',
      spec: {
        ...llm.spec,
        models: [
          'anthropic/claude-opus-4',
          'anthropic/*',
          '*-latest',
          'a.b+c*',
        ],
      },
    });
    const wide = aiBackendSchema.parse({
      ...llm,
      name: 'wide',
      spec: { ...llm.spec, models: ['*'] },
    });
    const bundle = render({ ...state, aiBackends: [llm, claude, wide] });
    const rules = find(bundle, 'HTTPRoute', 'ai-claude').spec.rules;
    expect(rules.slice(1).map((r: any) => r.matches)).toEqual([
      [
        {
          headers: [
            {
              type: 'Exact',
              name: 'x-ai-gateway-model',
              value: 'anthropic/claude-opus-4',
            },
          ],
        },
      ],
      [
        {
          path: { type: 'RegularExpression', value: '/.*' },
          headers: [
            {
              type: 'RegularExpression',
              name: 'x-ai-gateway-model',
              value: '^anthropic/.*$',
            },
          ],
        },
        {
          path: { type: 'RegularExpression', value: '/.*' },
          headers: [
            {
              type: 'RegularExpression',
              name: 'x-ai-gateway-model',
              value: '^.*\\-latest$',
            },
          ],
        },
        {
          path: { type: 'RegularExpression', value: '/.*' },
          headers: [
            {
              type: 'RegularExpression',
              name: 'x-ai-gateway-model',
              value: '^a\\.b\\+c.*$',
            },
          ],
        },
      ],
    ]);
    expect(
      find(bundle, 'HTTPRoute', 'ai-wide').spec.rules[1].matches[0].headers,
    ).toEqual([
      { type: 'RegularExpression', name: 'x-ai-gateway-model', value: '^.+$' },
    ]);
    // Two patterns that both match a model are a tie agentgateway breaks by
    // route age; an exact name against a pattern is not. (Warnings are sorted.)
    expect(bundle.warnings).toEqual([
      "AI backends claude ('*-latest') and wide ('*') both match some model names; agentgateway routes such a model to the older of their routes",
      "AI backends claude ('a.b+c*') and wide ('*') both match some model names; agentgateway routes such a model to the older of their routes",
      "AI backends claude ('anthropic/*') and wide ('*') both match some model names; agentgateway routes such a model to the older of their routes",
    ]);
  });

  it('gives named models and patterns their own budgets, the most specific first', () => {
    const limits = policySchema.parse({
      ...budget,
      promptGuard: undefined,
      rateLimit: {
        unit: 'minute',
        tokens: 1000,
        models: {
          'gpt-*': 300,
          'gpt-4o*': 200,
          "o'brien\\x": 50,
          '*-mini': 10,
        },
      },
    });
    // No backend serves models: the model header is still set for the limits.
    const unrouted = aiBackendSchema.parse({
      ...llm,
      spec: { ...llm.spec, models: [] },
    });
    const bundle = render({
      ...state,
      aiBackends: [unrouted],
      policies: [limits],
    });
    const model = (key: string) =>
      globalLimit({ policy: "'budget'", model: key });
    expect(
      find(bundle, 'AgentgatewayPolicy', 'policy-budget').spec.traffic
        .rateLimit,
    ).toEqual({
      conditional: [
        {
          condition:
            "request.headers['x-ai-gateway-model'] == 'o\\'brien\\\\x'",
          policy: model("'o\\'brien\\\\x'"),
        },
        {
          condition:
            "request.headers['x-ai-gateway-model'].startsWith('gpt-4o')",
          policy: model("'gpt-4o*'"),
        },
        {
          condition: "request.headers['x-ai-gateway-model'].endsWith('-mini')",
          policy: model("'*-mini'"),
        },
        {
          condition: "request.headers['x-ai-gateway-model'].startsWith('gpt-')",
          policy: model("'gpt-*'"),
        },
        { policy: globalLimit({ policy: "'budget'" }) },
      ],
    });
    // The amounts are the rate-limit service's: one budget per entry.
    const minute = (n: number) => ({ unit: 'minute', requests_per_unit: n });
    expect(rateLimitConfig(bundle)).toEqual({
      domain: 'ai-gateway.prod-eu',
      descriptors: [
        {
          key: 'policy',
          value: 'budget',
          rate_limit: minute(1000),
          descriptors: [
            { key: 'model', value: "o'brien\\x", rate_limit: minute(50) },
            { key: 'model', value: 'gpt-4o*', rate_limit: minute(200) },
            { key: 'model', value: '*-mini', rate_limit: minute(10) },
            { key: 'model', value: 'gpt-*', rate_limit: minute(300) },
          ],
        },
      ],
    });
    expect(
      find(bundle, 'AgentgatewayPolicy', 'prod-eu-model-routing').spec.traffic
        .transformation.request.set,
    ).toEqual([
      { name: 'x-ai-gateway-model', value: 'string(json(request.body).model)' },
    ]);
  });

  it('sends Azure OpenAI requests where baseUrl says, model by deployment', () => {
    const azure = aiBackendSchema.parse({
      ...llm,
      spec: {
        kind: 'ai',
        groups: [
          {
            providers: [
              {
                name: 'azure',
                type: 'azure-openai',
                baseUrl: 'https://azure-proxy.corp.example:8443/openai',
                deployment: 'gpt-4o-mini',
                apiVersion: '2024-10-21',
                credentialsSecretRef: { name: 'azure', key: 'api-key' },
              },
            ],
          },
        ],
        models: [],
      },
    });
    const bundle = render({ ...state, aiBackends: [azure] });
    expect(
      find(bundle, 'AgentgatewayBackend', 'ai-llm').spec.ai.groups[0]
        .providers[0],
    ).toEqual({
      name: 'azure',
      azureopenai: {
        endpoint: 'azure-proxy.corp.example',
        deploymentName: 'gpt-4o-mini',
        apiVersion: '2024-10-21',
      },
      host: 'azure-proxy.corp.example',
      port: 8443,
      pathPrefix: '/openai',
      policies: {
        auth: { secretRef: { name: 'azure', key: 'api-key' } },
        tls: { sni: 'azure-proxy.corp.example' },
      },
    });
  });

  it('renders one exposure object per ingress provider', () => {
    const openshift = poolSchema.parse({
      ...pool,
      cluster: { name: 'ocp', type: 'openshift' },
      ingress: [
        { kind: 'kubernetes-ingress', className: 'nginx' },
        { kind: 'istio' },
        { kind: 'traefik' },
        { kind: 'gateway-api', className: 'public' },
        { kind: 'openshift-route' },
      ],
    });
    const kinds = render({ ...state, pool: openshift })
      .objects.filter(
        o => o.metadata.labels?.['app.kubernetes.io/component'] === 'ingress',
      )
      .map(o => `${o.apiVersion}/${o.kind}`);
    expect(kinds.sort()).toEqual([
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'networking.istio.io/v1/Gateway',
      'networking.istio.io/v1/VirtualService',
      'networking.k8s.io/v1/Ingress',
      'route.openshift.io/v1/Route',
      'route.openshift.io/v1/Route',
      'traefik.io/v1alpha1/IngressRoute',
    ]);
  });

  it('runs Redis auto as a 3-node Sentinel StatefulSet and has the rate-limit service count in it', () => {
    const auto = render(state);
    const sts = find(auto, 'StatefulSet', 'prod-eu-redis');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.template.spec.containers.map((c: any) => c.name)).toEqual([
      'redis',
      'sentinel',
    ]);
    expect(
      sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage,
    ).toBe('1Gi');
    expect(
      find(auto, 'PodDisruptionBudget', 'prod-eu-redis').spec.minAvailable,
    ).toBe(2);
    const service = find(auto, 'Deployment', 'prod-eu-ratelimit').spec.template
      .spec;
    expect(service.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: 'REDIS_TYPE', value: 'sentinel' },
        {
          name: 'REDIS_URL',
          value: 'mymaster,prod-eu-redis.ai-gateway.svc.cluster.local:26379',
        },
      ]),
    );
    expect(service.initContainers[0].command[2]).toContain(
      'nc -z prod-eu-redis.ai-gateway.svc.cluster.local 26379',
    );
    expect(find(auto, 'Service', 'prod-eu-ratelimit').spec.ports).toEqual([
      {
        name: 'grpc',
        port: 8081,
        targetPort: 'grpc',
        protocol: 'TCP',
        appProtocol: 'kubernetes.io/h2c',
      },
    ]);
    // The gateway itself does not talk to Redis.
    expect(
      find(auto, 'AgentgatewayParameters', 'prod-eu').spec.env,
    ).toBeUndefined();
  });

  it('points the rate-limit service at a manual Redis, secrets by reference', () => {
    const redis = (fields: object) =>
      render({
        ...state,
        pool: poolSchema.parse({
          ...pool,
          redis: { mode: 'manual', host: 'redis.example.com', ...fields },
        }),
      });
    const manual = redis({
      port: 6380,
      username: 'gateway',
      database: 3,
      tls: true,
      passwordSecretRef: { name: 'redis', key: 'password' },
    });
    expect(manual.objects.filter(o => o.kind === 'StatefulSet')).toEqual([]);
    const env = find(manual, 'Deployment', 'prod-eu-ratelimit').spec.template
      .spec.containers[0].env;
    const redisEnv = env.filter((e: any) => e.name.startsWith('REDIS_'));
    expect(redisEnv).toEqual([
      { name: 'REDIS_SOCKET_TYPE', value: 'tcp' },
      { name: 'REDIS_TYPE', value: 'single' },
      { name: 'REDIS_URL', value: 'redis://redis.example.com:6380/3' },
      { name: 'REDIS_TLS', value: 'true' },
      {
        name: 'REDIS_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } },
      },
      // Kubernetes expands $(REDIS_PASSWORD): no password is inline.
      { name: 'REDIS_AUTH', value: 'gateway:$(REDIS_PASSWORD)' },
    ]);
    expect(JSON.stringify(manual)).not.toMatch(/password"\s*:\s*"[^{]/);

    const plain = find(redis({}), 'Deployment', 'prod-eu-ratelimit').spec
      .template.spec;
    expect(
      plain.containers[0].env.filter((e: any) => e.name.startsWith('REDIS_')),
    ).toEqual([
      { name: 'REDIS_SOCKET_TYPE', value: 'tcp' },
      { name: 'REDIS_TYPE', value: 'single' },
      { name: 'REDIS_URL', value: 'redis.example.com:6379' },
      { name: 'REDIS_TLS', value: 'false' },
    ]);
    expect(plain.initContainers[0].command[2]).toContain(
      'nc -z redis.example.com 6379',
    );
  });

  it('counts every policy budget in the rate-limit service, days included, and rolls it when they change', () => {
    const daily = policySchema.parse({
      name: 'daily',
      project: 'payments',
      pool: 'prod-eu',
      target: { kind: 'gateway', name: 'prod-eu' },
      rateLimit: { unit: 'day', requests: 5000 },
    });
    const bundle = render({ ...state, policies: [budget, daily] });
    expect(bundle.warnings).toEqual([]);
    expect(rateLimitConfig(bundle).descriptors).toEqual([
      {
        key: 'policy',
        value: 'budget',
        rate_limit: { unit: 'minute', requests_per_unit: 100000 },
      },
      {
        key: 'policy',
        value: 'daily',
        rate_limit: { unit: 'day', requests_per_unit: 5000 },
      },
    ]);
    expect(
      find(bundle, 'AgentgatewayPolicy', 'policy-daily').spec.traffic,
    ).toEqual({ rateLimit: globalLimit({ policy: "'daily'" }, false) });

    const hash = (b: ManifestBundle) =>
      find(b, 'Deployment', 'prod-eu-ratelimit').spec.template.metadata
        .annotations['ai-gateway.backstage.io/ratelimit-config'];
    expect(hash(bundle)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(render({ ...state, policies: [budget, daily] }))).toBe(
      hash(bundle),
    );
    expect(hash(render(state))).not.toBe(hash(bundle));
    // With no policy the service runs with no budgets, ready for the first.
    expect(rateLimitConfig(render({ ...state, policies: [] }))).toEqual({
      domain: 'ai-gateway.prod-eu',
      descriptors: [],
    });
  });

  it('exports access logs over OTLP to the SIEM endpoint, with its token and TLS', () => {
    const withSiem = (siem: object) =>
      render({ ...state, pool: poolSchema.parse({ ...pool, siem }) });
    const bundle = withSiem({
      endpoint: 'https://collector.example.com:4318/siem/v1/logs',
      secretRef: { name: 'siem', key: 'token' },
    });
    expect(bundle.warnings).toEqual([]);
    expect(find(bundle, 'AgentgatewayBackend', 'prod-eu-siem').spec).toEqual({
      static: { host: 'collector.example.com', port: 4318 },
      policies: {
        auth: { secretRef: { name: 'siem', key: 'token' } },
        tls: { sni: 'collector.example.com' },
      },
    });
    expect(find(bundle, 'AgentgatewayPolicy', 'prod-eu-siem').spec).toEqual({
      targetRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: 'prod-eu',
        },
      ],
      frontend: {
        accessLog: {
          otlp: {
            backendRef: {
              group: 'agentgateway.dev',
              kind: 'AgentgatewayBackend',
              name: 'prod-eu-siem',
            },
            protocol: 'HTTP',
            path: '/siem/v1/logs',
          },
        },
      },
    });
    // The gateway may reach the collector's port.
    const egress = find(bundle, 'NetworkPolicy', 'prod-eu-egress').spec.egress;
    expect(egress[1].ports).toContainEqual({ protocol: 'TCP', port: 4318 });

    // A plain in-cluster collector: no TLS, no token, OTLP's default path.
    const plain = withSiem({
      endpoint: 'http://otel-collector.monitoring.svc.cluster.local:4318',
    });
    expect(find(plain, 'AgentgatewayBackend', 'prod-eu-siem').spec).toEqual({
      static: {
        host: 'otel-collector.monitoring.svc.cluster.local',
        port: 4318,
      },
    });
    expect(
      find(plain, 'AgentgatewayPolicy', 'prod-eu-siem').spec.frontend.accessLog
        .otlp,
    ).not.toHaveProperty('path');
  });

  it('does not render a SIEM format stored before the portal refused it, and says so', () => {
    const stored = {
      ...pool,
      siem: { endpoint: 'https://siem.example.com/cef', format: 'cef' },
    } as Pool;
    const bundle = render({ ...state, pool: stored });
    expect(
      bundle.objects.filter(o => o.metadata.name === 'prod-eu-siem'),
    ).toEqual([]);
    expect(bundle.warnings).toEqual([
      'the SIEM exporter is not rendered: agentgateway exports access logs only over OTLP, not as cef; set siem.format to otlp and point siem.endpoint at an OTLP collector that forwards to the SIEM',
    ]);
  });

  it('refuses a bundle with two objects of the same name', () => {
    const o = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x', namespace: 'n' },
    };
    expect(() =>
      createManifestBundle({
        pool: 'p',
        namespace: 'n',
        renderer: 't',
        objects: [o, o],
      }),
    ).toThrow('renderer t produced v1/Service/n/x twice');
  });
});

describe('AgentgatewayRenderer.managedKinds', () => {
  it('covers every kind the renderer produces, so pruning finds them all', () => {
    const managed = new Set(
      new AgentgatewayRenderer().managedKinds.map(
        k => `${k.apiVersion}/${k.kind}`,
      ),
    );
    fc.assert(
      fc.property(desiredStateArbitrary(), s => {
        for (const o of render(s).objects) {
          expect(managed).toContain(`${o.apiVersion}/${o.kind}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
