import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Labels every series of a request carries: agentgateway's route identity
 * and the attribution labels the renderer adds (`project`, `team`,
 * `consumer`).
 *
 * @public
 */
export interface AgentgatewayTrafficLabels {
  /** agentgateway's `gateway` label: `<namespace>/<pool>`. */
  gateway: string;
  /** `<namespace>/<HTTPRoute>`; default `<gateway namespace>/unknown`. */
  route?: string;
  project: string;
  team: string;
  consumer: string;
}

/** One LLM request through the gateway. @public */
export interface SyntheticLlmRequest extends AgentgatewayTrafficLabels {
  model: string;
  /** `gen_ai_system`, e.g. `openai` (default). */
  system?: string;
  inputTokens: number;
  outputTokens: number;
  /** USD; agentgateway reports cost only with a model cost catalog. */
  costUsd?: number;
  durationSeconds?: number;
  timeToFirstTokenSeconds?: number;
  /** HTTP status (default 200). */
  status?: number;
}

/** One MCP `tools/call` through the gateway. @public */
export interface SyntheticMcpCall extends AgentgatewayTrafficLabels {
  /** The MCP target's name (`server` label). */
  server: string;
  tool: string;
  durationSeconds?: number;
  status?: number;
}

/** @public */
export interface AgentgatewayMetricsExporter {
  /** `host:port` for a Prometheus scrape config. */
  target: string;
  /** The metrics URL (`/metrics`). */
  url: string;
  /** How many times `/metrics` was read. */
  scrapes(): number;
  recordLlmRequest(request: SyntheticLlmRequest): void;
  recordMcpCall(call: SyntheticMcpCall): void;
  /**
   * Records `requests` every `intervalMs` (default 250), `ticks` times, so
   * counters grow at a known rate; resolves after the last tick. The
   * expected totals are `ticks` times the sums of `requests`.
   */
  runTraffic(options: {
    llm?: SyntheticLlmRequest[];
    mcp?: SyntheticMcpCall[];
    ticks: number;
    intervalMs?: number;
  }): Promise<void>;
  /** Every counter and histogram back to nothing, as a restarted gateway. */
  restart(): void;
  /** The sum of a sample's current values over all its series (e.g. `agentgateway_requests_total`). */
  currentTotal(sample: string): number;
  close(): Promise<void>;
}

// agentgateway's histogram buckets (crates/agentgateway/src/telemetry/metrics.rs).
const TOKEN_USAGE_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
  16777216, 67108864,
];
const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
  40.96, 81.92,
];
const FIRST_TOKEN_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
  7.5, 10,
];
const HTTP_DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 80,
];

type Labels = Record<string, string>;
type CounterSeries = { labels: Labels; value: number };
type HistogramSeries = {
  labels: Labels;
  buckets: number[];
  counts: number[];
  sum: number;
  count: number;
};

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  buckets?: number[];
  series: Map<string, CounterSeries | HistogramSeries>;
}

/**
 * An HTTP server that serves agentgateway's usage metrics in the Prometheus
 * text format, with the metric names and labels agentgateway's telemetry
 * emits (checked against crates/agentgateway/src/telemetry/metrics.rs and
 * log.rs): `agentgateway_requests_total`,
 * `agentgateway_request_duration_seconds`, `agentgateway_mcp_requests_total`,
 * `agentgateway_gen_ai_client_token_usage`,
 * `agentgateway_gen_ai_client_cost_usd_total`,
 * `agentgateway_gen_ai_server_request_duration` and
 * `agentgateway_gen_ai_server_time_to_first_token`. The names are written
 * out here on purpose, not imported, so a test catches a wrong name in the
 * code that queries them. Like agentgateway, a series appears at its first
 * request (no zero sample before it).
 *
 * @public
 */
export async function startAgentgatewayMetricsExporter(): Promise<AgentgatewayMetricsExporter> {
  let families = new Map<string, Family>();
  let scrapes = 0;

  const family = (
    name: string,
    type: Family['type'],
    help: string,
    buckets?: number[],
  ) => {
    let f = families.get(name);
    if (!f)
      families.set(
        name,
        (f = { name, type, help, buckets, series: new Map() }),
      );
    return f;
  };
  const inc = (name: string, help: string, labels: Labels, by: number) => {
    const f = family(name, 'counter', help);
    const key = labelKey(labels);
    const s = (f.series.get(key) as CounterSeries | undefined) ?? {
      labels,
      value: 0,
    };
    s.value += by;
    f.series.set(key, s);
  };
  const observe = (
    name: string,
    help: string,
    buckets: number[],
    labels: Labels,
    value: number,
  ) => {
    const f = family(name, 'histogram', help, buckets);
    const key = labelKey(labels);
    const s = (f.series.get(key) as HistogramSeries | undefined) ?? {
      labels,
      buckets,
      counts: buckets.map(() => 0),
      sum: 0,
      count: 0,
    };
    buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] += 1;
    });
    s.sum += value;
    s.count += 1;
    f.series.set(key, s);
  };

  const routeLabels = (l: AgentgatewayTrafficLabels): Labels => ({
    bind: '8080',
    gateway: l.gateway,
    listener: 'http',
    route: l.route ?? `${l.gateway.split('/')[0]}/unknown`,
    route_rule: 'unknown',
  });
  const custom = (l: AgentgatewayTrafficLabels): Labels => ({
    project: l.project,
    team: l.team,
    consumer: l.consumer,
  });
  const httpRequest = (
    l: AgentgatewayTrafficLabels,
    status: number,
    seconds: number,
    backend: string,
  ) => {
    const labels = {
      backend,
      protocol: 'http',
      method: 'POST',
      status: String(status),
      reason: status < 400 ? 'Upstream' : 'DirectResponse',
      ...routeLabels(l),
      ...custom(l),
    };
    inc(
      'agentgateway_requests_total',
      'The total number of HTTP requests sent',
      labels,
      1,
    );
    observe(
      'agentgateway_request_duration_seconds',
      'Duration of HTTP requests (seconds)',
      HTTP_DURATION_BUCKETS,
      labels,
      seconds,
    );
  };

  const exporter = {
    recordLlmRequest(r: SyntheticLlmRequest) {
      const seconds = r.durationSeconds ?? 0.5;
      httpRequest(r, r.status ?? 200, seconds, 'llm');
      const genAi = {
        gen_ai_operation_name: 'chat',
        gen_ai_system: r.system ?? 'openai',
        gen_ai_request_model: r.model,
        gen_ai_response_model: r.model,
        ...routeLabels(r),
        ...custom(r),
      };
      const tokens = (type: string, n: number) =>
        observe(
          'agentgateway_gen_ai_client_token_usage',
          'Number of tokens used per request',
          TOKEN_USAGE_BUCKETS,
          { gen_ai_token_type: type, ...genAi },
          n,
        );
      tokens('input', r.inputTokens);
      tokens('output', r.outputTokens);
      if (r.costUsd !== undefined) {
        inc(
          'agentgateway_gen_ai_client_cost_usd_total',
          'Cumulative USD cost of generative AI requests',
          genAi,
          r.costUsd,
        );
      }
      observe(
        'agentgateway_gen_ai_server_request_duration',
        'Duration of generative AI request',
        GEN_AI_DURATION_BUCKETS,
        genAi,
        seconds,
      );
      if (r.timeToFirstTokenSeconds !== undefined) {
        observe(
          'agentgateway_gen_ai_server_time_to_first_token',
          'Time to generate the first token for a given request',
          FIRST_TOKEN_BUCKETS,
          genAi,
          r.timeToFirstTokenSeconds,
        );
      }
    },
    recordMcpCall(c: SyntheticMcpCall) {
      httpRequest(c, c.status ?? 200, c.durationSeconds ?? 0.05, c.server);
      inc(
        'agentgateway_mcp_requests_total',
        'Total number of MCP tool calls',
        {
          method: 'tools/call',
          resource_type: 'tool',
          server: c.server,
          resource: c.tool,
          ...routeLabels(c),
          ...custom(c),
        },
        1,
      );
    },
  };

  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    scrapes += 1;
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(exposition([...families.values()]));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const timers = new Set<NodeJS.Timeout>();

  return {
    target: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    scrapes: () => scrapes,
    ...exporter,
    runTraffic({ llm = [], mcp = [], ticks, intervalMs = 250 }) {
      return new Promise<void>(resolve => {
        let done = 0;
        const timer: NodeJS.Timeout = setInterval(() => {
          llm.forEach(r => exporter.recordLlmRequest(r));
          mcp.forEach(c => exporter.recordMcpCall(c));
          done += 1;
          if (done >= ticks) {
            clearInterval(timer);
            timers.delete(timer);
            resolve();
          }
        }, intervalMs);
        timers.add(timer);
      });
    },
    restart() {
      families = new Map();
    },
    currentTotal(sample: string) {
      let total = 0;
      for (const f of families.values()) {
        for (const s of f.series.values()) {
          if ('value' in s && sample === f.name) total += s.value;
          if ('sum' in s && sample === `${f.name}_sum`) total += s.sum;
          if ('sum' in s && sample === `${f.name}_count`) total += s.count;
        }
      }
      return total;
    },
    async close() {
      timers.forEach(t => clearInterval(t));
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort());
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',')}}`;
}

function num(value: number): string {
  if (value === Infinity) return '+Inf';
  return String(value);
}

/** The Prometheus text exposition format (0.0.4). */
function exposition(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.series.values()) {
      if ('value' in s) {
        lines.push(`${f.name}${labelText(s.labels)} ${num(s.value)}`);
        continue;
      }
      s.buckets.forEach((le, i) => {
        lines.push(
          `${f.name}_bucket${labelText({ ...s.labels, le: num(le) })} ${
            s.counts[i]
          }`,
        );
      });
      lines.push(
        `${f.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`,
        `${f.name}_sum${labelText(s.labels)} ${num(s.sum)}`,
        `${f.name}_count${labelText(s.labels)} ${s.count}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
