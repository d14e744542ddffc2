import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
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

const api = (getFleet: AiGatewayApi['getFleet']): AiGatewayApi =>
  fakeAiGatewayApi({ getFleet });

const render = (getFleet: AiGatewayApi['getFleet']) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, api(getFleet)]]}>
      <FleetPage />
    </TestApiProvider>,
  );

describe('FleetPage', () => {
  it('lists the pools with phase, heartbeat age, revision drift and counts', async () => {
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
    const pending = screen.getByText('onprem').closest('tr')!;
    expect(within(pending).getByText('never')).toBeInTheDocument();
    expect(within(pending).getByText('never applied')).toBeInTheDocument();
    expect(screen.getByText('payments-prod').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-prod',
    );
  });

  it('filters by phase, project and cluster', async () => {
    await render(async () => [
      entry('a'),
      entry('b', { project: 'research', phase: 'Degraded' }),
      entry('c', { cluster: { name: 'other', type: 'aks' } }),
    ]);
    await screen.findByText('Gateway pools (3 of 3)');
    fireEvent.change(screen.getByTestId('fleet-filter-project'), {
      target: { value: 'research' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    expect(screen.getByText('b')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('fleet-filter-project'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByTestId('fleet-filter-cluster'), {
      target: { value: 'other' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('fleet-filter-cluster'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByTestId('fleet-filter-phase'), {
      target: { value: 'Degraded' },
    });
    expect(
      await screen.findByText('Gateway pools (1 of 3)'),
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
