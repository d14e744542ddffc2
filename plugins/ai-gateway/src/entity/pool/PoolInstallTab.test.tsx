import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { strFromU8, unzipSync } from 'fflate';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type ManifestBundle,
} from '../../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../../testUtils/fakeAiGatewayApi';
import { PoolInstallTab } from './PoolInstallTab';
import { POOL_STAGE_LABEL as STAGE_LABEL } from '@ai-gateway-backstage/plugin-ai-gateway-common';

// Rendering the whole tab (lazy MUI, permission and API mocks) is slow on a
// loaded machine; the default 5 s is too tight for the first test.
jest.setTimeout(20_000);

const now = new Date().toISOString();

const poolSpec = (delivery: Record<string, string>, name = 'prod') => ({
  name,
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
  delivery,
});

const poolObject = (delivery: Record<string, string>, name = 'prod') =>
  ({
    kind: 'pool',
    name,
    project: 'payments',
    version: 1,
    createdAt: now,
    createdBy: 'user:default/guest',
    updatedAt: now,
    updatedBy: 'user:default/guest',
    spec: poolSpec(delivery, name),
  } as any);

const pending = {
  pool: 'prod',
  phase: 'Pending',
  phaseSince: now,
  desiredRevision: 'sha256:bbbbbbbbbbbb',
  conditions: [],
} as any;

const labelled = (kind: string, name: string, stage: string) => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: 'aigw', labels: { [STAGE_LABEL]: stage } },
});
const bundle: ManifestBundle = {
  pool: 'prod',
  namespace: 'aigw',
  renderer: 'agentgateway',
  revision: 'sha256:bbbbbbbbbbbb',
  warnings: [],
  kinds: [],
  objects: [
    labelled('ServiceAccount', 'aigw-operator', 'bootstrap'),
    labelled('Secret', 'aigw-enrollment-token', 'bootstrap'),
    labelled('Deployment', 'aigw-operator', 'bootstrap'),
    labelled('Gateway', 'prod', 'runtime'),
  ],
};

const events = {
  items: [
    {
      id: 2,
      kind: 'pool',
      name: 'prod',
      action: 'enrollment-token-rotated',
      actor: 'user:default/guest',
      at: now,
      message: 'A new enrollment token was issued',
    },
    {
      id: 1,
      kind: 'pool',
      name: 'prod',
      action: 'updated',
      actor: 'user:default/guest',
      at: now,
    },
  ],
} as any;

const poolEntity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, annotations: { 'ai-gateway.io/kind': 'pool' } },
  spec: { type: 'ai-gateway-pool' },
});

// usePermission caches decisions per resource across renders, so the
// denied case uses another pool name.
const render = (api: AiGatewayApi, allow = true, name = 'prod') =>
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
      <EntityProvider entity={poolEntity(name)}>
        <PoolInstallTab />
      </EntityProvider>
    </TestApiProvider>,
  );

const agentApi = (overrides: Partial<AiGatewayApi> = {}) =>
  fakeAiGatewayApi({
    getObject: async () => poolObject({ mode: 'agent' }),
    getPoolStatus: async () => pending,
    getManifests: async () => bundle,
    listEvents: async () => events,
    getKubernetesClusters: async () => ['kind-local'],
    ...overrides,
  });

/** The Blobs the page saved, by file name (URL.createObjectURL and a link click). */
function captureDownloads() {
  const saved: Array<{ name: string; blob: Blob }> = [];
  let created: Blob | undefined;
  (URL as any).createObjectURL = jest.fn((blob: Blob) => {
    created = blob;
    return 'blob:test';
  });
  (URL as any).revokeObjectURL = jest.fn();
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function click(this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: created! });
    });
  return saved;
}

/** The bytes of a saved Blob (the test environment's Blob reads itself). */
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

afterEach(() => jest.restoreAllMocks());

describe('PoolInstallTab', () => {
  it('agent: downloads the bootstrap only, gives the commands, the install events and the Kubernetes access', async () => {
    const saved = captureDownloads();
    await render(agentApi());
    const download = await screen.findByRole('button', {
      name: 'Download prod-bootstrap.yaml',
    });
    expect(screen.getByTestId('install-state')).toHaveTextContent(
      'Now Pending: No operator has connected yet',
    );
    expect(
      within(screen.getByTestId('bootstrap-objects'))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'ServiceAccount/aigw-operator',
      'Secret/aigw-enrollment-token',
      'Deployment/aigw-operator',
    ]);
    fireEvent.click(download);
    expect(saved.map(s => s.name)).toEqual(['prod-bootstrap.yaml']);
    const yaml = strFromU8(await bytesOf(saved[0].blob));
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).not.toContain('kind: Gateway');

    const commands = screen.getByRole('group', {
      name: 'Commands installing pool prod',
    });
    expect(commands).toHaveTextContent('kubectl apply -f prod-bootstrap.yaml');
    expect(commands).toHaveTextContent(
      'kubectl -n aigw rollout status deploy/aigw-operator',
    );

    const installEvents = await screen.findByTestId('install-events');
    expect(installEvents).toHaveTextContent('enrollment-token-rotated');
    expect(installEvents).not.toHaveTextContent('updated by');

    expect(await screen.findByTestId('kubernetes-access')).toHaveTextContent(
      'The Kubernetes tab shows objects only for clusters the portal is configured for (kind-local); cluster eks-prod is not one of them',
    );
  });

  it('agent: issues a new enrollment token only after confirmation and shows it once, masked by default', async () => {
    const issueEnrollmentToken = jest.fn(async () => 'aigw_secret123');
    await render(agentApi({ issueEnrollmentToken }));
    const issue = await screen.findByRole('button', {
      name: 'Issue a new enrollment token',
    });
    await waitFor(() => expect(issue).toBeEnabled());
    fireEvent.click(issue);
    expect(
      await screen.findByText('Issue a new enrollment token for pool prod?'),
    ).toBeInTheDocument();
    expect(screen.getByText(/The current token stops working/)).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(issueEnrollmentToken).not.toHaveBeenCalled();

    fireEvent.click(issue);
    fireEvent.click(await screen.findByRole('button', { name: 'Issue token' }));
    const token = await screen.findByTestId('enrollment-token');
    expect(issueEnrollmentToken).toHaveBeenCalledTimes(1);
    expect(issueEnrollmentToken).toHaveBeenCalledWith('prod');
    expect(token).not.toHaveTextContent('aigw_secret123');
    expect(token).toHaveTextContent('aigw-enrollment-token');
    fireEvent.click(
      await within(token).findByRole('button', {
        name: 'Show enrollment token',
      }),
    );
    expect(token).toHaveTextContent('aigw_secret123');
    expect(
      within(token).getByRole('button', { name: 'Hide enrollment token' }),
    ).toBeInTheDocument();

    fireEvent.click(
      within(token).getByRole('button', {
        name: 'I have stored it: hide the token',
      }),
    );
    expect(screen.queryByTestId('enrollment-token')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('aigw_secret123');
    expect(issueEnrollmentToken).toHaveBeenCalledTimes(1);
  });

  it('agent: disables issuing a token without pool update permission and says why', async () => {
    const issueEnrollmentToken = jest.fn(async () => 'never');
    await render(
      agentApi({
        issueEnrollmentToken,
        getObject: async () => poolObject({ mode: 'agent' }, 'locked'),
      }),
      false,
      'locked',
    );
    const issue = await screen.findByRole('button', {
      name: 'Issue a new enrollment token',
    });
    expect(
      await screen.findByText(/You may not change pool locked/),
    ).toBeInTheDocument();
    expect(issue).toBeDisabled();
    expect(issueEnrollmentToken).not.toHaveBeenCalled();
  });

  it('gitops: lists the files, zips them under the folder to commit and says where', async () => {
    const saved = captureDownloads();
    const files = {
      'kustomization.yaml': 'resources:\n  - 00-serviceaccount.yaml\n',
      '00-serviceaccount.yaml': 'kind: ServiceAccount\n',
    };
    await render(
      agentApi({
        getObject: async () =>
          poolObject({
            mode: 'gitops',
            repoUrl: 'https://github.com/acme/fleet',
            branch: 'main',
          }),
        getGitopsFiles: async () => ({
          pool: 'prod',
          revision: 'sha256:bbbbbbbbbbbb',
          files,
        }),
      }),
    );
    const download = await screen.findByRole('button', {
      name: 'Download prod-gitops.zip',
    });
    expect(
      within(screen.getByTestId('gitops-files'))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'clusters/prod/00-serviceaccount.yaml',
      'clusters/prod/kustomization.yaml',
    ]);
    expect(screen.getByTestId('install-gitops')).toHaveTextContent(
      'Unpack it at the root of https://github.com/acme/fleet (branch main)',
    );
    fireEvent.click(download);
    expect(saved.map(s => s.name)).toEqual(['prod-gitops.zip']);
    const entries = unzipSync(await bytesOf(saved[0].blob));
    expect(Object.keys(entries).sort()).toEqual([
      'clusters/prod/00-serviceaccount.yaml',
      'clusters/prod/kustomization.yaml',
    ]);
    expect(strFromU8(entries['clusters/prod/kustomization.yaml'])).toBe(
      files['kustomization.yaml'],
    );
    // The token goes into the cluster, never into the repository.
    expect(
      await screen.findByRole('button', {
        name: 'Issue a new enrollment token',
      }),
    ).toBeInTheDocument();
  });

  it('direct: says what the control plane needs, whether the Kubernetes plugin reads the cluster, and force-syncs', async () => {
    const requestPool = jest.fn(async () => {});
    await render(
      agentApi({
        getObject: async () => poolObject({ mode: 'direct' }),
        getKubernetesClusters: async () => ['eks-prod'],
        requestPool,
      }),
    );
    const direct = await screen.findByTestId('install-direct');
    expect(direct).toHaveTextContent(
      'It needs cluster eks-prod in kubernetes.clusterLocatorMethods',
    );
    await waitFor(() =>
      expect(screen.getByTestId('kubernetes-access')).toHaveAttribute(
        'data-state',
        'readable',
      ),
    );
    const sync = within(direct).getByRole('button', { name: 'Force sync' });
    await waitFor(() => expect(sync).toBeEnabled());
    fireEvent.click(sync);
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Force sync',
      }),
    );
    await waitFor(() =>
      expect(requestPool).toHaveBeenCalledWith('prod', 'sync'),
    );
    expect(await screen.findByText('Force sync requested')).toBeInTheDocument();
  });

  it('says when the portal has no Kubernetes backend at all', async () => {
    await render(
      agentApi({
        getObject: async () => poolObject({ mode: 'direct' }),
        getKubernetesClusters: async () => undefined,
      }),
    );
    const notes = await screen.findAllByTestId('kubernetes-access');
    expect(notes[0]).toHaveTextContent('This portal has no Kubernetes backend');
  });
});
