import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayObject,
  type FleetEntry,
  type UsageTotalsResponse,
} from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { FleetPage } from './FleetPage';

const entry = (pool: string, extra: Partial<FleetEntry> = {}): FleetEntry => ({
  pool,
  project: 'payments',
  cluster: { name: 'prod-eu-eks', type: 'eks' },
  namespace: `aigw-${pool}`,
  delivery: 'agent',
  phase: 'Active',
  heartbeatAt: new Date(Date.now() - 30_000).toISOString(),
  desiredRevision: 'sha256:aaaaaaaaaaaa',
  runningRevision: 'sha256:aaaaaaaaaaaa',
  counts: { mcpServers: 3, aiBackends: 1, policies: 2 },
  ...extra,
});

const object = (
  kind: 'mcpServer' | 'aiBackend',
  name: string,
  spec: Record<string, unknown>,
): AiGatewayObject => ({
  kind,
  name,
  project: 'payments',
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'user:default/alice',
  spec,
});

/** The URL's query, shown so that tests can read what the page put there. */
function QueryProbe() {
  return <output data-testid="query">{useLocation().search}</output>;
}

const render = (
  pools: AiGatewayApi['getFleet'],
  options: {
    url?: string;
    mcpServers?: AiGatewayObject[];
    aiBackends?: AiGatewayObject[];
    /** The usage calls (the spend column); none: not expected. */
    usage?: Partial<AiGatewayApi>;
  } = {},
) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [
          aiGatewayApiRef,
          fakeAiGatewayApi({
            getFleet: pools,
            listObjects: async plural =>
              plural === 'mcp-servers'
                ? options.mcpServers ?? []
                : options.aiBackends ?? [],
            ...options.usage,
          }),
        ],
      ]}
    >
      <FleetPage />
      <QueryProbe />
    </TestApiProvider>,
    { routeEntries: [`/ai-gateway${options.url ?? ''}`] },
  );

const three = async () => [
  entry('a'),
  entry('b', { project: 'research', phase: 'Degraded' }),
  entry('c', { cluster: { name: 'other', type: 'aks' }, phase: 'Pending' }),
];

const exceeded = {
  total: 2,
  exceeded: [
    {
      budget: 'payments-monthly',
      scope: { kind: 'team' as const, name: 'group:default/team-payments' },
      action: 'downRoute' as const,
      model: 'gpt-4o-mini',
      until: '2026-08-01T00:00:00.000Z',
    },
  ],
  pastSoftThreshold: 1,
};

const withBudgets = async () => [
  entry('held', { budgets: exceeded }),
  entry('near', {
    budgets: { total: 1, exceeded: [], pastSoftThreshold: 1 },
  }),
  entry('fine', { budgets: { total: 1, exceeded: [], pastSoftThreshold: 0 } }),
  entry('free', { budgets: { total: 0, exceeded: [], pastSoftThreshold: 0 } }),
];

const risk = (
  extra: Partial<NonNullable<FleetEntry['mcpRisk']>>,
): NonNullable<FleetEntry['mcpRisk']> => ({
  destructive: 0,
  openWorld: 0,
  additive: 0,
  readOnly: 0,
  unobserved: 0,
  destructiveServers: [],
  ...extra,
});

const withMcpRisk = async () => [
  entry('risky', {
    mcpRisk: risk({
      destructive: 2,
      readOnly: 1,
      unobserved: 1,
      destructiveServers: ['github', 'jira'],
    }),
  }),
  entry('outward', { mcpRisk: risk({ openWorld: 1 }) }),
  entry('calm', { mcpRisk: risk({ readOnly: 3 }) }),
  entry('bare', { mcpRisk: risk({}) }),
  // The contracts could not be read: no field.
  entry('unknown'),
];

/** The pool names in the order the table shows them. */
const poolOrder = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).getAllByRole('link')[0]?.textContent);

describe('FleetPage', () => {
  it('shows per pool the budgets exceeded (listed in a tooltip), near their limit, OK or none', async () => {
    await render(withBudgets);
    const held = await screen.findByTestId('fleet-budgets-held');
    expect(held).toHaveTextContent('1 exceeded');
    expect(held).toHaveTextContent('1 near limit');
    expect(held).toHaveTextContent('2 budgets');
    expect(within(held).getByTitle(/^payments-monthly \(team /)).toBeTruthy();
    fireEvent.mouseOver(within(held).getByText('1 exceeded'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'payments-monthly (team group:default/team-payments): down-routing to gpt-4o-mini until 2026-08-01T00:00:00.000Z',
    );
    expect(screen.getByTestId('fleet-budgets-near')).toHaveTextContent(
      '1 near limit',
    );
    expect(screen.getByTestId('fleet-budgets-fine')).toHaveTextContent('OK');
    expect(screen.getByTestId('fleet-budgets-free')).toHaveTextContent('—');
    // Usage is not configured: no spend column.
    expect(screen.queryByText('Spend (month)')).not.toBeInTheDocument();
  });

  it('sorts by budget trouble and finds the pools with an exceeded budget', async () => {
    await render(withBudgets);
    await screen.findByTestId('fleet-budgets-held');
    fireEvent.click(screen.getByRole('button', { name: 'Budgets' }));
    expect(poolOrder()).toEqual(['free', 'fine', 'near', 'held']);
    fireEvent.change(
      screen.getByLabelText('Search pools, MCP servers and AI backends'),
      { target: { value: 'exceeded' } },
    );
    expect(
      await screen.findByText('Gateway pools (1 of 4)'),
    ).toBeInTheDocument();
    expect(screen.getByText('held')).toBeInTheDocument();
  });

  it('shows per pool its MCP servers by risk class, the destructive ones in a tooltip', async () => {
    await render(withMcpRisk);
    const risky = await screen.findByTestId('fleet-mcp-risk-risky');
    expect(risky).toHaveTextContent('2 destructive');
    expect(risky).toHaveTextContent('1 read-only, 1 not observed');
    expect(
      within(risky).getByText('2 destructive').closest('[data-risk]'),
    ).toHaveAttribute('data-risk', 'destructive');
    fireEvent.mouseOver(within(risky).getByText('2 destructive'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /^Destructive: github, jira\. A tool may destroy or overwrite data/,
    );
    expect(screen.getByTestId('fleet-mcp-risk-outward')).toHaveTextContent(
      '1 open world',
    );
    expect(screen.getByTestId('fleet-mcp-risk-calm')).toHaveTextContent(
      '3 read-only',
    );
    expect(screen.getByTestId('fleet-mcp-risk-bare')).toHaveTextContent('—');
    expect(screen.getByTestId('fleet-mcp-risk-unknown')).toHaveTextContent('—');
  });

  it('sorts by MCP risk and finds the pools serving a destructive MCP server', async () => {
    await render(withMcpRisk);
    await screen.findByTestId('fleet-mcp-risk-risky');
    fireEvent.click(screen.getByRole('button', { name: 'MCP risk' }));
    expect(poolOrder()).toEqual([
      'unknown',
      'bare',
      'calm',
      'outward',
      'risky',
    ]);
    fireEvent.change(
      screen.getByLabelText('Search pools, MCP servers and AI backends'),
      { target: { value: 'destructive' } },
    );
    expect(
      await screen.findByText('Gateway pools (1 of 5)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('fleet-matches-risky')).toHaveTextContent(
      'MCP risk 2 destructive: github, jira',
    );
  });

  it('shows the spend of this month per pool from one usage query grouped by pool', async () => {
    const getUsageTotals = jest.fn(
      async (): Promise<UsageTotalsResponse> => ({
        from: '2026-07-01T00:00:00.000Z',
        to: '2026-07-15T00:00:00.000Z',
        rows: [
          // One pool in two projects' rows: added up.
          {
            group: { pool: 'aigw-a/a', project: 'payments' },
            values: { costUsd: 10, inputTokens: 1000, outputTokens: 200 },
          },
          {
            group: { pool: 'aigw-a/a', project: 'research' },
            values: { costUsd: 2.5, inputTokens: 300_000 },
          },
          { group: { pool: 'aigw-b/b' }, values: { costUsd: 100 } },
        ],
      }),
    );
    await render(three, {
      usage: {
        getUsageStatus: async () => ({ configured: true }),
        getUsageTotals,
      },
    });
    expect(await screen.findByTestId('fleet-spend-a')).toHaveTextContent(
      '$12.50',
    );
    expect(screen.getByTestId('fleet-spend-a')).toHaveTextContent(
      '301.2K tokens',
    );
    expect(screen.getByTestId('fleet-spend-b')).toHaveTextContent('$100.00');
    expect(screen.getByTestId('fleet-spend-c')).toHaveTextContent('—');
    expect(getUsageTotals).toHaveBeenCalledTimes(1);
    expect(getUsageTotals).toHaveBeenCalledWith({
      from: expect.stringMatching(/^\d{4}-\d{2}-01T00:00:00\.000Z$/),
      groupBy: 'pool',
      measures: 'costUsd,inputTokens,outputTokens',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Spend (month)' }));
    expect(poolOrder()).toEqual(['c', 'a', 'b']);
  });

  it('says spend is unavailable when Prometheus does not answer, and still lists the fleet', async () => {
    await render(three, {
      usage: {
        getUsageStatus: async () => ({ configured: true }),
        getUsageTotals: async () => {
          throw new Error('Prometheus at http://prom:9090 did not answer');
        },
      },
    });
    expect(await screen.findByTestId('fleet-spend-a')).toHaveTextContent(
      'unavailable',
    );
    expect(screen.getByText('Gateway pools (3 of 3)')).toBeInTheDocument();
  });

  it('lists the pools with state, heartbeat age, revision drift and counts', async () => {
    await render(async () => [
      entry('payments-prod'),
      entry('research-lab', {
        project: 'research',
        cluster: { name: 'research-gke', type: 'gke' },
        phase: 'OutOfSync',
        runningRevision: 'sha256:bbbbbbbbbbbb',
        reason: 'Running bbbb, desired aaaa',
      }),
      entry('onprem', {
        phase: 'Pending',
        heartbeatAt: undefined,
        runningRevision: undefined,
      }),
    ]);
    expect(
      await screen.findByText('Gateway pools (3 of 3)'),
    ).toBeInTheDocument();
    const row = screen.getByText('research-lab').closest('tr')!;
    expect(within(row).getByTestId('phase-OutOfSync')).toBeInTheDocument();
    expect(within(row).getByText('bbbbbbbb → aaaaaaaa')).toBeInTheDocument();
    expect(
      within(row).getByText('research-gke / aigw-research-lab'),
    ).toBeInTheDocument();
    expect(within(row).getByText('agent delivery')).toBeInTheDocument();
    const pending = screen.getByText('onprem').closest('tr')!;
    expect(within(pending).getByText('never')).toBeInTheDocument();
    expect(within(pending).getByText('never applied')).toBeInTheDocument();
    const active = screen.getByText('payments-prod').closest('tr')!;
    expect(within(active).getByText('3 MCP servers')).toBeInTheDocument();
    expect(within(active).getByText('1 AI backend')).toBeInTheDocument();
    expect(screen.getByText('payments-prod').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-prod',
    );
  });

  it('shows the cause and next step of pools that are not Active', async () => {
    await render(async () => [
      entry('fine'),
      entry('direct', {
        delivery: 'direct',
        phase: 'Degraded',
        conditions: [
          {
            type: 'Applied',
            status: 'False',
            reason: 'ApplyFailed',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            message:
              'Cluster prod-eu-eks is not configured in kubernetes.clusterLocatorMethods',
          },
        ],
      }),
      entry('waiting', { phase: 'Pending', heartbeatAt: undefined }),
    ]);
    const degraded = await screen.findByTestId('fleet-state-direct');
    expect(degraded).toHaveTextContent(
      'The last apply failed: Cluster prod-eu-eks is not configured in kubernetes.clusterLocatorMethods.',
    );
    expect(degraded).toHaveTextContent(
      'Next step: Add cluster prod-eu-eks to kubernetes.clusterLocatorMethods',
    );
    expect(screen.getByTestId('fleet-state-waiting')).toHaveTextContent(
      'Next step: Install the operator',
    );
    expect(screen.getByTestId('fleet-state-fine')).not.toHaveTextContent(
      'Next step',
    );
  });

  it('filters by phase, project and cluster, and keeps the filters in the URL', async () => {
    await render(three);
    await screen.findByText('Gateway pools (3 of 3)');
    fireEvent.change(screen.getByLabelText('Project'), {
      target: { value: 'research' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByText('b')).toBeInTheDocument();
    expect(screen.getByTestId('query')).toHaveTextContent('?project=research');
    fireEvent.change(screen.getByLabelText('Project'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByLabelText('Cluster'), {
      target: { value: 'other' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('query')).toHaveTextContent('?cluster=other');
    fireEvent.change(screen.getByLabelText('Cluster'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByLabelText('Phase'), {
      target: { value: 'Degraded' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('query')).toHaveTextContent('?phase=Degraded');
  });

  it('starts from the filters in the URL', async () => {
    await render(three, { url: '?project=payments&cluster=other' });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByText('c')).toBeInTheDocument();
    expect(screen.getByLabelText('Project')).toHaveValue('payments');
    expect(screen.getByLabelText('Cluster')).toHaveValue('other');
  });

  it('toggles the phase filter with the phase counts', async () => {
    await render(three);
    await screen.findByText('Gateway pools (3 of 3)');
    // getByRole is slow on the table's DOM: find the chip, then check its role and name.
    const chip = () => screen.getByTestId('phase-chip-Degraded');
    expect(chip().tagName).toBe('BUTTON');
    expect(chip()).toHaveAccessibleName('1 Degraded');
    expect(chip()).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(chip());
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByText('b')).toBeInTheDocument();
    expect(screen.getByTestId('query')).toHaveTextContent('?phase=Degraded');
    expect(chip()).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('Phase')).toHaveValue('Degraded');
    fireEvent.click(chip());
    expect(
      await screen.findByText('Gateway pools (3 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('query')).toBeEmptyDOMElement();
  });

  it('searches pools, MCP servers and AI backends and says what matched', async () => {
    await render(three, {
      mcpServers: [
        object('mcpServer', 'github', {
          pool: 'a',
          prefix: 'github',
          source: { type: 'image', image: 'ghcr.io/github/github-mcp-server' },
        }),
      ],
      aiBackends: [
        object('aiBackend', 'claude', {
          pool: 'c',
          spec: {
            kind: 'ai',
            groups: [{ providers: [{ name: 'anthropic', model: 'claude-x' }] }],
          },
        }),
      ],
    });
    await screen.findByText('Gateway pools (3 of 3)');
    const search = screen.getByLabelText(
      'Search pools, MCP servers and AI backends',
    );
    fireEvent.change(search, { target: { value: 'GHCR.io' } });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('fleet-matches-a')).toHaveTextContent(
      'Matches MCP server github: source.image ghcr.io/github/github-mcp-server',
    );
    expect(screen.getByTestId('query')).toHaveTextContent('?q=GHCR.io');

    fireEvent.change(search, { target: { value: 'anthropic' } });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('fleet-matches-c')).toHaveTextContent(
      'Matches AI backend claude: spec.groups.0.providers.0.name anthropic',
    );

    // A pool's own fields match too, without a line saying so for its name.
    fireEvent.change(search, { target: { value: 'research' } });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByText('b')).toBeInTheDocument();

    fireEvent.change(search, { target: { value: 'nothing-like-this' } });
    expect(
      await screen.findByText('No pool matches these filters.'),
    ).toBeInTheDocument();
  });

  it('names every control', async () => {
    await render(three);
    await screen.findByText('Gateway pools (3 of 3)');
    for (const name of ['Phase', 'Project', 'Cluster']) {
      expect(screen.getByRole('combobox', { name })).toBeInTheDocument();
    }
    expect(
      screen.getByRole('searchbox', {
        name: 'Search pools, MCP servers and AI backends',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Show only pools in a phase' }),
    ).toBeInTheDocument();
  });

  it('has an empty state that points to the Create a gateway pool template', async () => {
    await render(async () => []);
    expect(
      await screen.findByText('No gateway pools you may see'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Create a gateway pool').closest('a'),
    ).toHaveAttribute(
      'href',
      '/create/templates/default/ai-gateway-create-pool',
    );
  });

  it('says clearly when the control plane is down', async () => {
    await render(async () => {
      throw new Error('Request failed with 503 Service Unavailable');
    });
    expect(await screen.findByTestId('fleet-error')).toHaveTextContent(
      'The AI Gateway control plane did not answer',
    );
    expect(screen.getByTestId('fleet-error')).toHaveTextContent(
      '503 Service Unavailable',
    );
  });
});
