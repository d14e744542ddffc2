import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { aiGatewayApiRef, type AiGatewayApi } from '../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { PoolOverviewCard } from './PoolOverviewCard';

// Rendering the whole tab (lazy MUI, permission and API mocks) is slow on a
// loaded machine; the default 5 s is too tight for the first test.
jest.setTimeout(20_000);

const now = new Date().toISOString();
const spec = (mode: string) => ({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'eks-prod', type: 'eks' },
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
  delivery: { mode },
});
const condition = (
  type: string,
  status: string,
  reason: string,
  message = '',
) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: now,
});

const render = (api: AiGatewayApi) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [aiGatewayApiRef, api],
        [
          permissionApiRef,
          { authorize: async () => ({ result: AuthorizeResult.ALLOW }) },
        ],
      ]}
    >
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'prod',
            annotations: { 'ai-gateway.io/kind': 'pool' },
          },
          spec: {},
        }}
      >
        <PoolOverviewCard />
      </EntityProvider>
    </TestApiProvider>,
  );

const api = (mode: string, status: any, clusters: string[] = []) =>
  fakeAiGatewayApi({
    getObject: async () =>
      ({ kind: 'pool', name: 'prod', spec: spec(mode) } as any),
    getPoolStatus: async () => status,
    getKubernetesClusters: async () => clusters,
    getManifests: async () => ({
      pool: 'prod',
      namespace: 'aigw',
      renderer: 'agentgateway',
      revision: 'sha256:bbbb',
      warnings: [],
      kinds: [],
      objects: [],
    }),
    getGitopsFiles: async () => ({
      pool: 'prod',
      revision: 'sha256:bbbb',
      files: {},
    }),
  });

describe('PoolOverviewCard guidance and install', () => {
  it('a Pending agent pool: says why and what to do, offers the install and says the Kubernetes tab cannot read the cluster', async () => {
    await render(
      api('agent', {
        pool: 'prod',
        phase: 'Pending',
        phaseSince: now,
        desiredRevision: 'sha256:bbbbbbbbbbbb',
        conditions: [],
      }),
    );
    const guidance = await screen.findByTestId('pool-guidance');
    expect(guidance).toHaveTextContent(
      'Why: No operator has connected yet: nothing has been installed in the cluster.',
    );
    expect(guidance).toHaveTextContent(
      "Next step: Install the operator: apply the bootstrap manifests from the pool's Install tab to cluster eks-prod (namespace aigw) with kubectl.",
    );
    expect(screen.getByTestId('pool-revision')).toHaveTextContent(
      'Revision: desired bbbbbbbb, running none (never applied)',
    );
    expect(await screen.findByTestId('overview-install')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', {
        name: 'Download prod-bootstrap.yaml',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Issue a new enrollment token' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('kubernetes-access')).toHaveAttribute(
        'data-state',
        'not-configured',
      ),
    );
    expect(screen.getByTestId('kubernetes-access')).toHaveTextContent(
      'cluster eks-prod is not one of them',
    );
  });

  it('a Degraded direct pool: names the failed apply and the fix, without an install panel once something runs', async () => {
    await render(
      api(
        'direct',
        {
          pool: 'prod',
          phase: 'Degraded',
          phaseSince: now,
          desiredRevision: 'sha256:bbbbbbbbbbbb',
          conditions: [
            condition(
              'Applied',
              'False',
              'ApplyFailed',
              'cluster eks-prod is not configured in kubernetes.clusterLocatorMethods',
            ),
          ],
          heartbeat: {
            operatorVersion: 'control-plane',
            receivedAt: now,
            runningRevision: 'sha256:aaaaaaaaaaaa',
            components: [],
          },
        },
        ['eks-prod'],
      ),
    );
    const guidance = await screen.findByTestId('pool-guidance');
    expect(guidance).toHaveTextContent(
      'Why: The last apply failed: cluster eks-prod is not configured in kubernetes.clusterLocatorMethods.',
    );
    expect(guidance).toHaveTextContent(
      'Next step: Add cluster eks-prod to kubernetes.clusterLocatorMethods',
    );
    expect(screen.queryByTestId('overview-install')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('kubernetes-access')).toHaveAttribute(
        'data-state',
        'readable',
      ),
    );
  });

  it('an Active pool: no next step and no install', async () => {
    await render(
      api(
        'agent',
        {
          pool: 'prod',
          phase: 'Active',
          phaseSince: now,
          desiredRevision: 'sha256:aaaaaaaaaaaa',
          conditions: [],
          heartbeat: {
            operatorVersion: '0.1.0',
            receivedAt: now,
            runningRevision: 'sha256:aaaaaaaaaaaa',
            components: [],
          },
        },
        ['eks-prod'],
      ),
    );
    const guidance = await screen.findByTestId('pool-guidance');
    expect(guidance).toHaveTextContent('runs its desired revision');
    expect(guidance).not.toHaveTextContent('Next step');
    expect(screen.getByTestId('pool-revision')).toHaveTextContent(
      'desired aaaaaaaa, running aaaaaaaa (in sync)',
    );
    expect(screen.queryByTestId('overview-install')).not.toBeInTheDocument();
  });
});
