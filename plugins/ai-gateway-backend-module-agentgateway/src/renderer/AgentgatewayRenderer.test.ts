import fc from 'fast-check';
import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
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
      traffic: { rateLimit: { local: [{ unit: 'Minutes', tokens: 100000 }] } },
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

  it('says what agentgateway cannot express instead of dropping it silently', () => {
    const cached = policySchema.parse({
      ...budget,
      name: 'cache',
      target: { kind: 'gateway', name: 'prod-eu' },
      rateLimit: undefined,
      promptGuard: undefined,
      responseCache: { ttlSeconds: 60 },
      jwtAuth: {
        issuer: 'https://idp.example.com',
        jwks: { secretRef: { name: 'jwks', key: 'jwks.json' } },
      },
    });
    const bundle = render({ ...state, policies: [cached] });
    expect(bundle.warnings).toEqual([
      expect.stringContaining('cannot read a JWKS from a Secret'),
      expect.stringContaining('no response cache'),
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

  it('runs Redis auto as a 3-node Sentinel StatefulSet and wires manual Redis by reference', () => {
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

    const manual = render({
      ...state,
      pool: poolSchema.parse({
        ...pool,
        redis: {
          mode: 'manual',
          host: 'redis.example.com',
          passwordSecretRef: { name: 'redis', key: 'password' },
        },
      }),
    });
    expect(manual.objects.filter(o => o.kind === 'StatefulSet')).toEqual([]);
    const env = find(manual, 'AgentgatewayParameters', 'prod-eu').spec.env;
    expect(env).toContainEqual({
      name: 'AIGW_REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } },
    });
    expect(JSON.stringify(manual)).not.toMatch(/password"\s*:\s*"[^{]/);
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
