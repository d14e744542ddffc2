import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayObject,
  type FleetEntry,
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

describe('FleetPage', () => {
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
