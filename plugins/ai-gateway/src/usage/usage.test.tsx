import { identityApiRef } from '@backstage/core-plugin-api';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import aiGatewayPlugin from '../alpha';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
  type UsageRequest,
  type UsageTimeSeriesResponse,
  type UsageTotalsResponse,
} from '../api/AiGatewayApi';
import { UsageCard } from '../entity/UsageCard';
import { fakeAiGatewayApi } from '../testUtils/fakeAiGatewayApi';
import { UsagePage } from './UsagePage';

const entity = (kind: string, name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: kind === 'project' ? 'System' : 'Resource',
  metadata: { name, annotations: { 'ai-gateway.io/kind': kind } },
  spec: { owner: 'group:default/team-payments' },
});

// Charts and tables render slowly on a busy machine: wait for them longer than by default.
jest.setTimeout(30_000);
const LOADED = { timeout: 10_000 };

const NOW = Date.parse('2026-05-10T12:00:00Z');

/** Totals with the values given for every measure asked, in one row. */
const totalsOf = (
  values: Record<string, number>,
  request: UsageRequest,
): UsageTotalsResponse => ({
  from: '2026-05-09T12:00:00.000Z',
  to: '2026-05-10T12:00:00.000Z',
  rows: Object.keys(values).length
    ? [
        {
          group: {},
          values: Object.fromEntries(
            request
              .measures!.split(',')
              .filter(m => m in values)
              .map(m => [m, values[m]]),
          ),
        },
      ]
    : [],
});

/** Two steps, one row per group of the first groupBy dimension. */
const seriesOf = (
  request: UsageRequest,
  groups: string[],
): UsageTimeSeriesResponse => ({
  from: '2026-05-09T12:00:00.000Z',
  to: '2026-05-10T12:00:00.000Z',
  stepSeconds: 43200,
  timestamps: [NOW - 43_200_000, NOW],
  rows: (request.groupBy ? groups : ['']).map((g, i) => ({
    group: request.groupBy ? { [request.groupBy.split(',')[0]]: g } : {},
    values: Object.fromEntries(
      request.measures!.split(',').map(m => [m, [10 * (i + 1), 5]]),
    ),
  })),
});

function fakeUsageApi(options: {
  configured?: boolean;
  totals?: Record<string, number>;
}) {
  const calls: Array<{ what: string; request: UsageRequest }> = [];
  const api = fakeAiGatewayApi({
    getUsageStatus: async () =>
      options.configured === false
        ? {
            configured: false,
            message:
              'Usage needs a Prometheus that scrapes the gateways: set aiGateway.metrics.prometheus.url in app-config.yaml.',
          }
        : { configured: true },
    getUsageTotals: async request => {
      calls.push({ what: 'totals', request });
      return totalsOf(options.totals ?? {}, request);
    },
    getUsageTimeSeries: async request => {
      calls.push({ what: 'timeseries', request });
      return seriesOf(request, ['gpt-4o', 'claude-sonnet']);
    },
    getUsageCsv: async (what, request) => {
      calls.push({ what: `csv-${what}`, request });
      return 'project,inputTokens\r\npayments,1200\r\n';
    },
    listObjects: async () => [
      {
        kind: 'project',
        name: 'payments',
        project: 'payments',
        version: 1,
        createdAt: '',
        createdBy: '',
        updatedAt: '',
        updatedBy: '',
        spec: { owner: 'group:default/team-payments' },
      },
    ],
  });
  return { api, calls };
}

const TRAFFIC = {
  inputTokens: 1200,
  outputTokens: 300,
  costUsd: 1.5,
  requests: 200,
  errors: 10,
  requestLatencyP95: 0.25,
  mcpCalls: 40,
};

function renderWith(api: AiGatewayApi, children: ReactNode) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [aiGatewayApiRef, api],
        [
          identityApiRef,
          {
            getBackstageIdentity: async () => ({
              type: 'user' as const,
              userEntityRef: 'user:default/pat',
              ownershipEntityRefs: [
                'user:default/pat',
                'group:default/team-payments',
              ],
            }),
          },
        ],
      ]}
    >
      {children}
    </TestApiProvider>,
  );
}

async function chooseRange(label: string) {
  fireEvent.mouseDown(screen.getByRole('button', { name: /time range/i }));
  fireEvent.click(await screen.findByRole('option', { name: label }));
}

describe('the usage card', () => {
  it('shows the totals of the object over the last 24 hours', async () => {
    const { api, calls } = fakeUsageApi({ totals: TRAFFIC });
    await renderWith(
      api,
      <EntityProvider entity={entity('aiBackend', 'llm')}>
        <UsageCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('1.2K', undefined, LOADED),
    ).toBeInTheDocument();
    expect(screen.getByText('$1.50')).toBeInTheDocument();
    // 10 errors of 200 requests.
    expect(screen.getByText('5 %')).toBeInTheDocument();
    expect(screen.getByText('250 ms')).toBeInTheDocument();
    expect(calls[0]).toEqual({
      what: 'totals',
      request: expect.objectContaining({ aiBackend: 'llm', range: '24h' }),
    });
    expect(calls[1].request).toMatchObject({
      aiBackend: 'llm',
      groupBy: 'model',
    });
    // The chart has a text alternative, and a table of the same numbers.
    expect(
      screen.getByRole('img', {
        name: /Tokens by model\. Total 80; largest: claude-sonnet 50, gpt-4o 30\./,
      }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Show table/ }));
    expect(await screen.findByText('gpt-4o')).toBeInTheDocument();
  });

  it('asks again when the range changes', async () => {
    const { api, calls } = fakeUsageApi({ totals: TRAFFIC });
    await renderWith(
      api,
      <EntityProvider entity={entity('project', 'payments')}>
        <UsageCard />
      </EntityProvider>,
    );
    await screen.findByText('1.2K', undefined, LOADED);
    await chooseRange('Last 7 days');
    await waitFor(() =>
      expect(calls.some(c => c.request.range === '7d')).toBe(true),
    );
    expect(
      calls.filter(c => c.request.range === '7d').map(c => c.request.project),
    ).toEqual(['payments', 'payments']);
  });

  it('says what to configure when no metrics source is configured', async () => {
    const { api, calls } = fakeUsageApi({ configured: false });
    await renderWith(
      api,
      <EntityProvider entity={entity('pool', 'shared')}>
        <UsageCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No metrics source is configured'),
    ).toBeInTheDocument();
    // The backend's words, once.
    expect(
      screen.getAllByText(/aiGateway\.metrics\.prometheus\.url/),
    ).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('says so when there was no traffic', async () => {
    const { api } = fakeUsageApi({ totals: {} });
    await renderWith(
      api,
      <EntityProvider entity={entity('mcpServer', 'github')}>
        <UsageCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(
        /No traffic through MCP server github in the last 24 hours/,
      ),
    ).toBeInTheDocument();
  });

  it('downloads the totals as CSV from the REST API', async () => {
    const saved: Array<{ name: string; blob: Blob }> = [];
    let created: Blob | undefined;
    (URL as any).createObjectURL = jest.fn((blob: Blob) => {
      created = blob;
      return 'blob:test';
    });
    (URL as any).revokeObjectURL = jest.fn();
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        saved.push({ name: this.download, blob: created! });
      });
    const { api, calls } = fakeUsageApi({ totals: TRAFFIC });
    await renderWith(
      api,
      <EntityProvider entity={entity('mcpServer', 'github')}>
        <UsageCard />
      </EntityProvider>,
    );
    await screen.findByText('1.2K', undefined, LOADED);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].name).toBe('usage-github-24h.csv');
    expect(saved[0].blob.type).toBe('text/csv');
    expect(await saved[0].blob.text()).toBe(
      'project,inputTokens\r\npayments,1200\r\n',
    );
    expect(calls.find(c => c.what === 'csv-totals')!.request).toMatchObject({
      mcpServer: 'github',
      range: '24h',
    });
    click.mockRestore();
  });
});

describe('the usage page', () => {
  it("shows the user's team, its totals and charts, and asks again for another range", async () => {
    const { api, calls } = fakeUsageApi({ totals: TRAFFIC });
    await renderWith(api, <UsagePage />);
    expect(
      await screen.findByText('1.2K', undefined, LOADED),
    ).toBeInTheDocument();
    expect(calls[0].request).toMatchObject({
      team: 'group:default/team-payments',
      range: '24h',
    });
    expect(
      screen.getByRole('img', { name: /Input tokens by model/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: /MCP calls by tool\. claude-sonnet 25, gpt-4o 15\./,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /Request latency percentiles/ }),
    ).toBeInTheDocument();
    await chooseRange('Last 90 days');
    await waitFor(() =>
      expect(calls.some(c => c.request.range === '90d')).toBe(true),
    );
  });

  it('breaks tokens and cost down by what is chosen', async () => {
    const { api, calls } = fakeUsageApi({ totals: TRAFFIC });
    await renderWith(api, <UsagePage />);
    await screen.findByText('1.2K', undefined, LOADED);
    fireEvent.mouseDown(screen.getByRole('button', { name: /break down by/i }));
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText('Consumer'),
    );
    await waitFor(() =>
      expect(
        calls.some(
          c => c.what === 'timeseries' && c.request.groupBy === 'consumer',
        ),
      ).toBe(true),
    );
    expect(
      await screen.findByRole('img', { name: /Cost \(USD\) by consumer/ }),
    ).toBeInTheDocument();
  });

  it('says what to configure when no metrics source is configured', async () => {
    const { api } = fakeUsageApi({ configured: false });
    await renderWith(api, <UsagePage />);
    expect(
      await screen.findByText('No metrics source is configured'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Export totals/ }),
    ).not.toBeInTheDocument();
  });
});

describe('usage extensions of the new frontend system', () => {
  const plugin = aiGatewayPlugin as any;

  it('shows the usage card on projects, pools, AI backends and MCP servers only', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:ai-gateway/usage'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction) as (
      e: object,
    ) => boolean;
    for (const kind of ['project', 'pool', 'mcpServer', 'aiBackend'])
      expect(filter(entity(kind, 'x'))).toBe(true);
    expect(filter({ ...entity('pool', 'x'), metadata: { name: 'x' } })).toBe(
      false,
    );
    expect(
      createExtensionTester(
        plugin.getExtension('entity-card:ai-gateway/usage'),
      ).get(EntityCardBlueprint.dataRefs.type),
    ).toBe('content');
  });

  it('mounts the usage page under the AI Gateway page', () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:ai-gateway/usage'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/ai-gateway/usage');
  });
});
