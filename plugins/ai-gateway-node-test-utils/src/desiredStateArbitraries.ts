import fc from 'fast-check';
import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { PoolDesiredState } from '@ai-gateway-backstage/plugin-ai-gateway-node';

/**
 * fast-check arbitraries of whole pools (a pool with MCP servers, AI
 * backends and policies), valid by construction and parsed with the real
 * schemas, for property tests of renderers.
 */
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const secretRef = fc.record({
  name: label,
  key: fc.constantFrom('token', 'api-key'),
});
const annotations = fc.dictionary(
  fc.constantFrom('example.com/team', 'prometheus.io/scrape', 'owner'),
  fc.constantFrom('a', 'true', 'platform'),
  { maxKeys: 2 },
);

const DNS01: Record<string, object> = {
  route53: { region: 'eu-central-1', accessKeyId: 'AKIAEXAMPLE' },
  cloudflare: {},
  clouddns: { project: 'dns-project' },
  azuredns: {
    subscriptionId: 's',
    resourceGroupName: 'dns',
    clientId: 'c',
    tenantId: 't',
  },
  digitalocean: {},
  rfc2136: { nameserver: '10.0.0.53:53', tsigKeyName: 'aigw' },
};

const poolInput = fc
  .record({
    name: label,
    clusterType: fc.constantFrom('eks', 'aks', 'gke', 'openshift', 'native'),
    namespace: label,
    serviceAccount: fc.option(label, { nil: undefined }),
    maxReplicas: fc.integer({ min: 1, max: 50 }),
    replicasFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    redis: fc.oneof(
      fc.record({
        mode: fc.constant('auto'),
        storageSize: fc.constantFrom('1Gi', '8Gi'),
      }),
      fc.record(
        {
          mode: fc.constant('manual'),
          host: fc.constantFrom('redis.example.com', 'cache.internal'),
          port: fc.constantFrom(6379, 6380),
          username: label,
          passwordSecretRef: secretRef,
          tls: fc.boolean(),
        },
        { requiredKeys: ['mode', 'host'] },
      ),
    ),
    images: fc.record(
      {
        operator: fc.constant('registry.example.com/aigw/operator:1.2.3'),
        gateway: fc.constantFrom(
          'registry.example.com:5000/agentgateway/agentgateway:v1.0.1',
          `agentgateway@sha256:${'a'.repeat(64)}`,
        ),
        registryCredentialsSecret: label,
      },
      { requiredKeys: [] },
    ),
    annotations,
    ingress: fc.subarray([
      'kubernetes-ingress',
      'istio',
      'traefik',
      'gateway-api',
      'openshift-route',
    ] as const),
    ingressTls: fc.boolean(),
    ingressHost: fc.option(fc.constant('gateway.example.org'), {
      nil: undefined,
    }),
    tlsMode: fc.constantFrom('letsencrypt', 'provided', 'selfsigned'),
    issuer: fc.constantFrom('staging', 'production'),
    dnsProvider: fc.constantFrom(...Object.keys(DNS01)),
    separator: fc.constantFrom('.', '-'),
    delivery: fc.constantFrom('direct', 'agent', 'gitops'),
    siem: fc.constantFrom(
      undefined,
      'https://siem.example.com/ingest',
      'http://otel-collector.monitoring.svc.cluster.local:4318',
    ),
  })
  .map(g => ({
    name: g.name,
    project: 'payments',
    cluster: { name: `${g.name}-cluster`, type: g.clusterType },
    namespace: g.namespace,
    // The operator's settings: no operator runs with direct delivery.
    ...(g.serviceAccount && g.delivery !== 'direct'
      ? { serviceAccount: g.serviceAccount }
      : {}),
    replicas: Math.max(1, Math.floor(g.replicasFraction * g.maxReplicas)),
    maxReplicas: g.maxReplicas,
    redis: g.redis,
    images:
      g.delivery === 'direct' ? { ...g.images, operator: undefined } : g.images,
    annotations: g.annotations,
    ingress: g.ingress
      .filter(
        kind => kind !== 'openshift-route' || g.clusterType === 'openshift',
      )
      .map(kind => ({
        kind,
        tls: g.ingressTls,
        className: kind === 'kubernetes-ingress' ? 'nginx' : undefined,
        ...(g.ingressHost ? { host: g.ingressHost } : {}),
      })),
    tls: {
      selfsigned: { mode: 'selfsigned' },
      provided: { mode: 'provided', wildcardSecretName: 'wildcard-tls' },
      letsencrypt: {
        mode: 'letsencrypt',
        issuer: g.issuer,
        email: 'platform@example.com',
        dns01: {
          provider: g.dnsProvider,
          dnsZone: 'example.com',
          credentialsSecretRef: { name: 'dns', key: 'token' },
          ...DNS01[g.dnsProvider],
        },
      },
    }[g.tlsMode],
    domains: { baseDomain: 'ai.example.com', separator: g.separator },
    ...(g.siem
      ? {
          siem: {
            endpoint: g.siem,
            ...(g.siem.startsWith('https')
              ? { secretRef: { name: 'siem', key: 'token' } }
              : {}),
          },
        }
      : {}),
    delivery: { mode: g.delivery },
  }));

const toolName = fc.constantFrom(
  'get_issue',
  'list_*',
  'search.code',
  'create_pr',
  'admin_*',
);

/**
 * Projects and their owners: the pool's own and two others, so MCP servers
 * and AI backends of one pool belong to different projects and teams.
 */
const PROJECT_OWNERS: Record<string, string> = {
  payments: 'group:default/team-payments',
  search: 'group:default/team-search',
  'ml-platform': 'group:platform/ml',
};
const projectName = fc.constantFrom(...Object.keys(PROJECT_OWNERS));

const mcpServerInput = (pool: string) =>
  fc
    .record({
      name: label,
      project: projectName,
      prefix: label,
      image: fc.boolean(),
      port: fc.integer({ min: 1, max: 65535 }),
      replicas: fc.integer({ min: 1, max: 5 }),
      env: fc.dictionary(
        fc.constantFrom('API_URL', 'LOG_LEVEL'),
        fc.constantFrom('x', '1'),
      ),
      secretEnv: fc.boolean(),
      remoteUrl: fc.constantFrom(
        'https://mcp.example.com/mcp',
        'http://mcp.internal:8080/sse',
        'https://api.vendor.io:8443/v1/mcp',
      ),
      remoteAuth: fc.boolean(),
      transport: fc.constantFrom('streamable-http', 'sse'),
      tools: fc.uniqueArray(toolName, { maxLength: 4 }),
      split: fc.integer({ min: 0, max: 4 }),
    })
    .map(g => ({
      name: g.name,
      project: g.project,
      pool,
      prefix: g.prefix,
      source: g.image
        ? {
            type: 'image',
            image: 'ghcr.io/example/mcp:1.0',
            port: g.port,
            replicas: g.replicas,
            env: g.env,
            secretEnv: g.secretEnv
              ? [
                  {
                    name: 'TOKEN',
                    secretRef: { name: 'mcp-token', key: 'token' },
                  },
                ]
              : [],
          }
        : {
            type: 'remote',
            url: g.remoteUrl,
            ...(g.remoteAuth
              ? { authSecretRef: { name: 'remote', key: 'token' } }
              : {}),
          },
      transport: g.transport,
      tools: { allow: g.tools.slice(0, g.split), deny: g.tools.slice(g.split) },
    }));

const providerOf = (type: string, name: string) => {
  const key = { credentialsSecretRef: { name: `${name}-key`, key: 'api-key' } };
  switch (type) {
    case 'bedrock':
      return {
        name,
        type,
        region: 'eu-central-1',
        model: 'anthropic.claude-3',
      };
    case 'vertex-ai':
      return { name, type, gcpProject: 'p', location: 'europe-west4' };
    case 'azure-openai':
      return {
        name,
        type,
        baseUrl: 'https://res.openai.azure.com',
        deployment: 'gpt4o',
        apiVersion: '2024-10-21',
        ...key,
      };
    case 'custom':
      return {
        name,
        type,
        baseUrl: 'http://vllm.models:8000/v1',
        model: 'llama',
      };
    default:
      return { name, type, model: 'm-1', ...key };
  }
};

const aiBackendInput = (pool: string, mcpServerNames: string[]) =>
  fc
    .record({
      name: label,
      project: projectName,
      kind: fc.constantFrom(
        'ai',
        'ai',
        'static',
        'dynamic-forward-proxy',
        'mcp',
      ),
      groups: fc.array(
        fc.array(
          fc.record({
            type: fc.constantFrom(
              'openai',
              'anthropic',
              'bedrock',
              'azure-openai',
              'gemini',
              'vertex-ai',
              'custom',
            ),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      models: fc.uniqueArray(
        // Exact names and the patterns agentgateway can match.
        fc.constantFrom(
          'gpt-4o',
          'claude-sonnet',
          'llama-3',
          'gemini-pro',
          'anthropic/*',
          '*-mini',
          '*',
        ),
        {
          maxLength: 4,
        },
      ),
      byService: fc.boolean(),
      baseUrl: fc.boolean(),
    })
    .map(g => {
      let spec: object;
      if (g.kind === 'ai') {
        let n = 0;
        spec = {
          kind: 'ai',
          groups: g.groups.map(group => ({
            providers: group.map(p => {
              const provider = providerOf(p.type, `p${n++}`);
              return g.baseUrl && p.type === 'openai'
                ? {
                    ...provider,
                    baseUrl: 'https://proxy.example.com:8443/openai',
                  }
                : provider;
            }),
          })),
          models: g.models,
        };
      } else if (g.kind === 'static') {
        spec = g.byService
          ? { kind: 'static', service: { name: 'legacy-api', port: 8080 } }
          : { kind: 'static', host: 'api.example.net', port: 9443 };
      } else if (g.kind === 'mcp') {
        spec = {
          kind: 'mcp',
          targets: [
            {
              name: 'remote',
              host: 'mcp.example.net',
              port: 443,
              path: '/mcp',
            },
            ...mcpServerNames
              .slice(0, 2)
              .map((s, i) => ({ name: `local-${i}`, mcpServer: s })),
          ],
        };
      } else {
        spec = { kind: 'dynamic-forward-proxy' };
      }
      return { name: g.name, project: g.project, pool, spec };
    });

const policyInput = (pool: string, targets: string[]) =>
  fc
    .record(
      {
        name: label,
        targetKind: fc.constantFrom('gateway', 'route', 'backend'),
        targetIndex: fc.nat(),
        jwtAuth: fc.record({
          issuer: fc.constant('https://idp.example.com'),
          audiences: fc.constantFrom([], ['aigw']),
          jwks: fc.constant({
            url: 'https://idp.example.com/.well-known/jwks.json',
          }),
          mode: fc.constantFrom('strict', 'optional', 'permissive'),
        }),
        apiKeyAuth: fc.constantFrom(
          { secretRef: { name: 'keys' } },
          { secretSelector: { team: 'a' }, mode: 'optional' },
        ),
        authorization: fc.record({
          action: fc.constantFrom('allow', 'deny'),
          cel: fc.constant(["jwt.sub == 'alice'"]),
        }),
        rateLimit: fc.record(
          {
            unit: fc.constantFrom('second', 'minute', 'hour', 'day'),
            requests: fc.integer({ min: 1, max: 100000 }),
            perModel: fc.boolean(),
            models: fc.constantFrom(
              { 'gpt-4o': 10, "o'brien": 5 },
              { 'gpt-4o': 10, 'gpt-*': 20, '*-mini': 5, 'a\\b*': 1 },
            ),
          },
          { requiredKeys: ['unit', 'requests'] },
        ),
        promptGuard: fc.record(
          {
            request: fc.record({
              builtins: fc.constantFrom(
                ['email', 'ssn'],
                ['credit-card', 'ca-sin', 'phone'],
              ),
              regex: fc.constant([{ name: 'key', pattern: 'sk-[a-z0-9]+' }]),
              action: fc.constantFrom('reject', 'mask'),
            }),
            response: fc.record({
              builtins: fc.constant(['email']),
              action: fc.constant('mask'),
            }),
          },
          { requiredKeys: [] },
        ),
        retries: fc.record({ attempts: fc.integer({ min: 0, max: 5 }) }),
        timeouts: fc.constantFrom(
          { requestSeconds: 60 },
          { backendRequestSeconds: 30 },
          { requestSeconds: 60, backendRequestSeconds: 30 },
        ),
        headers: fc.record(
          {
            request: fc.record({
              set: fc.constant({ 'x-team': 'a' }),
              remove: fc.constant(['x-debug']),
            }),
            response: fc.record({
              add: fc.constant({ 'x-served-by': 'aigw' }),
            }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['name', 'targetKind', 'targetIndex', 'timeouts'] },
    )
    .map(g => {
      const {
        targetKind,
        targetIndex,
        promptGuard,
        headers,
        rateLimit,
        ...sections
      } = g;
      const useGateway = targetKind === 'gateway' || targets.length === 0;
      return {
        ...sections,
        project: 'payments',
        pool,
        target: useGateway
          ? { kind: 'gateway', name: pool }
          : { kind: targetKind, name: targets[targetIndex % targets.length] },
        ...(promptGuard && (promptGuard.request || promptGuard.response)
          ? { promptGuard }
          : {}),
        ...(headers ? { headers } : {}),
        ...(rateLimit
          ? {
              rateLimit: {
                ...rateLimit,
                // perModel counts named models only, and needs them.
                perModel:
                  rateLimit.perModel &&
                  rateLimit.models !== undefined &&
                  !Object.keys(rateLimit.models).some(m => m.includes('*')),
              },
            }
          : {}),
      };
    });

const uniqueBy = <T extends { name: string }>(items: T[]) => {
  const seen = new Set<string>();
  return items.filter(i => !seen.has(i.name) && seen.add(i.name));
};

/**
 * A pool with up to `max` MCP servers, AI backends and policies each (MCP
 * servers and AI backends in one of three projects), and those projects'
 * owners.
 *
 * @public
 */
export function desiredStateArbitrary(
  max = { mcpServers: 4, aiBackends: 3, policies: 4 },
): fc.Arbitrary<PoolDesiredState> {
  return poolInput.chain(poolRaw => {
    const pool = poolSchema.parse(poolRaw);
    return fc
      .array(mcpServerInput(pool.name), { maxLength: max.mcpServers })
      .chain(rawServers => {
        const servers = uniqueBy(rawServers.map(s => mcpServerSchema.parse(s)));
        const prefixes = new Set<string>();
        const mcpServers = servers.filter(
          s => !prefixes.has(s.prefix) && prefixes.add(s.prefix),
        );
        return fc
          .array(
            aiBackendInput(
              pool.name,
              mcpServers.map(s => s.name),
            ),
            {
              maxLength: max.aiBackends,
            },
          )
          .chain(rawBackends => {
            const aiBackends = uniqueBy(
              rawBackends.map(b => aiBackendSchema.parse(b)),
            );
            const targets = [
              ...aiBackends.map(b => b.name),
              ...mcpServers.map(s => s.name),
            ];
            return fc
              .array(policyInput(pool.name, targets), {
                maxLength: max.policies,
              })
              .map(rawPolicies => ({
                pool,
                mcpServers,
                aiBackends,
                policies: uniqueBy(rawPolicies.map(p => policySchema.parse(p))),
                projects: Object.entries(PROJECT_OWNERS).map(
                  ([name, owner]) => ({ name, owner }),
                ),
              }));
          });
      });
  });
}
