import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type AiGatewayEvent,
  type DeployerRole,
  type LiveDiff,
  type ManifestBundle,
} from '../../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../../testUtils/fakeAiGatewayApi';
import { PoolAccessTab } from './PoolAccessTab';
import { PoolEventsTab } from './PoolEventsTab';
import { PoolManifestsTab } from './PoolManifestsTab';

const poolEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'prod', annotations: { 'ai-gateway.io/kind': 'pool' } },
  spec: { type: 'ai-gateway-pool' },
};

const render = (children: ReactNode, api: AiGatewayApi) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, api]]}>
      <EntityProvider entity={poolEntity}>{children}</EntityProvider>
    </TestApiProvider>,
  );

/** An error as the client throws it for an error answer of the backend. */
const responseError = (
  status: number,
  statusText: string,
  name: string,
  message: string,
) =>
  ResponseError.fromResponse({
    status,
    statusText,
    headers: {
      get: (h: string) =>
        h.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    text: async () =>
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
  } as unknown as Response);

const writeText = jest.fn<Promise<void>, [string]>();
beforeEach(() => {
  writeText.mockReset();
  writeText.mockResolvedValue(undefined);
  Object.defineProperty(window.navigator, 'clipboard', {
    value: { writeText },
    configurable: true,
  });
});

describe('PoolEventsTab', () => {
  const event = (
    id: number,
    action: string,
    extra: Partial<AiGatewayEvent> = {},
  ): AiGatewayEvent => ({
    id,
    kind: 'pool',
    name: 'prod',
    project: 'payments',
    action,
    actor: 'user:default/jane',
    version: 3,
    at: '2024-05-01T12:00:00.000Z',
    ...extra,
  });
  const updated = event(40, 'updated', {
    at: '2024-05-01T12:30:05.000Z',
    changes: [
      { op: 'replace', path: '/tls/mode', value: 'acme' },
      { op: 'add', path: '/domains/subdomains/mcp', value: 'tools' },
      { op: 'remove', path: '/annotations/team~1owner' },
    ],
  });
  const applied = event(41, 'applied', {
    actor: 'operator:prod',
    message: 'Applied sha256:abc (12 objects)',
  });
  const phase = event(42, 'phase-changed', {
    actor: 'control-plane',
    message: 'OutOfSync → Active',
  });
  const created = event(10, 'created', {
    version: 1,
    changes: [{ op: 'add', path: '/name', value: 'prod' }],
  });

  const rowOf = (text: string) => screen.getByText(text).closest('tr')!;
  const bodyRows = () => screen.getAllByRole('row').slice(1);

  it('lists events newest first with time, action, actor, version, message and the fields an update changed', async () => {
    // Out of order on purpose: the tab orders by id.
    await render(
      <PoolEventsTab />,
      fakeAiGatewayApi({
        listEvents: async () => ({ items: [applied, updated, phase] }),
      }),
    );
    expect(
      await screen.findByText('Events of pool prod (3 shown)'),
    ).toBeInTheDocument();
    const rows = bodyRows();
    expect(within(rows[0]).getByText('phase-changed')).toBeInTheDocument();
    expect(within(rows[1]).getByText('applied')).toBeInTheDocument();
    expect(within(rows[2]).getByText('updated')).toBeInTheDocument();

    const update = rowOf('~ tls.mode: "acme"');
    expect(
      within(update).getByText('+ domains.subdomains.mcp: "tools"'),
    ).toBeInTheDocument();
    expect(
      within(update).getByText('- annotations.team/owner'),
    ).toBeInTheDocument();
    expect(
      within(update).getByText('2024-05-01 12:30:05 UTC'),
    ).toBeInTheDocument();
    expect(within(update).getByText(/d ago$/)).toBeInTheDocument();
    expect(within(update).getByText('user:default/jane')).toBeInTheDocument();
    expect(within(update).getByText('v3')).toBeInTheDocument();
    expect(
      within(rowOf('Applied sha256:abc (12 objects)')).getByText(
        'operator:prod',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('That is the whole history (3 events).'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('filters audit events from operator events', async () => {
    await render(
      <PoolEventsTab />,
      fakeAiGatewayApi({
        listEvents: async () => ({ items: [phase, applied, updated, created] }),
      }),
    );
    await screen.findByText('Events of pool prod (4 shown)');
    fireEvent.click(screen.getByRole('button', { name: 'Audit' }));
    expect(
      await screen.findByText('Events of pool prod (2 shown)'),
    ).toBeInTheDocument();
    expect(
      bodyRows().map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(['updated', 'created']);
    fireEvent.click(screen.getByRole('button', { name: 'Operator' }));
    expect(
      await screen.findByText('Events of pool prod (2 shown)'),
    ).toBeInTheDocument();
    expect(
      bodyRows().map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(['phase-changed', 'applied']);
    fireEvent.click(screen.getByRole('button', { name: 'All' }));
    expect(
      await screen.findByText('Events of pool prod (4 shown)'),
    ).toBeInTheDocument();
  });

  it('says when a filter matches none of the loaded events and more can be loaded', async () => {
    await render(
      <PoolEventsTab />,
      fakeAiGatewayApi({
        listEvents: async () => ({ items: [phase], nextCursor: 'MQ' }),
      }),
    );
    await screen.findByText('Events of pool prod (1 shown)');
    fireEvent.click(screen.getByRole('button', { name: 'Audit' }));
    expect(
      await screen.findByText(
        'No audit events among the 1 loaded: load more to look further back.',
      ),
    ).toBeInTheDocument();
  });

  it('loads older pages with the cursor until there are no more, and retries a failed page', async () => {
    const listEvents = jest
      .fn<
        ReturnType<AiGatewayApi['listEvents']>,
        Parameters<AiGatewayApi['listEvents']>
      >()
      .mockResolvedValueOnce({ items: [phase, applied], nextCursor: 'NDE' })
      .mockRejectedValueOnce(
        await responseError(
          503,
          'Service Unavailable',
          'Error',
          'database is restarting',
        ),
      )
      .mockResolvedValueOnce({ items: [updated], nextCursor: 'NDA' })
      .mockResolvedValueOnce({ items: [created] });
    await render(<PoolEventsTab />, fakeAiGatewayApi({ listEvents }));
    expect(
      await screen.findByText('Events of pool prod (2 shown)'),
    ).toBeInTheDocument();
    expect(listEvents).toHaveBeenLastCalledWith('pools', 'prod');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText(
        'Older events could not be loaded: database is restarting',
      ),
    ).toBeInTheDocument();
    expect(listEvents).toHaveBeenLastCalledWith('pools', 'prod', 'NDE');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText('Events of pool prod (3 shown)'),
    ).toBeInTheDocument();
    expect(listEvents).toHaveBeenLastCalledWith('pools', 'prod', 'NDE');
    expect(
      screen.queryByText(/Older events could not be loaded/),
    ).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText('Events of pool prod (4 shown)'),
    ).toBeInTheDocument();
    expect(listEvents).toHaveBeenLastCalledWith('pools', 'prod', 'NDA');
    expect(
      bodyRows().map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(['phase-changed', 'applied', 'updated', 'created']);
    expect(
      screen.getByText('That is the whole history (4 events).'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    expect(listEvents).toHaveBeenCalledTimes(4);
  });

  it('shows an empty state for a pool without events', async () => {
    await render(
      <PoolEventsTab />,
      fakeAiGatewayApi({ listEvents: async () => ({ items: [] }) }),
    );
    expect(await screen.findByText('No events yet')).toBeInTheDocument();
  });

  it('says clearly when the events cannot be loaded', async () => {
    await render(
      <PoolEventsTab />,
      fakeAiGatewayApi({
        listEvents: async () => {
          throw new Error('Failed to fetch');
        },
      }),
    );
    expect(
      await screen.findByText(/The pool's events could not be loaded/),
    ).toBeInTheDocument();
  });
});

describe('PoolManifestsTab', () => {
  const revision = 'sha256:0123abcd4567ef';
  const object = (kind: string, name: string, apiVersion = 'apps/v1') => ({
    apiVersion,
    kind,
    metadata: { name, namespace: 'aigw' },
  });
  const bundle: ManifestBundle = {
    pool: 'prod',
    namespace: 'aigw',
    renderer: 'agentgateway',
    revision,
    objects: [
      object('Service', 'gw', 'v1'),
      object('Deployment', 'mcp-github'),
      object('Deployment', 'mcp-jira'),
    ],
    warnings: [
      'TLS mode custom is not supported by agentgateway; the listener is plain HTTP',
    ],
    kinds: [],
  };
  const yaml = `# AI Gateway for Backstage: pool prod (agentgateway)\n# revision: ${revision}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gw\n`;
  const diff = (
    d: Partial<LiveDiff['diff']>,
    extra: Partial<LiveDiff> = {},
  ): LiveDiff => ({
    pool: 'prod',
    revision,
    against: 'cluster',
    diff: { added: [], changed: [], removed: [], unchanged: 0, ...d },
    ...extra,
  });
  const api = (overrides: Partial<AiGatewayApi> = {}) =>
    fakeAiGatewayApi({
      getManifests: async () => bundle,
      getManifestsYaml: async () => ({ revision, yaml }),
      ...overrides,
    });

  it('shows the revision, objects by kind, warnings and the YAML', async () => {
    await render(<PoolManifestsTab />, api());
    expect(await screen.findByTestId('manifests-revision')).toHaveTextContent(
      'Revision 0123abcd · renderer agentgateway · namespace aigw',
    );
    expect(screen.getByTestId('manifests-count')).toHaveTextContent(
      '3 objects',
    );
    expect(screen.getByTestId('kind-count-Deployment')).toHaveTextContent(
      'Deployment × 2',
    );
    expect(screen.getByTestId('kind-count-Service')).toHaveTextContent(
      'Service × 1',
    );
    expect(screen.getByTestId('manifests-warnings')).toHaveTextContent(
      '1 thing the renderer could not express',
    );
    expect(screen.getByTestId('manifests-warnings')).toHaveTextContent(
      'TLS mode custom is not supported',
    );
    await waitFor(() =>
      expect(screen.getByTestId('manifests-yaml')).toHaveTextContent(
        'kind: Service',
      ),
    );
    expect(screen.getByTestId('manifests-yaml')).toHaveTextContent(
      `# revision: ${revision}`,
    );
  });

  it('copies the YAML and says so, or says when the browser refuses', async () => {
    await render(<PoolManifestsTab />, api());
    fireEvent.click(await screen.findByTestId('copy-manifests'));
    expect(
      await screen.findByText('Copied to the clipboard'),
    ).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(yaml);
    writeText.mockRejectedValueOnce(new Error('NotAllowedError'));
    fireEvent.click(screen.getByTestId('copy-manifests'));
    expect(
      await screen.findByText(/The browser did not allow copying/),
    ).toBeInTheDocument();
  });

  it('downloads the YAML as <pool>-<short revision>.yaml', async () => {
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:manifests';
    });
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: Array<{ href: string; download: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push({ href: this.href, download: this.download });
      });
    try {
      await render(<PoolManifestsTab />, api());
      fireEvent.click(
        await screen.findByRole('button', {
          name: 'Download prod-0123abcd.yaml',
        }),
      );
      expect(clicked).toEqual([
        { href: 'blob:manifests', download: 'prod-0123abcd.yaml' },
      ]);
      expect(blobs[0].type).toBe('application/yaml');
      expect(await blobs[0].text()).toBe(yaml);
      await waitFor(() =>
        expect(revokeObjectURL).toHaveBeenCalledWith('blob:manifests'),
      );
    } finally {
      click.mockRestore();
    }
  });

  it('diffs against the live cluster on demand: counts and each changed object', async () => {
    const diffLive = jest.fn(async () =>
      diff({
        added: [
          {
            ref: 'Deployment/mcp-jira',
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'mcp-jira',
            patch: [{ op: 'add', path: '', value: {} }],
          },
        ],
        changed: [
          {
            ref: 'Deployment/mcp-github',
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'mcp-github',
            patch: [
              { op: 'replace', path: '/spec/replicas', value: 2 },
              {
                op: 'add',
                path: '/spec/template/spec/containers/0/env/1',
                value: { name: 'LOG', value: 'debug' },
              },
            ],
          },
        ],
        removed: [
          {
            ref: 'ConfigMap/old',
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'old',
            patch: [{ op: 'remove', path: '' }],
          },
        ],
        unchanged: 5,
      }),
    );
    await render(<PoolManifestsTab />, api({ diffLive }));
    await screen.findByTestId('manifests-revision');
    expect(diffLive).not.toHaveBeenCalled();
    fireEvent.click(
      screen.getByRole('button', { name: 'Diff against live cluster' }),
    );
    expect(await screen.findByTestId('diff-result')).toHaveTextContent(
      'Compared with the objects in the cluster (direct delivery).',
    );
    expect(diffLive).toHaveBeenCalledWith('prod');
    expect(screen.getByTestId('diff-count-create')).toHaveTextContent(
      '1 to create',
    );
    expect(screen.getByTestId('diff-count-update')).toHaveTextContent(
      '1 to update',
    );
    expect(screen.getByTestId('diff-count-delete')).toHaveTextContent(
      '1 to delete',
    );
    expect(screen.getByTestId('diff-count-unchanged')).toHaveTextContent(
      '5 unchanged',
    );
    const changed = screen.getByTestId('diff-object-Deployment/mcp-github');
    expect(changed).toHaveTextContent('update Deployment/mcp-github');
    expect(within(changed).getByText('~ spec.replicas: 2')).toBeInTheDocument();
    expect(
      within(changed).getByText(
        '+ spec.template.spec.containers[0].env[1]: {"name":"LOG","value":"debug"}',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('diff-object-Deployment/mcp-jira'),
    ).toHaveTextContent('create Deployment/mcp-jira');
    expect(screen.getByTestId('diff-object-ConfigMap/old')).toHaveTextContent(
      'delete ConfigMap/old',
    );
    expect(screen.getByTestId('diff-object-ConfigMap/old')).toHaveTextContent(
      'it will be pruned',
    );
    // A second look asks again.
    fireEvent.click(screen.getByRole('button', { name: 'Diff again' }));
    await waitFor(() => expect(diffLive).toHaveBeenCalledTimes(2));
  });

  it('says there is nothing to change when the cluster matches', async () => {
    await render(
      <PoolManifestsTab />,
      api({ diffLive: async () => diff({ unchanged: 3 }) }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Diff against live cluster' }),
    );
    expect(await screen.findByTestId('diff-nothing')).toHaveTextContent(
      'Nothing to change: applying revision 0123abcd would leave every object as it is.',
    );
    expect(screen.getByTestId('diff-count-unchanged')).toHaveTextContent(
      '3 unchanged',
    );
    expect(screen.getByTestId('diff-count-update')).toHaveTextContent(
      '0 to update',
    );
  });

  it('explains what an agent pool is compared with', async () => {
    await render(
      <PoolManifestsTab />,
      api({
        diffLive: async () =>
          diff(
            { unchanged: 3 },
            {
              against: 'running-revision',
              runningRevision: 'sha256:feedbeef99',
            },
          ),
      }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Diff against live cluster' }),
    );
    expect(await screen.findByTestId('diff-result')).toHaveTextContent(
      'compares with revision feedbeef, which the operator last reported running, not with the cluster itself',
    );
  });

  it('explains when there is no cluster to compare with, and when it cannot be reached', async () => {
    const diffLive = jest
      .fn<Promise<LiveDiff>, [string]>()
      .mockRejectedValueOnce(
        await responseError(
          400,
          'Bad Request',
          'InputError',
          "cluster 'eks' is not in kubernetes.clusterLocatorMethods (known: none); direct delivery needs it",
        ),
      )
      .mockRejectedValueOnce(
        await responseError(
          500,
          'Internal Server Error',
          'Error',
          'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6443',
        ),
      );
    await render(<PoolManifestsTab />, api({ diffLive }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Diff against live cluster' }),
    );
    const unavailable = await screen.findByTestId('diff-unavailable');
    expect(unavailable).toHaveTextContent('No cluster to compare with');
    expect(unavailable).toHaveTextContent(
      "cluster 'eks' is not in kubernetes.clusterLocatorMethods",
    );
    // The bundle is still there.
    expect(screen.getByTestId('manifests-count')).toHaveTextContent(
      '3 objects',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Diff again' }));
    await waitFor(() =>
      expect(screen.getByTestId('diff-unavailable')).toHaveTextContent(
        'The cluster could not be reached',
      ),
    );
    expect(screen.getByTestId('diff-unavailable')).toHaveTextContent(
      'ECONNREFUSED',
    );
  });

  it('says clearly when the manifests cannot be loaded', async () => {
    await render(
      <PoolManifestsTab />,
      api({
        getManifests: async () => {
          throw await responseError(
            503,
            'Service Unavailable',
            'Error',
            'backend down',
          );
        },
      }),
    );
    expect(
      await screen.findByText(/The pool's manifests could not be loaded/),
    ).toBeInTheDocument();
  });

  it('shows an empty state when the pool renders nothing', async () => {
    await render(
      <PoolManifestsTab />,
      api({
        getManifests: async () => ({ ...bundle, objects: [], warnings: [] }),
      }),
    );
    expect(
      await screen.findByText('The pool renders no objects'),
    ).toBeInTheDocument();
  });
});

describe('PoolAccessTab', () => {
  const rbac = {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles'],
    verbs: ['get', 'create', 'update', 'patch'],
  };
  const role = (withRbac = true): DeployerRole => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'aigateway-deployer', namespace: 'aigw-prod' },
    rules: [
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'create'],
      },
      ...(withRbac ? [rbac] : []),
    ],
  });
  const roleYaml =
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: aigateway-deployer\n  namespace: aigw-prod\n';
  const api = (overrides: Partial<AiGatewayApi> = {}, mode = 'agent') =>
    fakeAiGatewayApi({
      getDeployerRole: async () => role(),
      getDeployerRoleYaml: async () => roleYaml,
      getObject: async () => ({
        kind: 'pool',
        name: 'prod',
        project: 'payments',
        version: 1,
        createdAt: '',
        createdBy: '',
        updatedAt: '',
        updatedBy: '',
        spec: { delivery: { mode } },
      }),
      ...overrides,
    });

  it('shows the Role as YAML, who needs it, and the commands to bind it with the actual names', async () => {
    await render(<PoolAccessTab />, api());
    const explanation = await screen.findByTestId('deployer-explanation');
    expect(explanation).toHaveTextContent(
      'needs Role aigateway-deployer in namespace aigw-prod',
    );
    expect(explanation).toHaveTextContent(
      "the operator's ServiceAccount, Roles and RoleBindings",
    );
    expect(
      screen.queryByTestId('deployer-pool-provided-sa'),
    ).not.toBeInTheDocument();
    expect(screen.queryByTestId('deployer-direct')).not.toBeInTheDocument();
    expect(
      screen.getByText('Role aigateway-deployer (2 rules)'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('deployer-role-yaml')).toHaveTextContent(
        'namespace: aigw-prod',
      ),
    );
    await waitFor(() =>
      expect(screen.getByTestId('deployer-commands')).toHaveTextContent(
        'kubectl create rolebinding aigateway-deployer-<user> --role=aigateway-deployer --user=<user> --namespace=aigw-prod',
      ),
    );
    expect(screen.getByTestId('deployer-commands')).toHaveTextContent(
      'kubectl apply -f prod-deployer-role.yaml',
    );

    fireEvent.change(screen.getByTestId('deployer-subject'), {
      target: { value: 'Jane@Example.com' },
    });
    await waitFor(() =>
      expect(screen.getByTestId('deployer-commands')).toHaveTextContent(
        'kubectl create rolebinding aigateway-deployer-jane-example.com --role=aigateway-deployer --user=Jane@Example.com --namespace=aigw-prod',
      ),
    );
    expect(screen.getByTestId('deployer-commands')).toHaveTextContent(
      'kubectl delete rolebinding aigateway-deployer-jane-example.com --namespace=aigw-prod',
    );

    fireEvent.change(screen.getByTestId('deployer-subject-kind'), {
      target: { value: 'group' },
    });
    fireEvent.change(screen.getByTestId('deployer-subject'), {
      target: { value: 'platform-team' },
    });
    await waitFor(() =>
      expect(screen.getByTestId('deployer-commands')).toHaveTextContent(
        '--role=aigateway-deployer --group=platform-team --namespace=aigw-prod',
      ),
    );

    fireEvent.click(screen.getByTestId('copy-commands'));
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        expect.stringContaining(
          'kubectl create rolebinding aigateway-deployer-platform-team --role=aigateway-deployer --group=platform-team --namespace=aigw-prod',
        ),
      ),
    );
    fireEvent.click(screen.getByTestId('copy-role'));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(roleYaml));
  });

  it('explains the smaller Role of a pool with a pool-provided ServiceAccount', async () => {
    await render(
      <PoolAccessTab />,
      api({ getDeployerRole: async () => role(false) }),
    );
    expect(
      await screen.findByTestId('deployer-pool-provided-sa'),
    ).toHaveTextContent(
      'needs no right to create ServiceAccounts, Roles or RoleBindings',
    );
    expect(screen.getByTestId('deployer-explanation')).not.toHaveTextContent(
      "operator's ServiceAccount",
    );
  });

  it('says that a directly delivered pool needs no installer', async () => {
    await render(<PoolAccessTab />, api({}, 'direct'));
    expect(await screen.findByTestId('deployer-direct')).toHaveTextContent(
      'nobody needs this Role',
    );
  });

  it('says clearly when the Role cannot be loaded', async () => {
    await render(
      <PoolAccessTab />,
      api({
        getDeployerRole: async () => {
          throw await responseError(
            404,
            'Not Found',
            'NotFoundError',
            "Pool 'prod' not found",
          );
        },
      }),
    );
    expect(
      await screen.findByText(/The deployer Role could not be loaded/),
    ).toBeInTheDocument();
  });
});
