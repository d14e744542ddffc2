import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
  type AiBackend,
  type McpServer,
  type Policy,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  RendererRegistry,
  type ManifestObject,
  type PoolDesiredState,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { createManifestSchemaValidator } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AgentgatewayRenderer } from './AgentgatewayRenderer';
import { parseImage } from './context';
import { urlTarget } from './mcpServers';

/**
 * Accepted means honoured: every field the REST API accepts for a pool, MCP
 * server, AI backend or policy reaches the rendered objects, or is listed
 * below as the control plane's own (with the reason). The field list comes
 * from the models' JSON Schemas, so a field added to a model fails here
 * until it is rendered or classified; the fixtures set every field, with
 * values distinctive enough that finding them in the manifests means they
 * came from that field.
 */

const registry = new RendererRegistry([new AgentgatewayRenderer()]);
const validator = createManifestSchemaValidator();
const render = (state: PoolDesiredState) =>
  registry.renderBundle(state, {
    controlPlaneUrl: 'https://portal.example.com/api/ai-gateway',
  });

type Kind = 'pool' | 'mcpServer' | 'aiBackend' | 'policy';

/** Fields that configure the control plane or the portal, not the gateway. */
const CONTROL_PLANE: Record<Kind, Record<string, string>> = {
  pool: {
    description: 'shown in the portal and the catalog',
    project: 'ownership and permissions in the portal',
    'cluster.name': 'where direct delivery applies the bundle',
    'cluster.type':
      'checked against the ingress kinds (an OpenShift Route needs OpenShift)',
    gateway: 'selects this renderer',
    'domains.subdomains.console':
      "refused (400): the suite deploys no console behind the pool; only the former default 'console' older pools carry is accepted, and it has no effect",
    'domains.subdomains.grafana':
      "refused (400): the suite deploys no Grafana behind the pool; only the former default 'grafana' older pools carry is accepted, and it has no effect",
    'domains.subdomains.auth':
      "refused (400): the suite deploys no identity provider behind the pool; only the former default 'auth' older pools carry is accepted, and it has no effect",
    'delivery.repoUrl': 'where gitops delivery publishes the bundle',
    'delivery.branch': 'where gitops delivery publishes the bundle',
    'delivery.path': 'where gitops delivery publishes the bundle',
    heartbeatStaleSeconds: "the control plane's pool health monitor",
  },
  mcpServer: {
    description: 'shown in the portal and the catalog',
    project: 'ownership and permissions in the portal',
    pool: 'which pool renders it',
  },
  aiBackend: {
    description: 'shown in the portal and the catalog',
    project: 'ownership and permissions in the portal',
    pool: 'which pool renders it',
    'spec.groups[].providers[].weight':
      'only 1 is accepted: agentgateway shares traffic within a group by health and latency',
  },
  policy: {
    description: 'shown in the portal and the catalog',
    project: 'ownership and permissions in the portal',
    pool: 'which pool renders it',
    'promptGuard.request.regex[].name':
      "the pattern's label in the portal's effective-policy view; agentgateway takes bare patterns",
    'promptGuard.response.regex[].name':
      "the pattern's label in the portal's effective-policy view; agentgateway takes bare patterns",
    'jwtAuth.jwks.secretRef.name':
      'refused (400): agentgateway reads a JWKS from a URL',
    'jwtAuth.jwks.secretRef.key':
      'refused (400): agentgateway reads a JWKS from a URL',
    'apiKeyAuth.secretRef.key':
      'refused (400): agentgateway takes every entry of the Secret as a key',
    'responseCache.ttlSeconds':
      'refused (400): agentgateway has no response cache',
    'responseCache.maxEntries':
      'refused (400): agentgateway has no response cache',
  },
};

const toolNeedle = (tool: string) =>
  tool.includes('*') ? `'^${tool.replace('*', '.*')}$'` : `'${tool}'`;
const modelLimitNeedle = (keyOrLimit: string | number) => {
  if (typeof keyOrLimit === 'number') return keyOrLimit;
  if (keyOrLimit.endsWith('*')) {
    return `startsWith('${keyOrLimit.slice(0, -1)}')`;
  }
  if (keyOrLimit.startsWith('*')) return `endsWith('${keyOrLimit.slice(1)}')`;
  return `'${keyOrLimit}'`;
};
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const BUILTIN: Record<string, string> = {
  email: 'Email',
  phone: 'PhoneNumber',
  ssn: 'Ssn',
  'credit-card': 'CreditCard',
  'ca-sin': 'CaSin',
};

/**
 * How a field shows in the manifests when not as its own value: the
 * strings or numbers to find there.
 */
type Needles = (value: any, object: any) => Array<string | number>;
const RENDERED_AS: Record<Kind, Record<string, Needles>> = {
  pool: {
    // AgentgatewayParameters takes the image in parts.
    'images.gateway': v => {
      const image = parseImage(v);
      return [image.registry!, image.repository, image.tag!];
    },
    // The rate-limit service's connection to Redis: REDIS_URL, REDIS_TLS.
    'redis.tls': v => [`${v}`],
    'redis.port': v => [`:${v}`],
    'redis.database': v => (v === 0 ? [] : [`/${v}`]),
    'ingress[].tls': v => (v ? ['passthrough'] : []),
    'ingress[].kind': v =>
      ({
        'kubernetes-ingress': ['Ingress'],
        istio: ['VirtualService'],
        traefik: ['IngressRoute'],
        'gateway-api': ['prod-eu-ingress'],
        'openshift-route': ['Route'],
      }[v as string]!),
    'tls.mode': v =>
      ({
        letsencrypt: ['acme-v02.api.letsencrypt.org'],
        selfsigned: ['prod-eu-selfsigned'],
        provided: [],
      }[v as string]!),
    'tls.issuer': v => [v === 'production' ? 'acme-v02' : 'acme-staging'],
    'tls.dns01.provider': v =>
      ({
        route53: ['route53'],
        cloudflare: ['cloudflare'],
        clouddns: ['cloudDNS'],
        azuredns: ['azureDNS'],
        digitalocean: ['digitalocean'],
        rfc2136: ['rfc2136'],
      }[v as string]!),
    'redis.mode': v => [v === 'auto' ? 'sentinel' : 'single'],
    'siem.endpoint': v => {
      const { host, port, path } = urlTarget(v);
      return [host, port, path];
    },
    'delivery.mode': v => [v],
    'domains.separator': (v, p: Pool) => [`${p.domains.subdomains.api}${v}`],
    'domains.subdomains.api': (v, p: Pool) => [`${v}${p.domains.separator}`],
    'domains.subdomains.mcp': (v, p: Pool) => [`${v}${p.domains.separator}`],
  },
  mcpServer: {
    'source.type': v => (v === 'image' ? ['Deployment'] : ['remote.example']),
    transport: v => [v === 'sse' ? 'SSE' : 'StreamableHTTP'],
    'tools.allow[]': v => [toolNeedle(v)],
    'tools.deny[]': v => [toolNeedle(v)],
    'source.url': v => [new URL(v).hostname, new URL(v).pathname],
  },
  aiBackend: {
    'spec.kind': v =>
      ({
        ai: ['groups'],
        static: ['static'],
        'dynamic-forward-proxy': ['dynamicForwardProxy'],
        mcp: ['targets'],
      }[v as string]!),
    'spec.groups[].providers[].type': v => [
      {
        openai: 'openai',
        anthropic: 'anthropic',
        bedrock: 'bedrock',
        'azure-openai': 'azureopenai',
        gemini: 'gemini',
        'vertex-ai': 'vertexai',
        custom: 'custom',
      }[v as string]!,
    ],
    'spec.groups[].providers[].baseUrl': v => {
      const { host, port, path } = urlTarget(v);
      return [host, port, path];
    },
    'spec.models[]': v =>
      v.includes('*') ? [v.replace('*', '').replace('.', '\\.')] : [v],
  },
  policy: {
    'target.kind': v =>
      ({
        gateway: ['Gateway'],
        route: ['HTTPRoute'],
        backend: ['AgentgatewayBackend'],
      }[v as string]!),
    'jwtAuth.mode': v => [cap(v)],
    'apiKeyAuth.mode': v => [cap(v)],
    'authorization.action': v => [cap(v)],
    // In the rate-limit service's configuration, as Envoy's ratelimit
    // names the units (second, minute, hour, day).
    'rateLimit.unit': v => [v],
    'rateLimit.perModel': () => ['conditional'],
    // Keys name models (exact, prefix or suffix), values are their limits.
    'rateLimit.models{}': v => [modelLimitNeedle(v)],
    'promptGuard.request.builtins[]': v => [BUILTIN[v]],
    'promptGuard.response.builtins[]': v => [BUILTIN[v]],
    'promptGuard.request.action': v => [cap(v)],
    'promptGuard.response.action': v => [cap(v)],
    'retries.backoffMs': v => [`${v}ms`],
    'timeouts.requestSeconds': v => [`${v}s`],
    'timeouts.backendRequestSeconds': v => [`${v}s`],
  },
};
// --- Fixtures: every field set, distinctive values ---------------------------

const basePool = {
  name: 'prod-eu',
  description: 'Payments gateway',
  project: 'payments',
  cluster: { name: 'prod-eu-eks', type: 'openshift' },
  namespace: 'aigw-payments',
  serviceAccount: 'aigw-deployer',
  gateway: 'agentgateway',
  resources: {
    requests: { cpu: '150m', memory: '192Mi' },
    limits: { cpu: '750m', memory: '768Mi' },
  },
  replicas: 3,
  maxReplicas: 7,
  redis: {
    mode: 'manual',
    host: 'redis.prod.example.net',
    port: 6391,
    username: 'aigw-user',
    passwordSecretRef: { name: 'redis-auth', key: 'redis-password' },
    database: 11,
    tls: true,
  },
  images: {
    operator: 'registry.example.com/aigw/operator:9.9.1',
    gateway: 'registry.example.com/aigw/agentgateway:9.9.2',
    registryCredentialsSecret: 'regcred-prod',
  },
  annotations: { 'example.com/cost-center': 'cc-4711' },
  ingress: [
    {
      kind: 'kubernetes-ingress',
      host: 'edge.example.com',
      className: 'nginx-public',
      tls: true,
      annotations: { 'example.com/ingress-note': 'note-ingress-1' },
    },
    { kind: 'istio', className: 'istio-edge', tls: false },
    { kind: 'traefik', className: 'websecure-edge', tls: true },
    { kind: 'gateway-api', className: 'shared-edge', tls: true },
    { kind: 'openshift-route', tls: true },
  ],
  tls: {
    mode: 'letsencrypt',
    issuer: 'production',
    email: 'pki@example.com',
    dns01: {
      provider: 'route53',
      dnsZone: 'example.com',
      credentialsSecretRef: { name: 'route53-creds', key: 'secret-access-key' },
      region: 'eu-west-3',
      accessKeyId: 'AKIDEXAMPLE-ID',
    },
  },
  domains: {
    baseDomain: 'ai.example.com',
    subdomains: {
      api: 'llm',
      mcp: 'tools',
      // The former defaults: accepted, and nothing renders them.
      console: 'console',
      grafana: 'grafana',
      auth: 'auth',
    },
    separator: '.',
  },
  siem: {
    endpoint: 'https://siem-collector.example.com:4319/otlp/v1/logs',
    format: 'otlp',
    secretRef: { name: 'siem-token', key: 'token' },
  },
  delivery: {
    mode: 'gitops',
    repoUrl: 'https://git.example.com/aigw',
    branch: 'main',
    path: 'clusters/prod',
  },
  heartbeatStaleSeconds: 600,
};
const dns01 = (fields: object) => ({
  ...basePool,
  tls: { ...basePool.tls, dns01: { dnsZone: 'example.com', ...fields } },
});
const pools: Pool[] = [
  basePool,
  {
    ...basePool,
    redis: { mode: 'auto', storageSize: '3Gi' },
    delivery: { mode: 'agent' },
    tls: { mode: 'provided', wildcardSecretName: 'wildcard-prod-eu' },
    domains: { baseDomain: 'gw.ai.example.com', separator: '-' },
  },
  {
    ...basePool,
    // No operator runs with direct delivery: no service account, no image.
    serviceAccount: undefined,
    images: { ...basePool.images, operator: undefined },
    tls: { mode: 'selfsigned' },
    delivery: { mode: 'direct' },
  },
  dns01({
    provider: 'clouddns',
    project: 'dns-project-77',
    credentialsSecretRef: { name: 'gcp-dns', key: 'sa.json' },
  }),
  dns01({
    provider: 'azuredns',
    subscriptionId: 'sub-1234',
    resourceGroupName: 'rg-dns-5678',
    clientId: 'client-9012',
    tenantId: 'tenant-3456',
    credentialsSecretRef: { name: 'azure-dns', key: 'client-secret' },
  }),
  dns01({
    provider: 'rfc2136',
    nameserver: '10.0.0.53:53',
    tsigKeyName: 'tsig-aigw',
    credentialsSecretRef: { name: 'tsig', key: 'tsig-secret' },
  }),
  dns01({
    provider: 'cloudflare',
    credentialsSecretRef: { name: 'cf', key: 'cf-token' },
  }),
  dns01({
    provider: 'digitalocean',
    credentialsSecretRef: { name: 'do', key: 'do-token' },
  }),
].map(p => poolSchema.parse(p));
const pool = pools[0];

const mcpServers: McpServer[] = [
  {
    name: 'github',
    description: 'GitHub tools',
    project: 'payments',
    pool: 'prod-eu',
    prefix: 'gh-tools',
    source: {
      type: 'image',
      image: 'ghcr.io/github/github-mcp-server:0.9.7',
      port: 8089,
      env: { GITHUB_HOST: 'github.example.com' },
      secretEnv: [
        {
          name: 'GITHUB_PERSONAL_ACCESS_TOKEN',
          secretRef: { name: 'github-mcp', key: 'pat' },
        },
      ],
      resources: {
        requests: { cpu: '125m', memory: '160Mi' },
        limits: { cpu: '625m', memory: '640Mi' },
      },
      replicas: 2,
    },
    transport: 'sse',
    tools: { allow: ['get_issue', 'list_*'], deny: [] },
  },
  {
    name: 'jira',
    project: 'payments',
    pool: 'prod-eu',
    prefix: 'jira-tools',
    source: {
      type: 'remote',
      url: 'https://remote.example.net:8444/jira/mcp',
      authSecretRef: { name: 'jira-mcp', key: 'bearer' },
    },
    transport: 'streamable-http',
    tools: { allow: [], deny: ['delete_issue'] },
  },
].map(s => mcpServerSchema.parse(s));

const provider = (p: object) => ({
  credentialsSecretRef: { name: 'llm-keys', key: 'k' },
  ...p,
});
const aiBackends: AiBackend[] = [
  {
    name: 'llm',
    description: 'LLMs',
    project: 'payments',
    pool: 'prod-eu',
    spec: {
      kind: 'ai',
      groups: [
        {
          providers: [
            provider({
              name: 'openai-main',
              type: 'openai',
              model: 'gpt-4o-2024',
              baseUrl: 'https://openai-proxy.example.com:8443/openai',
              credentialsSecretRef: { name: 'openai-key', key: 'openai-k' },
              weight: 1,
            }),
            provider({
              name: 'claude-main',
              type: 'anthropic',
              model: 'claude-sonnet-4-5',
            }),
            provider({
              name: 'gemini-main',
              type: 'gemini',
              model: 'gemini-2.5-pro',
            }),
          ],
        },
        {
          providers: [
            {
              name: 'bedrock-eu',
              type: 'bedrock',
              model: 'anthropic.claude-3-haiku',
              region: 'eu-south-2',
            },
            {
              name: 'vertex-eu',
              type: 'vertex-ai',
              model: 'gemini-1.5-flash',
              gcpProject: 'vertex-project-42',
              location: 'europe-north1',
            },
            provider({
              name: 'azure-eu',
              type: 'azure-openai',
              baseUrl: 'https://corp-aoai.openai.azure.com',
              deployment: 'gpt4o-deploy',
              apiVersion: '2024-10-21',
            }),
            {
              name: 'vllm',
              type: 'custom',
              baseUrl: 'http://vllm.models:8123/v9',
              model: 'llama-3.1-70b',
            },
          ],
        },
      ],
      models: ['gpt-4o', 'anthropic/*', '*-preview'],
    },
  },
  {
    name: 'legacy-host',
    project: 'payments',
    pool: 'prod-eu',
    spec: { kind: 'static', host: 'legacy.example.net', port: 9443 },
  },
  {
    name: 'legacy-svc',
    project: 'payments',
    pool: 'prod-eu',
    spec: {
      kind: 'static',
      service: { name: 'legacy-api', namespace: 'legacy-ns', port: 8181 },
    },
  },
  {
    name: 'egress',
    project: 'payments',
    pool: 'prod-eu',
    spec: { kind: 'dynamic-forward-proxy' },
  },
  {
    name: 'tools',
    project: 'payments',
    pool: 'prod-eu',
    spec: {
      kind: 'mcp',
      targets: [
        {
          name: 'vendor-mcp',
          host: 'mcp.vendor.example',
          port: 8445,
          path: '/v2/mcp',
        },
        { name: 'local-gh', mcpServer: 'github' },
      ],
    },
  },
].map(b => aiBackendSchema.parse(b));

const policies: Policy[] = [
  {
    name: 'edge-auth',
    description: 'Company JWT',
    project: 'payments',
    pool: 'prod-eu',
    target: { kind: 'gateway', name: 'prod-eu' },
    jwtAuth: {
      issuer: 'https://login.example.com/tenant-7',
      audiences: ['aigw-audience'],
      jwks: { url: 'https://login.example.com/tenant-7/jwks.json' },
      mode: 'optional',
    },
    authorization: { action: 'deny', cel: ["jwt.sub == 'mallory'"] },
    headers: {
      request: {
        set: { 'x-team': 'payments-team' },
        add: { 'x-added': 'added-value' },
        remove: ['x-debug-remove'],
      },
      response: {
        set: { 'x-served-by': 'aigw-edge' },
        add: { 'x-resp-added': 'resp-added-value' },
        remove: ['server-remove'],
      },
    },
  },
  {
    name: 'llm-keys',
    project: 'payments',
    pool: 'prod-eu',
    target: { kind: 'route', name: 'llm' },
    apiKeyAuth: { secretRef: { name: 'client-keys' }, mode: 'optional' },
    rateLimit: {
      unit: 'hour',
      tokens: 123457,
      perModel: true,
      models: { 'gpt-4o': 45679 },
    },
    retries: { attempts: 4, backoffMs: 375, retryOn: [503, 529] },
    timeouts: { requestSeconds: 97 },
  },
  {
    name: 'llm-guard',
    project: 'payments',
    pool: 'prod-eu',
    target: { kind: 'backend', name: 'llm' },
    apiKeyAuth: { secretSelector: { 'example.com/key-set': 'payments-keys' } },
    rateLimit: { unit: 'second', requests: 321, models: { 'o*': 77 } },
    promptGuard: {
      request: {
        builtins: ['email', 'ca-sin'],
        regex: [{ name: 'iban', pattern: '[A-Z]{2}[0-9]{2}IBANX' }],
        action: 'reject',
        rejectMessage: 'No PII please (guard-7)',
      },
      response: {
        builtins: ['credit-card'],
        regex: [{ name: 'ssn-like', pattern: 'RESP-[0-9]{3}' }],
        action: 'mask',
      },
    },
    timeouts: { backendRequestSeconds: 83 },
  },
  {
    name: 'mcp-guard',
    project: 'payments',
    pool: 'prod-eu',
    target: { kind: 'route', name: 'github' },
    promptGuard: {
      request: { builtins: ['phone'], action: 'mask' },
      response: {
        builtins: ['ssn'],
        action: 'reject',
        rejectMessage: 'Refused by guard-8',
      },
    },
  },
].map(p => policySchema.parse(p));

const state: PoolDesiredState = { pool, mcpServers, aiBackends, policies };

// --- The walk ------------------------------------------------------------------

type JsonSchema = Record<string, any>;

/** Every field path of a JSON Schema: `a.b`, `list[]`, `map{}`. */
function schemaPaths(node: JsonSchema, path = '', out = new Set<string>()) {
  const branches = node.oneOf ?? node.anyOf;
  if (branches) {
    for (const b of branches) schemaPaths(b, path, out);
  } else if (node.properties && Object.keys(node.properties).length) {
    for (const [key, child] of Object.entries(node.properties)) {
      schemaPaths(child as JsonSchema, path ? `${path}.${key}` : key, out);
    }
  } else if (node.type === 'array' && node.items) {
    schemaPaths(node.items, `${path}[]`, out);
  } else if (typeof node.additionalProperties === 'object') {
    schemaPaths(node.additionalProperties, `${path}{}`, out);
  } else {
    out.add(path);
  }
  return out;
}

/**
 * The leaves of a value, by the schema's paths. A map gives its values at
 * `map{}` (and, for `rateLimit.models{}`, its keys: they name the models).
 */
function leaves(
  value: unknown,
  known: Set<string>,
  path = '',
): Array<{ path: string; value: unknown }> {
  if (known.has(path)) {
    if (path.endsWith('{}')) return [];
    return [{ path, value }];
  }
  if (Array.isArray(value)) {
    return value.flatMap(v => leaves(v, known, `${path}[]`));
  }
  if (value && typeof value === 'object') {
    const asMap = [...known].some(k => k.startsWith(`${path}{}`));
    return Object.entries(value).flatMap(([key, v]) =>
      asMap
        ? [
            { path: `${path}{}`, value: v },
            ...(path === 'rateLimit.models'
              ? [{ path: `${path}{}`, value: key }]
              : []),
          ]
        : leaves(v, known, path ? `${path}.${key}` : key),
    );
  }
  return [{ path, value }];
}

/** Every string and number in the objects, and every map key. */
function renderedValues(objects: ManifestObject[]) {
  const strings: string[] = [];
  const numbers = new Set<number>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number') numbers.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        strings.push(key);
        walk(child);
      }
    }
  };
  objects.forEach(walk);
  return {
    has: (needle: string | number) =>
      typeof needle === 'number'
        ? numbers.has(needle) || strings.includes(`${needle}`)
        : strings.some(s => s.includes(needle)),
  };
}

const ANNOTATION: Record<Exclude<Kind, 'pool'>, string> = {
  mcpServer: 'ai-gateway.backstage.io/mcp-server',
  aiBackend: 'ai-gateway.backstage.io/ai-backend',
  policy: 'ai-gateway.backstage.io/policy',
};
const SCHEMAS = {
  pool: poolSchema,
  mcpServer: mcpServerSchema,
  aiBackend: aiBackendSchema,
  policy: policySchema,
};
const pathsOf = (kind: Kind) =>
  schemaPaths(
    (SCHEMAS[kind] as any).toJSONSchema({
      io: 'input',
      unrepresentable: 'any',
    }),
  );

/**
 * The objects an object of `kind` renders to. A policy's budgets live in the
 * rate-limit service's configuration (a ConfigMap of the pool), as entries
 * keyed by the policy's name: they count as the policy's.
 */
function objectsOf(
  kind: Kind,
  name: string,
  objects: ManifestObject[],
): ManifestObject[] {
  if (kind === 'pool') {
    // The pool's own objects, not those of its MCP servers, backends, policies.
    return objects.filter(
      o => !Object.values(ANNOTATION).some(a => o.metadata.annotations?.[a]),
    );
  }
  const own = objects.filter(
    o => o.metadata.annotations?.[ANNOTATION[kind]] === name,
  );
  if (kind !== 'policy') return own;
  const config = objects.find(
    o => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-ratelimit'),
  ) as ManifestObject & { data: Record<string, string> };
  const budgets = JSON.parse(config.data['config.yaml']).descriptors.filter(
    (d: { value: string }) => d.value === name,
  );
  return [...own, ...budgets];
}

/** The fields of each object whose value is not found where it renders. */
function missingFields(
  kind: Kind,
  objects: Array<{ name: string }>,
  renderFor: (o: any) => ManifestObject[],
) {
  const known = pathsOf(kind);
  const missing: string[] = [];
  for (const object of objects) {
    const rendered = renderedValues(
      objectsOf(kind, object.name, renderFor(object)),
    );
    for (const leaf of leaves(object, known)) {
      if (CONTROL_PLANE[kind][leaf.path] || leaf.value === undefined) continue;
      const needles = RENDERED_AS[kind][leaf.path]?.(leaf.value, object) ?? [
        leaf.value as string | number,
      ];
      for (const needle of needles) {
        if (!rendered.has(needle)) {
          missing.push(
            `${object.name}: ${leaf.path} = ${JSON.stringify(needle)}`,
          );
        }
      }
    }
  }
  return missing;
}

const bundle = render(state);

describe('accepted means honoured: every field reaches the manifests', () => {
  it('renders objects the real schemas accept', () => {
    const problems = bundle.objects.flatMap(o => validator.validate(o));
    expect(problems).toEqual([]);
  });

  it.each(['pool', 'mcpServer', 'aiBackend', 'policy'] as const)(
    'the %s fixtures set every field of the model',
    kind => {
      const fixtures = {
        pool: pools,
        mcpServer: mcpServers,
        aiBackend: aiBackends,
        policy: policies,
      }[kind];
      const set = new Set(
        fixtures.flatMap(f => leaves(f, pathsOf(kind)).map(l => l.path)),
      );
      const unset = [...pathsOf(kind)].filter(
        p => !set.has(p) && !CONTROL_PLANE[kind][p],
      );
      expect(unset).toEqual([]);
    },
  );

  it('renders every pool field', () => {
    expect(
      missingFields('pool', pools, p => render({ ...state, pool: p }).objects),
    ).toEqual([]);
  });

  it('renders every MCP server field', () => {
    expect(
      missingFields('mcpServer', mcpServers, () => bundle.objects),
    ).toEqual([]);
  });

  it('renders every AI backend field', () => {
    expect(
      missingFields('aiBackend', aiBackends, () => bundle.objects),
    ).toEqual([]);
  });

  it('renders every policy field', () => {
    expect(missingFields('policy', policies, () => bundle.objects)).toEqual([]);
  });

  it('would notice a field that is dropped (the check can fail)', () => {
    const dropped = aiBackendSchema.parse({
      ...aiBackends[1],
      spec: { kind: 'static', host: 'legacy.example.net', port: 9443 },
    });
    const withoutPort = render({ ...state, aiBackends: [dropped] }).objects.map(
      o =>
        o.kind === 'AgentgatewayBackend'
          ? { ...o, spec: { static: { host: 'legacy.example.net' } } }
          : o,
    );
    expect(missingFields('aiBackend', [dropped], () => withoutPort)).toEqual([
      'legacy-host: spec.port = 9443',
    ]);
  });

  it('classifies only fields the models have', () => {
    for (const kind of ['pool', 'mcpServer', 'aiBackend', 'policy'] as const) {
      const known = pathsOf(kind);
      const stale = [
        ...Object.keys(CONTROL_PLANE[kind]),
        ...Object.keys(RENDERED_AS[kind]),
      ].filter(p => !known.has(p));
      expect({ kind, stale }).toEqual({ kind, stale: [] });
    }
  });
});
