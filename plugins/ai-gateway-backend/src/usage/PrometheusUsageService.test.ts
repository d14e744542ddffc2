import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { PrometheusClient, PrometheusSample } from './PrometheusClient';
import {
  histogramQuantile,
  PrometheusUsageService,
} from './PrometheusUsageService';
import type { UsageQuery } from './UsageService';

/** A PrometheusClient that answers every instant query with `samples` and records the queries. */
function fakeClient(url: string, samples: PrometheusSample[]) {
  const queries: string[] = [];
  const client = {
    url,
    query: jest.fn(async (expr: string) => {
      queries.push(expr);
      return samples;
    }),
    queryRange: jest.fn(),
  };
  return { client: client as unknown as PrometheusClient, queries };
}

const window = { start: new Date(1_000_000), end: new Date(4_600_000) };
const pool = { name: 'p1', namespace: 'ns', cluster: 'eu' };

describe('PrometheusUsageService', () => {
  it('asks the Prometheus of the pool cluster, filtered to the pool gateway', async () => {
    const global = fakeClient('http://global', []);
    const eu = fakeClient('http://eu', [{ metric: { team: 't' }, value: 5 }]);
    const service = new PrometheusUsageService({
      global: global.client,
      clusters: { eu: eu.client },
    });
    const totals = await service.getTotals({
      ...window,
      pool,
      groupBy: ['team'],
      measures: ['inputTokens'],
    });
    expect(totals.rows).toEqual([
      { group: { team: 't' }, values: { inputTokens: 5 } },
    ]);
    expect(global.queries).toEqual([]);
    expect(eu.queries[0]).toContain(
      'agentgateway_gen_ai_client_token_usage_sum{gen_ai_token_type="input",gateway="ns/p1"}',
    );
    expect(eu.queries[0]).toMatch(/^sum by \(team\) \(/);
    expect(service.getStatus({ ...pool, cluster: 'us' })).toEqual({
      configured: true,
      prometheusUrls: ['http://global'],
    });
  });

  it('adds up the answers of every Prometheus when no pool is given', async () => {
    const global = fakeClient('http://global', [
      { metric: { team: 't' }, value: 0.1 },
    ]);
    const eu = fakeClient('http://eu', [
      { metric: { team: 't' }, value: 0.2 },
      { metric: {}, value: 1 },
    ]);
    const service = new PrometheusUsageService({
      global: global.client,
      clusters: { eu: eu.client, eu2: eu.client },
    });
    const totals = await service.getTotals({
      ...window,
      groupBy: ['team'],
      measures: ['costUsd'],
    });
    expect(totals.rows).toEqual([
      { group: { team: 't' }, values: { costUsd: 0.3 } },
      { group: { team: 'unknown' }, values: { costUsd: 1 } },
    ]);
    // eu and eu2 share one Prometheus: asked once.
    expect(eu.queries).toHaveLength(1);
  });

  it('adds up a long window from pieces and reads closed pieces once', async () => {
    const prometheus = fakeClient('http://p', [
      { metric: { team: 't' }, value: 2 },
    ]);
    const now = Date.parse('2026-11-30T10:30:00Z');
    const service = new PrometheusUsageService({
      global: prometheus.client,
      now: () => now,
    });
    const query: UsageQuery = {
      start: new Date(now - 30 * 86_400_000),
      end: new Date(now),
      groupBy: ['team'],
      measures: ['mcpCalls'],
    };
    const first = await service.getTotals(query);
    // 10:30 -> 11:00, 13 hours, 29 days, 10 hours, 10:00 -> 10:30.
    const pieces = 1 + 13 + 29 + 10 + 1;
    expect(prometheus.queries).toHaveLength(pieces);
    expect(first.rows).toEqual([
      { group: { team: 't' }, values: { mcpCalls: 2 * pieces } },
    ]);
    // Each piece is asked about its own window, evaluated at its end.
    const day = (iso: string) => Date.parse(iso) / 1000;
    expect(
      prometheus.queries.filter(q =>
        q.includes(`[86400000ms] @ ${day('2026-11-02T00:00:00Z')}`),
      ),
    ).toHaveLength(1);
    const second = await service.getTotals(query);
    expect(second).toEqual(first);
    // Only the piece that has not closed (ended less than 10 minutes ago) is read again.
    expect(prometheus.queries).toHaveLength(pieces + 1);
  });

  it('merges histogram buckets across sources before taking the quantile', async () => {
    const a = fakeClient('http://a', [
      { metric: { le: '1' }, value: 10 },
      { metric: { le: '2' }, value: 10 },
      { metric: { le: '+Inf' }, value: 10 },
    ]);
    const b = fakeClient('http://b', [
      { metric: { le: '1' }, value: 0 },
      { metric: { le: '2' }, value: 10 },
      { metric: { le: '+Inf' }, value: 10 },
    ]);
    const service = new PrometheusUsageService({
      clusters: { a: a.client, b: b.client },
    });
    const totals = await service.getTotals({
      ...window,
      measures: ['requestLatencyP50'],
    });
    // 20 observations: 10 in (0, 1], 10 in (1, 2]; the median is the top of the first bucket.
    expect(totals.rows).toEqual([
      { group: {}, values: { requestLatencyP50: 1 } },
    ]);
    expect(a.queries[0]).toMatch(
      /^sum by \(le\) \(increase\(agentgateway_request_duration_seconds_bucket\{\}\[3600000ms\] @ 4600\)\)$/,
    );
  });

  it('selects MCP tools by resource type and refuses dimensions a measure lacks', async () => {
    const eu = fakeClient('http://eu', []);
    const service = new PrometheusUsageService({ global: eu.client });
    await service.getTotals({
      ...window,
      groupBy: ['tool'],
      filter: { team: 'a"b' },
      measures: ['mcpCalls'],
    });
    expect(eu.queries[0]).toContain(
      'agentgateway_mcp_requests_total{team="a\\"b",resource_type="tool"}',
    );
    const wrong = service.getTotals({
      ...window,
      groupBy: ['tool'],
      measures: ['inputTokens'],
    });
    await expect(wrong).rejects.toThrow(
      new InputError('groupBy tool does not apply to measure inputTokens'),
    );
  });

  it.each<[Partial<UsageQuery>, string]>([
    [{ end: window.start }, 'end must be after start'],
    [
      { start: new Date(0), end: new Date(91 * 86_400_000) },
      'the range from start to end must be at most 90 days',
    ],
    [{ measures: [] }, 'measures must name at least one measure'],
    [{ measures: ['tokens' as any] }, 'measures: unknown measure tokens'],
    [{ groupBy: ['user' as any] }, 'groupBy: unknown dimension user'],
    [{ filter: { team: '' } }, 'filter.team must be a non-empty string'],
  ])('refuses %p', async (change, message) => {
    const service = new PrometheusUsageService({
      global: fakeClient('http://x', []).client,
    });
    const query = {
      ...window,
      measures: ['requests'],
      ...change,
    } as UsageQuery;
    await expect(service.getTotals(query)).rejects.toThrow(
      new InputError(message),
    );
  });

  it('says what to configure when no Prometheus is configured', async () => {
    const service = new PrometheusUsageService({ clusters: {} });
    expect(service.getStatus(pool)).toEqual({
      configured: false,
      message:
        'No Prometheus is configured for cluster eu: set aiGateway.metrics.prometheus.url, or aiGateway.metrics.clusters.eu.prometheus.url',
    });
    await expect(
      service.getTotals({ ...window, pool, measures: ['requests'] }),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('tiles the window with steps and places the range points', async () => {
    const stepStart = window.start.getTime() / 1000;
    const client = {
      url: 'http://x',
      query: jest.fn(),
      queryRange: jest.fn(
        async (_e: string, start: Date, end: Date, _step: number) => [
          {
            metric: { team: 't' },
            values: [
              [start.getTime() / 1000, 3],
              [end.getTime() / 1000, 4],
            ],
          },
        ],
      ),
    };
    const service = new PrometheusUsageService({
      global: client as unknown as PrometheusClient,
      minStepSeconds: 15,
    });
    const series = await service.getTimeSeries({
      ...window,
      groupBy: ['team'],
      measures: ['requests'],
      maxPoints: 100,
    });
    expect(series.stepSeconds).toBe(60);
    expect(series.timestamps).toHaveLength(60);
    expect(series.timestamps[0]).toBe((stepStart + 60) * 1000);
    expect(series.timestamps[59]).toBe(window.end.getTime());
    const points = series.rows[0].values.requests!;
    expect(points[0]).toBe(3);
    expect(points[59]).toBe(4);
    expect(points.filter(p => p === null)).toHaveLength(58);
    expect(client.queryRange.mock.calls[0][3]).toBe(60);
  });
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket as PromQL does', () => {
    const buckets = [
      { le: 0.1, count: 0 },
      { le: 0.2, count: 4 },
      { le: Infinity, count: 4 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.15, 12);
    expect(histogramQuantile(1, buckets)).toBeCloseTo(0.2, 12);
  });

  it('takes the highest finite bound for the +Inf bucket and nothing without observations', () => {
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(1);
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeUndefined();
    expect(histogramQuantile(0.5, [{ le: 1, count: 3 }])).toBeUndefined();
  });
});
