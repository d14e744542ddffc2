import {
  eventually,
  prometheusAvailable,
  startAgentgatewayMetricsExporter,
  startTestPrometheus,
  type AgentgatewayMetricsExporter,
  type TestPrometheus,
  type SyntheticLlmRequest,
  type SyntheticMcpCall,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusUsageService } from './PrometheusUsageService';
import type { UsageTotalsRow } from './UsageService';

/**
 * Usage read from a real Prometheus (Debian's, started by
 * the test kit's startTestPrometheus) scraping synthetic agentgateway metrics every
 * second: the totals must be exact to the token and the cent.
 */

// In CI the test kit installs Prometheus; elsewhere the test needs it installed.
const runs = prometheusAvailable();
const describeWithPrometheus = runs ? describe : describe.skip;
if (!runs) {
  // eslint-disable-next-line no-console
  console.warn(
    'UsageService.prometheus.test skipped: no Prometheus (apt-get install prometheus, or set AIGW_PROMETHEUS to its binary; CI=true installs it)',
  );
}

const POOL = { name: 'pool-eu', namespace: 'aigw-eu', cluster: 'eu' };
const GATEWAY = `${POOL.namespace}/${POOL.name}`;
const OTHER_GATEWAY = 'aigw-us/pool-us';
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const TEAM_C = 'group:default/team-c';
// A label value PromQL must escape: quote, backslash and a newline.
const ODD_CONSUMER = 'svc "robot"\\n\nline2';

const base = { gateway: GATEWAY, route: 'aigw-eu/ai-openai' };
const llmTick: SyntheticLlmRequest[] = [
  {
    ...base,
    project: 'shop',
    team: TEAM_A,
    consumer: 'alice',
    model: 'gpt-4o',
    inputTokens: 1200,
    outputTokens: 345,
    costUsd: 0.0123,
    durationSeconds: 0.3,
  },
  {
    ...base,
    project: 'shop',
    team: TEAM_A,
    consumer: 'bob',
    model: 'claude-sonnet',
    inputTokens: 800,
    outputTokens: 200,
    costUsd: 0.0456,
    durationSeconds: 1.5,
  },
  {
    ...base,
    project: 'crm',
    team: TEAM_B,
    consumer: ODD_CONSUMER,
    model: 'gpt-4o',
    inputTokens: 57,
    outputTokens: 13,
    costUsd: 0.0007,
    durationSeconds: 0.05,
  },
  {
    ...base,
    project: 'crm',
    team: TEAM_B,
    consumer: 'carol',
    model: 'gpt-4o',
    inputTokens: 0,
    outputTokens: 0,
    status: 503,
    durationSeconds: 0.02,
  },
  {
    ...base,
    gateway: OTHER_GATEWAY,
    route: 'aigw-us/ai-openai',
    project: 'crm',
    team: TEAM_B,
    consumer: 'carol',
    model: 'gpt-4o',
    inputTokens: 1000,
    outputTokens: 1000,
    costUsd: 1.25,
    durationSeconds: 2,
  },
];
const mcpTick: SyntheticMcpCall[] = [
  {
    ...base,
    route: 'aigw-eu/mcp-github',
    project: 'shop',
    team: TEAM_A,
    consumer: 'alice',
    server: 'github',
    tool: 'create_issue',
  },
  {
    ...base,
    route: 'aigw-eu/mcp-github',
    project: 'shop',
    team: TEAM_A,
    consumer: 'alice',
    server: 'github',
    tool: 'create_issue',
  },
  {
    ...base,
    route: 'aigw-eu/mcp-jira',
    project: 'crm',
    team: TEAM_B,
    consumer: 'carol',
    server: 'jira',
    tool: 'search',
  },
  {
    ...base,
    route: 'aigw-eu/mcp-github',
    project: 'ops',
    team: TEAM_C,
    consumer: 'dave',
    server: 'github',
    tool: 'list_repos',
    status: 500,
  },
];
const TICKS = 6;

/** What `ticks` ticks of traffic add up to, per group, computed from the traffic itself. */
function expected<T>(
  items: T[],
  key: (item: T) => string | undefined,
  value: (item: T) => number,
  ticks = TICKS,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    out[k] = (out[k] ?? 0) + value(item) * ticks;
  }
  return out;
}

function byGroup(
  rows: UsageTotalsRow[],
  dimension: keyof UsageTotalsRow['group'],
  measure: keyof UsageTotalsRow['values'],
): Record<string, number> {
  return Object.fromEntries(
    rows
      .filter(r => r.values[measure] !== undefined)
      .map(r => [r.group[dimension]!, r.values[measure]!]),
  );
}

const cents = (byKey: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(byKey).map(([k, v]) => [k, Math.round(v * 100)]),
  );

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeWithPrometheus('UsageService on a real Prometheus', () => {
  let exporter: AgentgatewayMetricsExporter;
  let prometheus: TestPrometheus | undefined;
  let client: PrometheusClient;
  let service: PrometheusUsageService;
  let start: Date;
  let end: Date;

  /** Waits until Prometheus has scraped the exporter's current values. */
  const scraped = async () => {
    const samples = [
      'agentgateway_requests_total',
      'agentgateway_mcp_requests_total',
      'agentgateway_gen_ai_client_token_usage_sum',
      'agentgateway_gen_ai_client_cost_usd_total',
    ];
    const want = samples.map(s => exporter.currentTotal(s));
    await eventually(
      'Prometheus to scrape the exporter',
      async () => {
        const got = await Promise.all(
          samples.map(
            async s => (await client.query(`sum(${s})`))[0]?.value ?? 0,
          ),
        );
        return got.every((g, i) => Math.abs(g - want[i]) < 1e-9);
      },
      20_000,
      200,
    );
  };

  beforeAll(async () => {
    exporter = await startAgentgatewayMetricsExporter();
    prometheus = await startTestPrometheus({ targets: [exporter.target] });
    client = new PrometheusClient({ url: prometheus.url });
    service = new PrometheusUsageService({ global: client, minStepSeconds: 1 });

    // Traffic before the window: it must not count.
    exporter.recordLlmRequest(llmTick[0]);
    exporter.recordMcpCall(mcpTick[0]);
    await scraped();
    start = new Date();
    // A scrape begun before `start` has answered by now.
    await sleep(300);
    await exporter.runTraffic({
      llm: llmTick,
      mcp: mcpTick,
      ticks: TICKS,
      intervalMs: 150,
    });
    await scraped();
    // The window ends a whole number of seconds after it starts, so the
    // time series' 1-second steps tile it exactly.
    end = new Date(
      start.getTime() + Math.ceil((Date.now() - start.getTime()) / 1000) * 1000,
    );
    await sleep(end.getTime() - Date.now() + 300);
    // Traffic after the window: it must not count either.
    exporter.recordLlmRequest(llmTick[1]);
    exporter.recordMcpCall(mcpTick[2]);
    await scraped();
  }, 360_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  it('totals tokens, cost, requests and errors per team exactly', async () => {
    const totals = await service.getTotals({
      start,
      end,
      groupBy: ['team'],
      measures: [
        'inputTokens',
        'outputTokens',
        'costUsd',
        'llmRequests',
        'requests',
        'errors',
      ],
    });
    const llm = llmTick;
    expect(byGroup(totals.rows, 'team', 'inputTokens')).toEqual(
      expected(
        llm,
        r => r.team,
        r => r.inputTokens,
      ),
    );
    expect(byGroup(totals.rows, 'team', 'outputTokens')).toEqual(
      expected(
        llm,
        r => r.team,
        r => r.outputTokens,
      ),
    );
    const cost = expected(
      llmTick,
      r => (r.costUsd === undefined ? undefined : r.team),
      r => r.costUsd!,
    );
    expect(cents(byGroup(totals.rows, 'team', 'costUsd'))).toEqual(cents(cost));
    for (const [team, usd] of Object.entries(cost)) {
      expect(byGroup(totals.rows, 'team', 'costUsd')[team]).toBeCloseTo(usd, 6);
    }
    expect(byGroup(totals.rows, 'team', 'llmRequests')).toEqual(
      expected(
        llmTick,
        r => r.team,
        () => 1,
      ),
    );
    const all = [...llmTick, ...mcpTick];
    expect(byGroup(totals.rows, 'team', 'requests')).toEqual(
      expected(
        all,
        r => r.team,
        () => 1,
      ),
    );
    expect(byGroup(totals.rows, 'team', 'errors')).toEqual(
      expected(
        all,
        r => ((r.status ?? 200) >= 500 ? r.team : undefined),
        () => 1,
      ),
    );
  });

  it('totals per model and consumer within one pool, with odd label values', async () => {
    const totals = await service.getTotals({
      start,
      end,
      pool: POOL,
      groupBy: ['model', 'consumer'],
      measures: ['inputTokens', 'costUsd'],
    });
    const inPool = llmTick.filter(r => r.gateway === GATEWAY);
    const got = Object.fromEntries(
      totals.rows.map(r => [
        `${r.group.model}|${r.group.consumer}`,
        r.values.inputTokens,
      ]),
    );
    expect(got).toEqual(
      expected(
        inPool,
        r => `${r.model}|${r.consumer}`,
        r => r.inputTokens,
      ),
    );

    const odd = await service.getTotals({
      start,
      end,
      filter: { consumer: ODD_CONSUMER },
      measures: ['inputTokens', 'outputTokens'],
    });
    expect(odd.rows).toEqual([
      {
        group: {},
        values: { inputTokens: 57 * TICKS, outputTokens: 13 * TICKS },
      },
    ]);
  });

  it('counts MCP calls per tool and server', async () => {
    const totals = await service.getTotals({
      start,
      end,
      pool: POOL,
      groupBy: ['mcpServer', 'tool'],
      measures: ['mcpCalls'],
    });
    expect(
      Object.fromEntries(
        totals.rows.map(r => [
          `${r.group.mcpServer}/${r.group.tool}`,
          r.values.mcpCalls,
        ]),
      ),
    ).toEqual(
      expected(
        mcpTick,
        c => `${c.server}/${c.tool}`,
        () => 1,
      ),
    );

    const teamA = await service.getTotals({
      start,
      end,
      filter: { team: TEAM_A, tool: 'create_issue' },
      measures: ['mcpCalls'],
    });
    expect(teamA.rows[0].values.mcpCalls).toBe(
      mcpTick.filter(c => c.team === TEAM_A && c.tool === 'create_issue')
        .length * TICKS,
    );
  });

  it('computes latency percentiles as histogram_quantile does', async () => {
    const totals = await service.getTotals({
      start,
      end,
      groupBy: ['model'],
      measures: ['llmLatencyP50', 'llmLatencyP95'],
    });
    const range = `${end.getTime() - start.getTime()}ms`;
    for (const [q, measure] of [
      [0.5, 'llmLatencyP50'],
      [0.95, 'llmLatencyP95'],
    ] as const) {
      const promql = await client.query(
        `histogram_quantile(${q}, sum by (le, gen_ai_request_model) (increase(agentgateway_gen_ai_server_request_duration_bucket[${range}])))`,
        end,
      );
      const fromPrometheus = Object.fromEntries(
        promql.map(s => [s.metric.gen_ai_request_model, s.value]),
      );
      const ours = byGroup(totals.rows, 'model', measure);
      expect(Object.keys(ours).sort()).toEqual(
        Object.keys(fromPrometheus).sort(),
      );
      for (const [model, seconds] of Object.entries(ours)) {
        expect(seconds).toBeCloseTo(fromPrometheus[model], 9);
      }
    }
    // Every claude-sonnet request took 1.5 s: the (1.28, 2.56] bucket.
    const claude = byGroup(totals.rows, 'model', 'llmLatencyP50')[
      'claude-sonnet'
    ];
    expect(claude).toBeGreaterThan(1.28);
    expect(claude).toBeLessThanOrEqual(2.56);
  });

  it('gives a time series whose steps add up to the totals', async () => {
    const series = await service.getTimeSeries({
      start,
      end,
      groupBy: ['team'],
      measures: ['inputTokens', 'mcpCalls'],
      maxPoints: 600,
    });
    expect(series.stepSeconds).toBe(1);
    expect(series.timestamps[series.timestamps.length - 1]).toBe(end.getTime());
    const totals = await service.getTotals({
      start,
      end,
      groupBy: ['team'],
      measures: ['inputTokens', 'mcpCalls'],
    });
    for (const row of series.rows) {
      const total = totals.rows.find(r => r.group.team === row.group.team)!;
      for (const measure of ['inputTokens', 'mcpCalls'] as const) {
        const points = row.values[measure];
        if (!points) continue;
        const sum = points.reduce<number>((a, p) => a + (p ?? 0), 0);
        expect(sum).toBe(total.values[measure]);
      }
    }
    expect(series.rows.map(r => r.group.team).sort()).toEqual([
      TEAM_A,
      TEAM_B,
      TEAM_C,
    ]);
  });

  it('counts across a gateway restarted in place with increase(), approximately', async () => {
    // Runs after the other tests: its traffic is after their window.
    await sleep(300);
    const from = new Date();
    await sleep(300);
    const before = llmTick[0];
    [1, 2, 3].forEach(() => exporter.recordLlmRequest(before));
    await scraped();
    exporter.restart();
    [1, 2].forEach(() => exporter.recordLlmRequest(before));
    await scraped();
    const to = new Date();
    const totals = await service.getTotals({
      start: from,
      end: to,
      filter: { consumer: before.consumer },
      measures: ['inputTokens'],
    });
    // Five requests; the reset's fallback extrapolates to the window's edges.
    const truth = 5 * before.inputTokens;
    expect(totals.rows[0].values.inputTokens).toBeGreaterThan(truth * 0.5);
    expect(totals.rows[0].values.inputTokens).toBeLessThan(truth * 2);
  }, 60_000);
});
