import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { AiBackendCard } from './AiBackendCard';
import { McpServerCard } from './McpServerCard';
import { PoolOverviewCard } from './PoolOverviewCard';
import { TopologyCard } from './TopologyCard';

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: kind === 'mcpServer' ? 'API' : 'Resource',
  metadata: {
    name,
    annotations: { 'ai-gateway.io/kind': kind, ...annotations },
  },
  spec: {},
});
const object = (
  kind: string,
  name: string,
  spec: any,
  derived?: Record<string, string>,
) => ({
  kind,
  name,
  project: 'payments',
  version: 1,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  spec,
  ...(derived ? { derived } : {}),
});
const now = new Date().toISOString();
const status = (phase: any = 'Degraded') => ({
  pool: 'prod',
  phase,
  phaseSince: now,
  desiredRevision: 'sha256:bbbbbbbbbbbb',
  conditions: [
    {
      type: 'OperatorConnected',
      status: 'True',
      reason: 'HeartbeatReceived',
      message: 'ok',
      lastTransitionTime: now,
    },
    {
      type: 'Applied',
      status: 'False',
      reason: 'ApplyFailed',
      message: 'HTTPRoute/mcp-github: 422 Invalid',
      lastTransitionTime: now,
    },
  ],
  heartbeat: {
    operatorVersion: '0.1.0',
    receivedAt: now,
    runningRevision: 'sha256:aaaaaaaaaaaa',
    components: [
      { name: 'Gateway/prod', kind: 'Gateway', healthy: true },
      {
        name: 'Deployment/mcp-github',
        kind: 'Deployment',
        healthy: false,
        message: '0/1 replicas ready',
      },
    ],
  },
});
const pool = {
  name: 'prod',
  project: 'payments',
  cluster: { name: 'eks', type: 'eks' },
  namespace: 'aigw',
  tls: { mode: 'selfsigned' },
  domains: {
    baseDomain: 'ai.example.com',
    separator: '.',
    subdomains: {
      api: 'api',
      console: 'console',
      grafana: 'grafana',
      auth: 'auth',
      mcp: 'mcp',
    },
  },
  delivery: { mode: 'agent' },
};
const github = {
  name: 'github',
  project: 'payments',
  pool: 'prod',
  prefix: 'gh',
  transport: 'streamable-http',
  source: { type: 'image', image: 'ghcr.io/github/mcp:1', port: 8080 },
  tools: { allow: ['get_issue'], deny: ['delete_repo'] },
};
const llm = {
  name: 'llm',
  project: 'payments',
  pool: 'prod',
  spec: {
    kind: 'ai',
    models: ['gpt-4o'],
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            model: 'gpt-4o',
            weight: 1,
            credentialsSecretRef: { name: 'openai', key: 'k' },
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
  },
};
const policy = {
  name: 'limit',
  project: 'payments',
  pool: 'prod',
  target: { kind: 'gateway', name: 'prod' },
  rateLimit: { unit: 'minute', requests: 100, perModel: false },
};

const render = (children: ReactNode, api: AiGatewayApi, e: any, allow = true) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [aiGatewayApiRef, api],
        [
          permissionApiRef,
          {
            authorize: async () => ({
              result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            }),
          },
        ],
      ]}
    >
      <EntityProvider entity={e}>{children}</EntityProvider>
    </TestApiProvider>,
  );

describe('PoolOverviewCard', () => {
  it('shows phase, heartbeat, revision drift, unhealthy components and conditions; reseeds after confirmation', async () => {
    const requestPool = jest.fn(async () => {});
    await render(
      <PoolOverviewCard />,
      fakeAiGatewayApi({
        getPoolStatus: async () => status() as any,
        requestPool,
      }),
      entity('pool', 'prod'),
    );
    expect(await screen.findByTestId('phase-Degraded')).toBeInTheDocument();
    expect(screen.getByTestId('pool-revision')).toHaveTextContent(
      'Revision: desired bbbbbbbb, running aaaaaaaa (not in sync)',
    );
    expect(screen.getByText('Components: 1 of 2 healthy')).toBeInTheDocument();
    expect(
      screen.getByText('Deployment/mcp-github: 0/1 replicas ready'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('condition-Applied')).toHaveTextContent(
      'Applied False (ApplyFailed): HTTPRoute/mcp-github: 422 Invalid',
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Reseed' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reseed' }));
    expect(await screen.findByText('Reseed pool prod?')).toBeInTheDocument();
    fireEvent.click(screen.getAllByRole('button', { name: 'Reseed' }).pop()!);
    await waitFor(() =>
      expect(requestPool).toHaveBeenCalledWith('prod', 'reseed'),
    );
    expect(await screen.findByText('Reseed requested')).toBeInTheDocument();
  });

  it('disables Force sync and Reseed without permission', async () => {
    // Another pool: usePermission caches decisions per resource across renders.
    await render(
      <PoolOverviewCard />,
      fakeAiGatewayApi({ getPoolStatus: async () => status('Active') as any }),
      entity('pool', 'locked'),
      false,
    );
    expect(await screen.findByTestId('phase-Active')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Force sync' })).toBeDisabled(),
    );
    expect(screen.getByRole('button', { name: 'Reseed' })).toBeDisabled();
  });

  it('says clearly when the status cannot be loaded', async () => {
    await render(
      <PoolOverviewCard />,
      fakeAiGatewayApi({
        getPoolStatus: async () => {
          throw new Error('503 Service Unavailable');
        },
      }),
      entity('pool', 'prod'),
    );
    expect(
      await screen.findByText(/The pool's status could not be loaded/),
    ).toBeInTheDocument();
  });
});

describe('McpServerCard and AiBackendCard', () => {
  it('shows the URL, transport, the pool health and the tool lists', async () => {
    await render(
      <McpServerCard />,
      fakeAiGatewayApi({
        getObject: async (plural: string) =>
          (plural === 'pools'
            ? object('pool', 'prod', pool)
            : object('mcpServer', 'github', github, {
                url: 'https://mcp.ai.example.com/gh/mcp',
              })) as any,
        getPoolStatus: async () => status('Active') as any,
      }),
      entity('mcpServer', 'github', { 'ai-gateway.io/pool': 'prod' }),
    );
    expect(await screen.findByTestId('mcp-url')).toHaveTextContent(
      'https://mcp.ai.example.com/gh/mcp',
    );
    expect(screen.getByTestId('served-state')).toHaveAttribute(
      'data-served',
      'yes',
    );
    expect(screen.getByTestId('served-state')).toHaveTextContent(
      'ServedMCP server github is served by pool prod.',
    );
    expect(screen.getByText('Allowed tools: get_issue')).toBeInTheDocument();
    expect(screen.getByText('Denied tools: delete_repo')).toBeInTheDocument();
    expect(screen.getByTestId('phase-Active')).toBeInTheDocument();
  });

  it('shows provider groups in priority order and served models', async () => {
    await render(
      <AiBackendCard />,
      fakeAiGatewayApi({
        getObject: async (plural: string) =>
          (plural === 'pools'
            ? object('pool', 'prod', pool)
            : object('aiBackend', 'llm', llm)) as any,
        getPoolStatus: async () => status() as any,
      }),
      entity('aiBackend', 'llm', { 'ai-gateway.io/pool': 'prod' }),
    );
    expect(await screen.findByTestId('provider-group-0')).toHaveTextContent(
      'Primary group',
    );
    // The pool is Degraded by a failed apply: not served, why, and what to do.
    const served = screen.getByTestId('served-state');
    expect(served).toHaveAttribute('data-served', 'no');
    expect(served).toHaveTextContent(
      'Not served' +
        'AI backend llm is registered; it is served once pool prod is applied. Now Degraded: The last apply failed: HTTPRoute/mcp-github: 422 Invalid.',
    );
    expect(served).toHaveTextContent(/Next step: .*Force sync/);
    expect(screen.getByTestId('provider-group-0')).toHaveTextContent(
      'openai (OpenAI, model gpt-4o, API key from Secret openai/k)',
    );
    // agentgateway shares a group by health, not weight: no weight is shown.
    expect(screen.getByTestId('provider-group-0')).not.toHaveTextContent(
      'weight',
    );
    expect(screen.getByTestId('provider-group-1')).toHaveTextContent(
      'Failover group 1',
    );
    expect(screen.getByText('Models: gpt-4o')).toBeInTheDocument();
    // The pool reports no AgentgatewayBackend component for it: health is unknown, not "fine".
    expect(screen.getByTestId('provider-openai')).toHaveTextContent(
      'health not reported',
    );
  });

  it("shows each provider's health from its backend's reported state", async () => {
    const reported = status('Active');
    reported.heartbeat.components.push({
      name: 'AgentgatewayBackend/ai-llm',
      kind: 'AgentgatewayBackend',
      healthy: false,
      message: 'Accepted=False',
    } as any);
    await render(
      <AiBackendCard />,
      fakeAiGatewayApi({
        getObject: async (plural: string) => {
          if (plural === 'pools') throw new Error('404 Not Found');
          return object('aiBackend', 'llm', llm) as any;
        },
        getPoolStatus: async () => reported as any,
      }),
      entity('aiBackend', 'llm', { 'ai-gateway.io/pool': 'prod' }),
    );
    expect(await screen.findByTestId('provider-bedrock')).toHaveTextContent(
      'not serving (backend not accepted)',
    );
    expect(
      screen.getByText(/not accepted \(Accepted=False\)/),
    ).toBeInTheDocument();
    // The pool could not be read: the served state says it does not know.
    expect(screen.getByTestId('served-state')).toHaveAttribute(
      'data-served',
      'unknown',
    );
  });
});

describe('TopologyCard', () => {
  const inPool: Record<string, any[]> = {
    'mcp-servers': [object('mcpServer', 'github', github)],
    'ai-backends': [object('aiBackend', 'llm', llm)],
    policies: [object('policy', 'limit', policy)],
  };
  const api = () =>
    fakeAiGatewayApi({
      getObject: async () => object('pool', 'prod', pool) as any,
      listInPool: async (plural: string) => inPool[plural] as any,
      getPoolStatus: async () => status() as any,
    });

  it("draws the pool's data path and shows a node's details and effective policy on click", async () => {
    await render(
      <TopologyCard />,
      api(),
      entity('mcpServer', 'github', { 'ai-gateway.io/pool': 'prod' }),
    );
    expect(
      await screen.findByTestId('topology-node-gateway:prod'),
    ).toBeInTheDocument();
    for (const id of [
      'route:mcp:github',
      'backend:mcp:github',
      'mcp-server:github',
      'provider:llm:bedrock',
      'policy:limit',
    ]) {
      expect(screen.getByTestId(`topology-node-${id}`)).toBeInTheDocument();
    }
    // The entity's own node is selected first, with its health.
    expect(screen.getByTestId('topology-details')).toHaveTextContent(
      'mcp-server: github',
    );
    expect(screen.getByTestId('topology-details')).toHaveTextContent(
      'Health: unhealthy (Deployment/mcp-github: 0/1 replicas ready)',
    );
    fireEvent.click(screen.getByTestId('topology-node-route:ai:llm'));
    expect(screen.getByTestId('topology-details')).toHaveTextContent(
      'route: /llm',
    );
    expect(screen.getByTestId('effective-rateLimit')).toHaveTextContent(
      'rateLimit from limit (gateway level, inherited)',
    );
    // Every edge is drawn; the legend names node types, health and edge kinds.
    expect(screen.getAllByTestId('topology-edge')).toHaveLength(8);
    expect(screen.getByTestId('topology-legend')).toHaveTextContent(
      /mcp-server.*unhealthy.*fails over to/,
    );
  });

  const FIVE_MINUTES = {
    from: '2026-07-01T12:00:00.000Z',
    to: '2026-07-01T12:05:00.000Z',
  };

  it('shows request and error rates on the gateway, MCP server and AI backend nodes from one query by route', async () => {
    const getUsageTotals = jest.fn(async () => ({
      ...FIVE_MINUTES,
      rows: [
        {
          group: { route: 'aigw-prod/mcp-github' },
          values: { requests: 3600, errors: 90 },
        },
        {
          group: { route: 'aigw-prod/ai-llm' },
          values: { requests: 300, errors: 0 },
        },
      ],
    }));
    await render(
      <TopologyCard />,
      fakeAiGatewayApi({
        ...api(),
        getUsageStatus: async () => ({ configured: true }),
        getUsageTotals,
      }),
      entity('mcpServer', 'github', { 'ai-gateway.io/pool': 'prod' }),
    );
    expect(
      await screen.findByTestId('topology-traffic-mcp-server:github'),
    ).toHaveTextContent('12.0 req/s · 2.5 % errors');
    expect(
      screen.getByTestId('topology-traffic-backend:ai:llm'),
    ).toHaveTextContent('1.0 req/s · 0.0 % errors');
    expect(
      screen.getByTestId('topology-traffic-gateway:prod'),
    ).toHaveTextContent('13.0 req/s · 2.3 % errors');
    // Routes, the MCP backend and providers carry no rate of their own.
    expect(
      screen.queryByTestId('topology-traffic-route:mcp:github'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('topology-traffic-provider:llm:bedrock'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByTestId('topology-node-mcp-server:github'),
    ).toHaveAccessibleName(expect.stringContaining('12.0 req/s, 2.5 % errors'));
    expect(screen.getByTestId('topology-details-traffic')).toHaveTextContent(
      'Last 5 minutes: 12.0 req/s, 2.5 % errors',
    );
    expect(getUsageTotals).toHaveBeenCalledTimes(1);
    const [request] = getUsageTotals.mock.calls[0] as unknown as [any];
    expect(request).toMatchObject({
      pool: 'prod',
      groupBy: 'route',
      measures: 'requests,errors',
    });
    expect(Date.parse(request.to) - Date.parse(request.from)).toBe(300_000);
  });

  it('asks for no rates and draws none when usage is not configured', async () => {
    const getUsageTotals = jest.fn();
    await render(
      <TopologyCard />,
      fakeAiGatewayApi({
        ...api(),
        getUsageStatus: async () => ({ configured: false, message: 'set it' }),
        getUsageTotals,
      }),
      entity('pool', 'prod'),
    );
    expect(
      await screen.findByTestId('topology-node-mcp-server:github'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryAllByTestId(/^topology-traffic-/)).toHaveLength(0),
    );
    expect(getUsageTotals).not.toHaveBeenCalled();
  });

  it('draws the topology without rates when they cannot be read', async () => {
    await render(
      <TopologyCard />,
      fakeAiGatewayApi({
        ...api(),
        getUsageStatus: async () => ({ configured: true }),
        getUsageTotals: async () => {
          throw new Error('Prometheus did not answer');
        },
      }),
      entity('pool', 'prod'),
    );
    expect(
      await screen.findByTestId('topology-traffic-unavailable'),
    ).toHaveTextContent('Prometheus did not answer');
    expect(
      screen.getByTestId('topology-node-mcp-server:github'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('topology-traffic-gateway:prod')).toBeNull();
  });

  it('says clearly when the topology cannot be loaded', async () => {
    await render(
      <TopologyCard />,
      fakeAiGatewayApi({
        getObject: async () => {
          throw new Error('boom');
        },
        listInPool: async () => [],
        getPoolStatus: async () => status() as any,
      }),
      entity('pool', 'prod'),
    );
    expect(
      await screen.findByText(/The topology could not be loaded/),
    ).toBeInTheDocument();
  });
});
