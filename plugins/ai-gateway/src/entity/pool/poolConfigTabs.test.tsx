import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  DEFAULT_POOL_IMAGES,
  poolSchema,
  type PoolInput,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayObject,
} from '../../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../../testUtils/fakeAiGatewayApi';
import {
  PoolClusterTab,
  PoolConfigurationTab,
  PoolEndpointsTab,
  PoolIngressTab,
  PoolSiemTab,
  PoolTlsTab,
} from './index';

// --- fixtures ------------------------------------------------------------------

/** The pool entity of the catalog: its name is the pool's name. */
const poolEntity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    annotations: { 'ai-gateway.io/kind': 'pool' },
  },
  spec: { type: 'ai-gateway-pool' },
});

/** An object as the control plane returns it; the spec as stored (parsed, defaults filled). */
const stored = <T,>(
  kind: string,
  name: string,
  spec: T,
  derived?: Record<string, string>,
): AiGatewayObject => ({
  kind,
  name,
  project: 'payments',
  version: 3,
  createdAt: '2025-01-01T00:00:00Z',
  createdBy: 'user:default/alice',
  updatedAt: '2025-01-02T00:00:00Z',
  updatedBy: 'user:default/alice',
  spec: spec as Record<string, any>,
  ...(derived ? { derived } : {}),
});

/** A pool input (as the create-pool form sends it), stored as the backend would. */
const storedPool = (input: PoolInput) => {
  const spec = poolSchema.parse(input);
  return stored('pool', spec.name, spec);
};

// The common package's test fixtures, as the create-pool form sends them (that
// package does not export its fixtures, so they are repeated here).
/** Only the required fields; everything else takes its default. */
const validPool: PoolInput = {
  name: 'prod-eu',
  project: 'payments',
  cluster: { name: 'prod-eu-eks', type: 'eks' },
  namespace: 'aigw',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
};
/**
 * Every section set: separator "-", Let's Encrypt production with Cloudflare,
 * manual Redis, two ingress providers, an OTLP SIEM exporter, gitops delivery.
 */
const fullPool: PoolInput = {
  ...validPool,
  description: 'Production gateway',
  serviceAccount: 'aigw-operator',
  resources: {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '1', memory: '1Gi' },
  },
  replicas: 2,
  maxReplicas: 10,
  redis: {
    mode: 'manual',
    host: 'cache.example.com',
    passwordSecretRef: { name: 'redis', key: 'password' },
    tls: true,
  },
  images: {
    operator: 'registry.example.com/aigw/operator:1.0.0',
    registryCredentialsSecret: 'regcred',
  },
  annotations: { 'example.com/team': 'payments' },
  ingress: [
    { kind: 'kubernetes-ingress', className: 'nginx' },
    { kind: 'gateway-api', tls: false },
  ],
  tls: {
    mode: 'letsencrypt',
    issuer: 'production',
    email: 'platform@example.com',
    dns01: {
      provider: 'cloudflare',
      dnsZone: 'example.com',
      credentialsSecretRef: { name: 'cloudflare', key: 'api-token' },
    },
  },
  domains: { baseDomain: 'ai.example.com', separator: '-' },
  siem: { endpoint: 'https://siem.example.com/ingest', format: 'otlp' },
  delivery: {
    mode: 'gitops',
    repoUrl: 'https://git.example.com/aigw',
    path: 'clusters/prod',
  },
  heartbeatStaleSeconds: 600,
};
const full = () => storedPool(fullPool);
const minimal = () => storedPool(validPool);

const poolApi = (
  pool: AiGatewayObject,
  overrides: Partial<AiGatewayApi> = {},
) => {
  const getObject = jest.fn(async (plural: string, name: string) => {
    if (plural !== 'pools' || name !== pool.name) {
      throw new Error(`not found: ${plural}/${name}`);
    }
    return pool;
  });
  return {
    getObject,
    api: fakeAiGatewayApi({ getObject: getObject as any, ...overrides }),
  };
};

const downApi = () =>
  fakeAiGatewayApi({
    getObject: async () => {
      throw new Error('503 Service Unavailable: ai-gateway backend is down');
    },
  });

const render = (tab: ReactElement, api: AiGatewayApi, name = 'prod-eu') =>
  renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, api]]}>
      <EntityProvider entity={poolEntity(name)}>{tab}</EntityProvider>
    </TestApiProvider>,
  );

/** The value shown next to a label in the details table of a card. */
async function detail(testId: string, label: string): Promise<string> {
  const card = await screen.findByTestId(testId);
  const title = within(card).getByText(label, { selector: 'td' });
  return title.closest('tr')!.lastElementChild!.textContent ?? '';
}

const TABS: Array<[string, () => ReactElement]> = [
  ['PoolClusterTab', () => <PoolClusterTab />],
  ['PoolEndpointsTab', () => <PoolEndpointsTab />],
  ['PoolIngressTab', () => <PoolIngressTab />],
  ['PoolConfigurationTab', () => <PoolConfigurationTab />],
  ['PoolTlsTab', () => <PoolTlsTab />],
  ['PoolSiemTab', () => <PoolSiemTab />],
];

// --- every tab: loading the pool -------------------------------------------------

describe.each(TABS)('%s loading the pool', (_name, tab) => {
  it('says clearly that the pool could not be loaded when the backend is down', async () => {
    await render(tab(), downApi());
    expect(
      await screen.findByText(/The pool prod-eu could not be loaded/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/503 Service Unavailable: ai-gateway backend is down/)
        .length,
    ).toBeGreaterThan(0);
  });

  it('reports a stored spec it cannot read instead of rendering a broken card', async () => {
    const { domains, ...withoutDomains } = poolSchema.parse(validPool);
    const { api } = poolApi(stored('pool', 'prod-eu', withoutDomains));
    await render(tab(), api);
    expect(
      await screen.findByText(/The pool prod-eu could not be loaded/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/does not match the pool model: domains/).length,
    ).toBeGreaterThan(0);
  });

  it('shows progress while the pool loads', async () => {
    const api = fakeAiGatewayApi({ getObject: () => new Promise(() => {}) });
    await render(tab(), api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });
});

// --- Cluster -------------------------------------------------------------------

describe('PoolClusterTab', () => {
  it('shows the cluster, namespace, pool-provided service account, gitops delivery and pinned operator image', async () => {
    await render(<PoolClusterTab />, poolApi(full()).api);
    expect(await detail('pool-cluster', 'Cluster')).toBe('prod-eu-eks');
    expect(await detail('pool-cluster', 'Cluster type')).toBe('Amazon EKS');
    expect(await detail('pool-cluster', 'Namespace')).toBe('aigw');
    expect(await detail('pool-cluster', 'Project')).toBe('payments');
    expect(await detail('pool-cluster', 'Description')).toBe(
      'Production gateway',
    );
    expect(await detail('pool-delivery', 'Delivery mode')).toMatch(
      /^GitOps: .*Argo CD or Flux/,
    );
    expect(await detail('pool-delivery', 'Repository')).toBe(
      'https://git.example.com/aigw',
    );
    expect(await detail('pool-delivery', 'Path')).toBe('clusters/prod');
    expect(await detail('pool-delivery', 'Branch')).toBe('Not set');
    expect(await detail('pool-delivery', 'Service account')).toMatch(
      /^aigw-operator, provided by the pool: .*Role and RoleBinding must already be bound/,
    );
    expect(await detail('pool-delivery', 'Operator image')).toBe(
      'registry.example.com/aigw/operator:1.0.0',
    );
    expect(await detail('pool-delivery', 'Stale after')).toBe(
      '10 min without a heartbeat',
    );
  });

  it('shows the defaults: agent delivery, a service account the bootstrap creates, the release operator image', async () => {
    await render(<PoolClusterTab />, poolApi(minimal()).api);
    expect(await detail('pool-delivery', 'Delivery mode')).toMatch(
      /^Agent: .*pulls the desired manifests/,
    );
    expect(await detail('pool-delivery', 'Service account')).toBe(
      'Created by the bootstrap, together with its Role and RoleBinding',
    );
    expect(await detail('pool-delivery', 'Operator image')).toBe(
      `${DEFAULT_POOL_IMAGES.operator} (release default)`,
    );
    expect(await detail('pool-delivery', 'Stale after')).toBe(
      '30 min without a heartbeat',
    );
    // Not a gitops pool: no repository rows, and no description was given.
    expect(
      within(screen.getByTestId('pool-delivery')).queryByText('Repository'),
    ).not.toBeInTheDocument();
    expect(
      within(screen.getByTestId('pool-cluster')).queryByText('Description'),
    ).not.toBeInTheDocument();
  });

  it('says that no operator runs with direct delivery', async () => {
    const pool = storedPool({
      ...validPool,
      cluster: { name: 'ocp-1', type: 'openshift' },
      delivery: { mode: 'direct' },
    });
    await render(<PoolClusterTab />, poolApi(pool).api);
    expect(await detail('pool-cluster', 'Cluster type')).toBe(
      'Red Hat OpenShift',
    );
    expect(await detail('pool-delivery', 'Delivery mode')).toMatch(
      /^Direct: .*No operator runs/,
    );
    expect(await detail('pool-delivery', 'Operator image')).toBe(
      'Not used: no operator runs with direct delivery',
    );
    expect(await detail('pool-delivery', 'Service account')).toBe(
      'Not used: no operator runs with direct delivery',
    );
  });
});

// --- Endpoints -----------------------------------------------------------------

describe('PoolEndpointsTab', () => {
  const github = stored(
    'mcpServer',
    'github',
    {
      name: 'github',
      pool: 'prod-eu',
      prefix: 'github',
      transport: 'streamable-http',
    },
    { url: 'https://mcp-ai.example.com/github/mcp' },
  );
  // A response without the derived URL: the shared rule computes it.
  const jira = stored('mcpServer', 'jira', {
    name: 'jira',
    pool: 'prod-eu',
    prefix: 'jira',
    transport: 'sse',
  });

  it('shows the hosts the gateway serves with copy buttons and every MCP server URL', async () => {
    const listInPool = jest.fn(async () => [github, jira]);
    await render(<PoolEndpointsTab />, poolApi(full(), { listInPool }).api);
    // separator "-": api-ai.example.com, not api.ai.example.com
    expect(await screen.findByTestId('host-api')).toHaveTextContent(
      /^api-ai\.example\.com$/,
    );
    expect(screen.getByTestId('host-mcp')).toHaveTextContent(
      /^mcp-ai\.example\.com$/,
    );
    expect(
      screen.getByRole('button', { name: 'Copy api-ai.example.com' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy mcp-ai.example.com' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('pool-endpoints')).toHaveTextContent(
      'through the ingress providers of the Ingress tab',
    );

    expect(await screen.findByTestId('mcp-url-github')).toHaveTextContent(
      'https://mcp-ai.example.com/github/mcp',
    );
    expect(screen.getByTestId('mcp-url-jira')).toHaveTextContent(
      'https://mcp-ai.example.com/jira/mcp',
    );
    expect(
      screen.getByRole('button', {
        name: 'Copy https://mcp-ai.example.com/jira/mcp',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('MCP servers (2)')).toBeInTheDocument();
    expect(listInPool).toHaveBeenCalledWith('mcp-servers', 'prod-eu');
  });

  it("prefers the control plane's derived URL over computing one", async () => {
    const moved = stored(
      'mcpServer',
      'github',
      { name: 'github', pool: 'prod-eu', prefix: 'github', transport: 'sse' },
      { url: 'https://mcp.elsewhere.example.com/github/mcp' },
    );
    await render(
      <PoolEndpointsTab />,
      poolApi(full(), { listInPool: async () => [moved] }).api,
    );
    expect(await screen.findByTestId('mcp-url-github')).toHaveTextContent(
      'https://mcp.elsewhere.example.com/github/mcp',
    );
  });

  it('shows an ingress host override next to the pool hosts', async () => {
    const pool = storedPool({
      ...validPool,
      ingress: [{ kind: 'traefik', host: 'gateway.corp.example.com' }],
    });
    await render(
      <PoolEndpointsTab />,
      poolApi(pool, { listInPool: async () => [] }).api,
    );
    expect(await screen.findByTestId('host-traefik')).toHaveTextContent(
      'gateway.corp.example.com',
    );
    expect(screen.getByTestId('host-api')).toHaveTextContent(
      /^api\.ai\.example\.com$/,
    );
  });

  it('shows an empty state when the pool has no MCP servers', async () => {
    await render(
      <PoolEndpointsTab />,
      poolApi(minimal(), { listInPool: async () => [] }).api,
    );
    expect(
      await screen.findByText('No MCP servers in this pool yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /reached at https:\/\/mcp\.ai\.example\.com\/\{prefix\}\/mcp/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Deploy an MCP server' }),
    ).toHaveAttribute(
      'href',
      '/create/templates/default/ai-gateway-deploy-mcp-server',
    );
    expect(screen.getByTestId('pool-endpoints')).toHaveTextContent(
      'through its LoadBalancer Service',
    );
  });

  it('keeps the hosts and says clearly when the MCP servers cannot be loaded', async () => {
    await render(
      <PoolEndpointsTab />,
      poolApi(full(), {
        listInPool: async () => {
          throw new Error('502 Bad Gateway');
        },
      }).api,
    );
    expect(
      await screen.findByText(
        /The MCP servers of pool prod-eu could not be loaded/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('host-api')).toHaveTextContent(
      'api-ai.example.com',
    );
  });
});

// --- Ingress -------------------------------------------------------------------

describe('PoolIngressTab', () => {
  it('lists each provider with its type, class, TLS and the hosts it routes', async () => {
    await render(<PoolIngressTab />, poolApi(full()).api);
    expect(
      await screen.findByTestId('ingress-kubernetes-ingress'),
    ).toHaveTextContent('Kubernetes Ingress');
    expect(screen.getByText('Ingress providers (2)')).toBeInTheDocument();

    const k8sRow = screen
      .getByTestId('ingress-kubernetes-ingress')
      .closest('tr')!;
    expect(
      within(k8sRow).getByText('Ingress class: nginx'),
    ).toBeInTheDocument();
    expect(within(k8sRow).getByText('Enabled')).toBeInTheDocument();
    expect(
      screen.getByTestId('ingress-hosts-kubernetes-ingress'),
    ).toHaveTextContent('api-ai.example.commcp-ai.example.com');
    expect(
      screen.getByTestId('ingress-annotations-kubernetes-ingress'),
    ).toHaveTextContent('none');

    const gatewayApiRow = screen
      .getByTestId('ingress-gateway-api')
      .closest('tr')!;
    expect(gatewayApiRow).toHaveTextContent('Gateway API HTTPRoute');
    expect(
      within(gatewayApiRow).getByText(
        "Parent Gateway: not set (the renderer's default)",
      ),
    ).toBeInTheDocument();
    expect(within(gatewayApiRow).getByText('Disabled')).toBeInTheDocument();
  });

  it("shows a provider's own host and its annotations", async () => {
    const pool = storedPool({
      ...validPool,
      cluster: { name: 'ocp-1', type: 'openshift' },
      ingress: [
        {
          kind: 'openshift-route',
          host: 'gw.apps.ocp.example.com',
          annotations: { 'haproxy.router.openshift.io/timeout': '60s' },
        },
      ],
    });
    await render(<PoolIngressTab />, poolApi(pool).api);
    expect(
      await screen.findByTestId('ingress-openshift-route'),
    ).toHaveTextContent('OpenShift Route');
    expect(
      screen.getByTestId('ingress-hosts-openshift-route'),
    ).toHaveTextContent(/^gw\.apps\.ocp\.example\.com$/);
    expect(
      screen.getByTestId('ingress-annotations-openshift-route'),
    ).toHaveTextContent('haproxy.router.openshift.io/timeout: 60s');
  });

  it('shows an empty state naming the LoadBalancer Service when no provider is configured', async () => {
    await render(<PoolIngressTab />, poolApi(minimal()).api);
    expect(await screen.findByText('No ingress providers')).toBeInTheDocument();
    expect(
      screen.getByText(
        /LoadBalancer Service at api\.ai\.example\.com and mcp\.ai\.example\.com/,
      ),
    ).toBeInTheDocument();
  });
});

// --- Configuration -------------------------------------------------------------

describe('PoolConfigurationTab', () => {
  it('shows resources, scaling, image overrides, manual Redis by secret reference and annotations', async () => {
    await render(<PoolConfigurationTab />, poolApi(full()).api);
    expect(await detail('pool-resources', 'Requests')).toBe(
      'CPU 250m, memory 256Mi',
    );
    expect(await detail('pool-resources', 'Limits')).toBe('CPU 1, memory 1Gi');
    expect(await detail('pool-resources', 'Gateway replicas')).toBe('2');
    expect(await detail('pool-resources', 'Max replicas')).toMatch(/^10 /);

    expect(await detail('pool-images', 'Operator image')).toBe(
      'registry.example.com/aigw/operator:1.0.0',
    );
    expect(await detail('pool-images', 'Gateway image')).toBe(
      `${DEFAULT_POOL_IMAGES.gateway} (release default)`,
    );
    expect(await detail('pool-images', 'Registry credentials Secret')).toBe(
      'regcred (dockerconfigjson Secret in namespace aigw)',
    );

    expect(await detail('pool-redis', 'Mode')).toMatch(/^Manual/);
    expect(await detail('pool-redis', 'Host')).toBe('cache.example.com');
    expect(await detail('pool-redis', 'Port')).toBe('6379');
    expect(await detail('pool-redis', 'Database')).toBe('0');
    expect(await detail('pool-redis', 'TLS')).toBe('Enabled');
    expect(await detail('pool-redis', 'Password')).toBe(
      'Secret redis, key password',
    );
    expect(await detail('pool-annotations', 'Annotations')).toBe(
      'example.com/team: payments',
    );
  });

  it('shows the defaults of a minimal pool: form resources, auto-install Redis, no annotations', async () => {
    await render(<PoolConfigurationTab />, poolApi(minimal()).api);
    expect(await detail('pool-resources', 'Requests')).toBe(
      'CPU 100m, memory 128Mi',
    );
    expect(await detail('pool-resources', 'Limits')).toBe(
      'CPU 500m, memory 512Mi',
    );
    expect(await detail('pool-resources', 'Gateway replicas')).toBe('1');
    expect(await detail('pool-resources', 'Max replicas')).toMatch(/^5 /);
    expect(await detail('pool-redis', 'Mode')).toBe(
      'Auto-install: a 3-node Redis with Sentinel runs in namespace aigw',
    );
    expect(await detail('pool-redis', 'Used for')).toMatch(
      /^The rate-limit counters of the pool's policies/,
    );
    expect(await detail('pool-redis', 'Storage per node')).toBe('1Gi');
    expect(
      within(screen.getByTestId('pool-redis')).queryByText('Host'),
    ).not.toBeInTheDocument();
    expect(await detail('pool-annotations', 'Annotations')).toBe('None');
    expect(await detail('pool-images', 'Registry credentials Secret')).toBe(
      'None: images are pulled without credentials',
    );
    expect(await detail('pool-images', 'Operator image')).toBe(
      `${DEFAULT_POOL_IMAGES.operator} (release default)`,
    );
  });

  it('never shows a Redis password, only where it is kept', async () => {
    const pool = storedPool({
      ...validPool,
      redis: {
        mode: 'manual',
        host: 'redis.internal',
        port: 6380,
        username: 'gateway',
        database: 2,
        passwordSecretRef: { name: 'redis-auth', key: 'pw' },
      },
    });
    await render(<PoolConfigurationTab />, poolApi(pool).api);
    expect(await detail('pool-redis', 'Port')).toBe('6380');
    expect(await detail('pool-redis', 'Username')).toBe('gateway');
    expect(await detail('pool-redis', 'Database')).toBe('2');
    expect(await detail('pool-redis', 'TLS')).toBe('Disabled');
    expect(await detail('pool-redis', 'Password')).toBe(
      'Secret redis-auth, key pw',
    );
  });
});

// --- TLS & Domains -------------------------------------------------------------

describe('PoolTlsTab', () => {
  it("shows Let's Encrypt with its DNS-01 provider by secret reference, the domains and the resulting hosts", async () => {
    await render(<PoolTlsTab />, poolApi(full()).api);
    expect(await detail('pool-tls', 'Mode')).toMatch(
      /^Let's Encrypt: .*DNS-01/,
    );
    expect(await detail('pool-tls', 'Issuer')).toBe('Production');
    expect(await detail('pool-tls', 'Email')).toBe('platform@example.com');
    expect(await detail('pool-tls', 'DNS-01 provider')).toBe('Cloudflare');
    expect(await detail('pool-tls', 'DNS zone')).toBe('example.com');
    expect(await detail('pool-tls', 'Credentials')).toBe(
      'Secret cloudflare, key api-token',
    );
    // separator "-": the hosts fit under the parent wildcard
    expect(await detail('pool-tls', 'Wildcard certificate')).toBe(
      '*.example.com',
    );
    expect(await detail('pool-domains', 'Base domain')).toBe('ai.example.com');
    expect(await detail('pool-domains', 'Separator')).toBe(
      '"-" (api-ai.example.com, which fits under the parent wildcard *.example.com)',
    );
    for (const [service, host] of [
      ['api', 'api-ai.example.com'],
      ['mcp', 'mcp-ai.example.com'],
    ]) {
      expect(screen.getByTestId(`tls-host-${service}`)).toHaveTextContent(
        new RegExp(`^${host.replace(/\./g, '\\.')}$`),
      );
    }
  });

  it('shows a self-signed certificate and custom subdomain labels with the "." separator', async () => {
    const pool = storedPool({
      ...validPool,
      domains: {
        baseDomain: 'ai.example.com',
        subdomains: { api: 'llm', mcp: 'tools', grafana: 'grafana' },
      },
    });
    await render(<PoolTlsTab />, poolApi(pool).api);
    expect(await detail('pool-tls', 'Mode')).toMatch(/^Self-signed/);
    expect(await detail('pool-tls', 'Wildcard certificate')).toBe(
      '*.ai.example.com',
    );
    expect(screen.getByTestId('tls-host-api')).toHaveTextContent(
      /^llm\.ai\.example\.com$/,
    );
    expect(screen.getByTestId('tls-host-mcp')).toHaveTextContent(
      /^tools\.ai\.example\.com$/,
    );
    // Labels older pools carry for hosts nothing serves are not listed.
    expect(screen.queryByTestId('tls-host-grafana')).toBeNull();
    expect(screen.getByTestId('tls-host-api').closest('tr')!).toHaveTextContent(
      'llm',
    );
  });

  it('shows a provided wildcard certificate by its Secret name', async () => {
    const pool = storedPool({
      ...validPool,
      tls: { mode: 'provided', wildcardSecretName: 'ai-gateway-wildcard-tls' },
    });
    await render(<PoolTlsTab />, poolApi(pool).api);
    expect(await detail('pool-tls', 'Mode')).toMatch(/^Provided/);
    expect(await detail('pool-tls', 'Secret')).toBe(
      'ai-gateway-wildcard-tls (tls.crt / tls.key in namespace aigw)',
    );
  });

  it("shows the staging issuer and Route 53's workload identity and region", async () => {
    const pool = storedPool({
      ...validPool,
      tls: {
        mode: 'letsencrypt',
        email: 'platform@example.com',
        dns01: {
          provider: 'route53',
          dnsZone: 'example.com',
          region: 'eu-west-1',
        },
      },
    });
    await render(<PoolTlsTab />, poolApi(pool).api);
    expect(await detail('pool-tls', 'Issuer')).toMatch(/^Staging: /);
    expect(await detail('pool-tls', 'DNS-01 provider')).toBe('Amazon Route 53');
    expect(await detail('pool-tls', 'Credentials')).toBe(
      'Workload identity (no Secret)',
    );
    expect(await detail('pool-tls', 'AWS region')).toBe('eu-west-1');
    // Fields of other providers are not shown.
    expect(
      within(screen.getByTestId('pool-tls')).queryByText(
        'Google Cloud project',
      ),
    ).not.toBeInTheDocument();
  });
});

// --- SIEM ----------------------------------------------------------------------

describe('PoolSiemTab', () => {
  it('shows the OTLP exporter and what the gateway does with it', async () => {
    await render(<PoolSiemTab />, poolApi(full()).api);
    expect(await detail('pool-siem', 'Endpoint')).toBe(
      'https://siem.example.com/ingest',
    );
    expect(await detail('pool-siem', 'Format')).toBe(
      'OpenTelemetry (OTLP/HTTP)',
    );
    expect(await detail('pool-siem', 'OTLP path')).toBe('/ingest');
    expect(await detail('pool-siem', 'Token')).toBe(
      'None (the endpoint takes no credentials)',
    );
    expect(
      screen.getByRole('button', {
        name: 'Copy https://siem.example.com/ingest',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('siem-export')).toHaveTextContent(
      /exports every access log record to this endpoint over OTLP\/HTTP/,
    );
    expect(
      screen.queryByTestId('pool-refused-settings'),
    ).not.toBeInTheDocument();
  });

  it('shows the token by its Secret reference only, and the default OTLP path', async () => {
    const pool = storedPool({
      ...validPool,
      siem: {
        endpoint: 'https://collector.example.com:4318',
        secretRef: { name: 'siem', key: 'hec-token' },
      },
    });
    await render(<PoolSiemTab />, poolApi(pool).api);
    expect(await detail('pool-siem', 'Format')).toBe(
      'OpenTelemetry (OTLP/HTTP)',
    );
    expect(await detail('pool-siem', 'OTLP path')).toBe(
      '/v1/logs (the OTLP default)',
    );
    expect(await detail('pool-siem', 'Token')).toBe(
      'Secret siem, key hec-token (sent as Authorization: Bearer)',
    );
  });

  it('shows a pool stored with a format the model now refuses, and says it is not exported', async () => {
    // Stored by an earlier release, which accepted CEF (and direct delivery
    // with an operator service account).
    const spec = {
      ...poolSchema.parse({ ...validPool, delivery: { mode: 'direct' } }),
      serviceAccount: 'aigw-operator',
      siem: { endpoint: 'https://siem.example.com/ingest', format: 'cef' },
    };
    await render(<PoolSiemTab />, poolApi(stored('pool', spec.name, spec)).api);
    expect(await detail('pool-siem', 'Format')).toBe(
      'CEF (no longer supported)',
    );
    expect(screen.getByTestId('siem-export')).toHaveTextContent(
      /agentgateway exports access logs only over OTLP, so the cef format of this pool is not rendered/,
    );
    const refused = screen.getByTestId('pool-refused-settings');
    expect(refused).toHaveTextContent(/siem\.format: cannot be cef/);
    expect(refused).toHaveTextContent(
      /serviceAccount: applies to the operator/,
    );
  });

  it('shows an empty state with a hint when no exporter is configured', async () => {
    await render(<PoolSiemTab />, poolApi(minimal()).api);
    expect(
      await screen.findByText('No SIEM exporter configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/add a siem section to pool prod-eu/),
    ).toHaveTextContent('the gateway exports access logs over OTLP/HTTP');
    expect(screen.queryByTestId('pool-siem')).not.toBeInTheDocument();
  });
});
