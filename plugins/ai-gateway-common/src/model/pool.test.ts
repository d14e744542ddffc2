import fc from 'fast-check';
import { mcpServerUrl } from './mcpServer';
import { poolHosts, poolSchema } from './pool';
import { formatZodIssues } from './validation';

const base = {
  name: 'prod',
  project: 'payments',
  cluster: { name: 'prod-eu', type: 'eks' },
  namespace: 'aigw',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
};

const issues = (input: unknown) => {
  const r = poolSchema.safeParse(input, { reportInput: true });
  return r.success ? [] : formatZodIssues(r.error);
};

describe('poolSchema', () => {
  it('applies the defaults of the pool form', () => {
    const pool = poolSchema.parse(base);
    expect(pool).toMatchObject({
      gateway: 'agentgateway',
      replicas: 1,
      maxReplicas: 5,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      redis: { mode: 'auto' },
      delivery: { mode: 'agent' },
      heartbeatStaleSeconds: 300,
      domains: { separator: '.', subdomains: { api: 'api', console: 'console', grafana: 'grafana', auth: 'auth', mcp: 'mcp' } },
    });
  });

  it('requires a host for manual Redis and refuses a password value', () => {
    expect(issues({ ...base, redis: { mode: 'manual' } })).toEqual([{ field: 'redis.host', message: 'is required' }]);
    const secret = issues({ ...base, redis: { mode: 'manual', host: 'r.local', password: 'hunter2' } });
    expect(secret).toHaveLength(1);
    expect(secret[0].field).toBe('redis.password');
    expect(secret[0].message).toMatch(/passwordSecretRef/);
    const ok = poolSchema.parse({ ...base, redis: { mode: 'manual', host: 'r.local', passwordSecretRef: { name: 'redis', key: 'password' } } });
    expect(ok.redis).toEqual({ mode: 'manual', host: 'r.local', port: 6379, database: 0, tls: false, passwordSecretRef: { name: 'redis', key: 'password' } });
  });

  it('requires a wildcard secret for provided TLS and an email for Let\'s Encrypt', () => {
    expect(issues({ ...base, tls: { mode: 'provided' } })).toEqual([{ field: 'tls.wildcardSecretName', message: 'is required' }]);
    expect(issues({ ...base, tls: { mode: 'letsencrypt', email: 'nope', dns01: { provider: 'route53', zone: 'example.com' } } })).toEqual([
      { field: 'tls.email', message: 'must be an email address' },
    ]);
    expect(issues({ ...base, tls: { mode: 'acme' } })[0]).toEqual({ field: 'tls.mode', message: "mode must be 'letsencrypt', 'provided' or 'selfsigned'" });
  });

  it('checks replicas, namespaces, cluster types and ingress providers', () => {
    expect(issues({ ...base, replicas: 6 })).toEqual([{ field: 'replicas', message: 'replicas (6) must not exceed maxReplicas (5)' }]);
    expect(issues({ ...base, maxReplicas: 51 })).toEqual([{ field: 'maxReplicas', message: 'must be at most 50' }]);
    expect(issues({ ...base, namespace: 'Bad_NS' })[0].field).toBe('namespace');
    expect(issues({ ...base, cluster: { name: 'c', type: 'k3s' } })).toEqual([
      { field: 'cluster.type', message: 'must be one of: eks, aks, gke, openshift, native' },
    ]);
    expect(issues({ ...base, ingress: [{ kind: 'istio' }, { kind: 'istio' }] })).toEqual([
      { field: 'ingress[1].kind', message: 'istio is configured twice; each ingress provider may appear once' },
    ]);
    expect(issues({ ...base, resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })[0].field).toBe('resources.limits.cpu');
  });

  it('derives hosts with either separator and custom labels', () => {
    const dot = poolSchema.parse(base);
    expect(poolHosts(dot)).toEqual({
      api: 'api.ai.example.com',
      console: 'console.ai.example.com',
      grafana: 'grafana.ai.example.com',
      auth: 'auth.ai.example.com',
      mcp: 'mcp.ai.example.com',
    });
    const dash = poolSchema.parse({ ...base, domains: { baseDomain: 'example.com', separator: '-', subdomains: { mcp: 'tools' } } });
    expect(poolHosts(dash).api).toBe('api-example.com');
    expect(poolHosts(dash).mcp).toBe('tools-example.com');
    expect(mcpServerUrl(dash, { prefix: 'github' })).toBe('https://tools-example.com/github/mcp');
    expect(issues({ ...base, domains: { baseDomain: 'a.com', subdomains: { api: 'x', mcp: 'x' } } })[0]).toEqual({
      field: 'domains.subdomains.mcp',
      message: "'x' is already the api subdomain; each service needs its own",
    });
  });

  it('parses every generated valid pool and never throws on junk', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
    const validPool = fc.record({
      name: label,
      project: label,
      cluster: fc.record({ name: label, type: fc.constantFrom('eks', 'aks', 'gke', 'openshift', 'native') }),
      namespace: label,
      replicas: fc.integer({ min: 1, max: 5 }),
      maxReplicas: fc.integer({ min: 5, max: 50 }),
      tls: fc.constantFrom({ mode: 'selfsigned' }, { mode: 'provided', wildcardSecretName: 'wildcard-tls' }),
      domains: fc.record({ baseDomain: fc.constantFrom('a.example.com', 'example.org'), separator: fc.constantFrom('.', '-') }),
      delivery: fc.record({ mode: fc.constantFrom('direct', 'agent', 'gitops') }),
    });
    fc.assert(fc.property(validPool, p => poolSchema.safeParse(p).success));
    fc.assert(fc.property(fc.anything(), junk => poolSchema.safeParse(junk).success === false));
  });
});
