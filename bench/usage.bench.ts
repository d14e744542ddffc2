/*
 * Usage benchmark (issue 14). The latency of the backend's usage queries
 * (PrometheusUsageService, in process) against a real Prometheus (Debian's
 * /usr/bin/prometheus) holding BENCH_USAGE_DAYS (default 30) days of
 * agentgateway metrics at 1-minute resolution for BENCH_USAGE_SERVERS
 * (default 1,000) MCP servers and their teams' LLM traffic.
 *
 * The history is backfilled with `promtool tsdb create-blocks-from
 * openmetrics` from OpenMetrics text generated here, one file per 162-hour
 * block (the largest block Prometheus keeps with a 100-day retention, so it
 * compacts nothing when it starts), and cached under the temp dir keyed by
 * the parameters: a re-run skips the backfill and queries the window that was
 * generated. Every counter's growth is known, so the 30-day totals are checked
 * against the generator's. Asserts nothing; prints every figure.
 *
 * Environment: BENCH_USAGE_SERVERS (default 1000), BENCH_USAGE_DAYS (30),
 * BENCH_USAGE_TOOLS (tools per MCP server, 2), BENCH_USAGE_AI_BACKENDS
 * (default servers / 20, at least 5), BENCH_USAGE_RUNS (20 per query, after
 * 2 warm-ups), BENCH_USAGE_CACHE (the cache's parent dir, default the temp
 * dir), BENCH_USAGE_FRESH=1 (backfill again), PROMETHEUS, PROMTOOL.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createUsageService,
  type UsageService,
  type UsageTotals,
} from '../plugins/ai-gateway-backend/src/usage';
import { fmt, freePort, memoryOf, repoRoot } from './lib';

const SERVERS = Number(process.env.BENCH_USAGE_SERVERS ?? 1000);
const DAYS = Number(process.env.BENCH_USAGE_DAYS ?? 30);
const TOOLS = Number(process.env.BENCH_USAGE_TOOLS ?? 2);
const AI_BACKENDS = Number(
  process.env.BENCH_USAGE_AI_BACKENDS ?? Math.max(5, Math.round(SERVERS / 20)),
);
const RUNS = Number(process.env.BENCH_USAGE_RUNS ?? 20);
const WARMUPS = 2;
/** Runs of a query that reads every piece of its window (no cache). */
const COLD_RUNS = Number(process.env.BENCH_USAGE_COLD_RUNS ?? 3);
const TEAMS = 10;
const PROJECTS = 20;
const CONSUMERS = 100;
const MODELS = [
  'gpt-4.1',
  'gpt-4.1-mini',
  'claude-sonnet-4',
  'claude-haiku-4',
  'gemini-2.5-pro',
  'llama-3.3-70b',
];
const MODELS_PER_BACKEND = 2;
const TOKEN_TYPES = ['input', 'output'] as const;
const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
/** Bump when the generated data changes, so an old cache is not reused. */
const DATA_VERSION = 1;
/**
 * promtool's block size: with a 100-day retention Prometheus's largest block
 * is 162 h (the step of 2 h x 3^n under 10 % of the retention), so blocks of
 * that size are never compacted again once Prometheus starts on them.
 */
const BLOCK_MS = 162 * 3600_000;
const STEP_S = 60;

const team = (t: number) => `group:default/team-${t}`;
const teamOfProject = (p: number) => Math.floor(p / (PROJECTS / TEAMS));
const gatewayOfProject = (p: number) =>
  `team-${teamOfProject(p)}/pool-project-${p}`;

/** One generated series: its text before the value, and how it grows per minute. */
interface Series {
  family: 'mcp' | 'tokenSum' | 'tokenCount' | 'cost';
  prefix: string;
  /** xorshift32 state, so the growth is random but the same every run. */
  seed: number;
  value: number;
  /** Most the counter grows in a minute (uniform from 0). */
  maxPerMinute: number;
  /** Cost is written in micro-dollars / 1e6. */
  scale: number;
  team: string;
  model?: string;
  tokenType?: string;
}

function labelText(labels: Record<string, string>) {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}

function seriesSet(): Series[] {
  const series: Series[] = [];
  let seed = 1;
  const nextSeed = () => (seed = (seed * 1103515245 + 12345) >>> 0) || 1;
  for (let s = 0; s < SERVERS; s++) {
    const project = s % PROJECTS;
    const gateway = gatewayOfProject(project);
    for (let j = 0; j < TOOLS; j++) {
      const labels = {
        gateway,
        route: `${gateway.split('/')[0]}/mcp-${s}`,
        server: `mcp-${s}`,
        method: 'tools/call',
        resource_type: 'tool',
        resource: `tool-${j}`,
        project: `project-${project}`,
        team: team(teamOfProject(project)),
        consumer: `user-${(s * 7 + j) % CONSUMERS}`,
      };
      series.push({
        family: 'mcp',
        prefix: `agentgateway_mcp_requests_total${labelText(labels)} `,
        seed: nextSeed(),
        value: 0,
        maxPerMinute: 5,
        scale: 1,
        team: labels.team,
      });
    }
  }
  for (let b = 0; b < AI_BACKENDS; b++) {
    const project = b % PROJECTS;
    const gateway = gatewayOfProject(project);
    for (let m = 0; m < MODELS_PER_BACKEND; m++) {
      const model = MODELS[(b + m) % MODELS.length];
      const genAi = {
        gen_ai_operation_name: 'chat',
        gen_ai_system: model.startsWith('claude') ? 'anthropic' : 'openai',
        gen_ai_request_model: model,
        gen_ai_response_model: model,
        gateway,
        route: `${gateway.split('/')[0]}/llm-${b}`,
        project: `project-${project}`,
        team: team(teamOfProject(project)),
        consumer: `user-${(b * 13 + m) % CONSUMERS}`,
      };
      for (const type of TOKEN_TYPES) {
        const labels = { gen_ai_token_type: type, ...genAi };
        const common = { team: genAi.team, model, tokenType: type, scale: 1 };
        series.push({
          family: 'tokenSum',
          prefix: `agentgateway_gen_ai_client_token_usage_sum${labelText(
            labels,
          )} `,
          seed: nextSeed(),
          value: 0,
          maxPerMinute: type === 'input' ? 40_000 : 8_000,
          ...common,
        });
        series.push({
          family: 'tokenCount',
          prefix: `agentgateway_gen_ai_client_token_usage_count${labelText(
            labels,
          )} `,
          seed: nextSeed(),
          value: 0,
          maxPerMinute: 20,
          ...common,
        });
      }
      series.push({
        family: 'cost',
        prefix: `agentgateway_gen_ai_client_cost_usd_total${labelText(genAi)} `,
        seed: nextSeed(),
        value: 0,
        maxPerMinute: 200_000,
        scale: 1e6,
        team: genAi.team,
        model,
      });
    }
  }
  return series;
}

const FAMILY_TYPES: Array<[Series['family'][], string]> = [
  [['mcp'], '# TYPE agentgateway_mcp_requests counter'],
  [
    ['tokenSum', 'tokenCount'],
    '# TYPE agentgateway_gen_ai_client_token_usage histogram',
  ],
  [['cost'], '# TYPE agentgateway_gen_ai_client_cost_usd counter'],
];

function nextRandom(s: Series): number {
  let x = s.seed;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  s.seed = x;
  return x;
}

/**
 * Writes the samples of [fromS, toS) (seconds, on the minute grid) as
 * OpenMetrics, series after series within each family (families must not
 * interleave). Counters carry on from the previous chunk.
 */
function writeChunk(
  file: string,
  series: Series[],
  fromS: number,
  toS: number,
) {
  const fd = openSync(file, 'w');
  let buffer = '';
  const flush = () => {
    writeSync(fd, buffer);
    buffer = '';
  };
  let samples = 0;
  for (const [families, typeLine] of FAMILY_TYPES) {
    buffer += `${typeLine}\n`;
    for (const s of series) {
      if (!families.includes(s.family)) continue;
      for (let t = fromS; t < toS; t += STEP_S) {
        s.value += nextRandom(s) % (s.maxPerMinute + 1);
        buffer += `${s.prefix}${
          s.scale === 1 ? s.value : s.value / s.scale
        } ${t}\n`;
        samples++;
      }
      if (buffer.length > 4_000_000) flush();
    }
  }
  buffer += '# EOF\n';
  flush();
  closeSync(fd);
  return samples;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

interface DataMeta {
  version: number;
  servers: number;
  days: number;
  tools: number;
  aiBackends: number;
  series: number;
  samples: number;
  /** The window the data covers: samples at start + 1 min ... end. */
  startMs: number;
  endMs: number;
  generatedAt: string;
  generateSeconds: number;
  promtoolSeconds: number;
  blocks: number;
  tsdbBytes: number;
  /** The counters' growth over the whole window, for checking the totals. */
  expected: {
    mcpCallsByTeam: Record<string, number>;
    tokensByModel: Record<string, { input: number; output: number }>;
  };
}

function backfill(dir: string): DataMeta {
  rmSync(dir, { recursive: true, force: true });
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const endS = Math.floor(Date.now() / 60_000) * 60;
  const startS = endS - DAYS * 86_400;
  const series = seriesSet();
  console.log(
    `backfill: ${series.length} series (${
      series.filter(s => s.family === 'mcp').length
    } MCP, ${
      series.filter(s => s.family !== 'mcp').length
    } LLM), ${DAYS} days at 1 min, ending ${new Date(
      endS * 1000,
    ).toISOString()}, into ${dir}`,
  );
  const chunkFile = path.join(dir, 'chunk.om');
  let generateMs = 0;
  let promtoolMs = 0;
  let samples = 0;
  let blocks = 0;
  // Samples at start + 1 min ... end, so the whole history is inside the
  // (start, end] window of a 30-day query.
  const firstS = startS + STEP_S;
  const lastS = endS;
  let from = firstS;
  while (from <= lastS) {
    const blockEndS =
      (Math.floor((from * 1000) / BLOCK_MS) + 1) * (BLOCK_MS / 1000);
    const to = Math.min(blockEndS, lastS + STEP_S);
    let started = Date.now();
    samples += writeChunk(chunkFile, series, from, to);
    const textMb = statSync(chunkFile).size / 1e6;
    generateMs += Date.now() - started;
    started = Date.now();
    const result = spawnSync(
      PROMTOOL,
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--quiet',
        `--max-block-duration=${BLOCK_MS / 3600_000}h`,
        chunkFile,
        dataDir,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    promtoolMs += Date.now() - started;
    if (result.status !== 0) {
      throw new Error(
        `promtool failed (${result.status}): ${result.stderr || result.stdout}`,
      );
    }
    blocks++;
    console.log(
      `  ${new Date(from * 1000).toISOString()} .. ${new Date(
        (to - STEP_S) * 1000,
      ).toISOString()}: ${fmt(textMb, 0)} MB of OpenMetrics, promtool ${fmt(
        (Date.now() - started) / 1000,
      )} s`,
    );
    rmSync(chunkFile);
    from = to;
  }
  const expected: DataMeta['expected'] = {
    mcpCallsByTeam: {},
    tokensByModel: {},
  };
  for (const s of series) {
    if (s.family === 'mcp') {
      expected.mcpCallsByTeam[s.team] =
        (expected.mcpCallsByTeam[s.team] ?? 0) + s.value;
    }
    if (s.family === 'tokenSum') {
      const m = (expected.tokensByModel[s.model!] ??= { input: 0, output: 0 });
      m[s.tokenType as 'input' | 'output'] += s.value;
    }
  }
  const meta: DataMeta = {
    version: DATA_VERSION,
    servers: SERVERS,
    days: DAYS,
    tools: TOOLS,
    aiBackends: AI_BACKENDS,
    series: series.length,
    samples,
    startMs: startS * 1000,
    endMs: endS * 1000,
    generatedAt: new Date().toISOString(),
    generateSeconds: generateMs / 1000,
    promtoolSeconds: promtoolMs / 1000,
    blocks,
    tsdbBytes: dirBytes(dataDir),
    expected,
  };
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
  return meta;
}

async function startPrometheus(dataDir: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'usage-bench-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  // No scrape targets: the bench reads only the backfilled history.
  writeFileSync(configFile, 'global:\n  evaluation_interval: 1m\n');
  const port = await freePort();
  const logFile = path.join(dir, 'prometheus.log');
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=100d',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `Prometheus exited (${child.exitCode}): ${readFileSync(
          logFile,
          'utf8',
        )}`,
      );
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) {
      throw new Error(`Prometheus not ready after 120 s; log in ${logFile}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    readyMs: Date.now() - started,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise(r => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise(r => setTimeout(r, 30_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      closeSync(log);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};

interface QueryResult {
  name: string;
  runs: number;
  errors: string[];
  rows: number;
  points?: number;
  stepSeconds?: number;
  p50?: number;
  p95?: number;
  max?: number;
  ms: number[];
}

async function measure(
  name: string,
  run: () => Promise<{
    rows: unknown[];
    timestamps?: number[];
    stepSeconds?: number;
  }>,
  runs = RUNS,
  warmups = runs === RUNS ? WARMUPS : 0,
): Promise<QueryResult> {
  const ms: number[] = [];
  const errors: string[] = [];
  let rows = 0;
  let points: number | undefined;
  let stepSeconds: number | undefined;
  for (let i = 0; i < warmups + runs; i++) {
    const started = performance.now();
    try {
      const answer = await run();
      const elapsed = performance.now() - started;
      rows = answer.rows.length;
      points = answer.timestamps?.length;
      stepSeconds = answer.stepSeconds;
      if (i >= warmups) ms.push(elapsed);
    } catch (error) {
      errors.push(String(error));
    }
  }
  const result: QueryResult = { name, runs: ms.length, errors, rows, ms };
  if (points !== undefined) result.points = points;
  if (stepSeconds !== undefined) result.stepSeconds = stepSeconds;
  if (ms.length) {
    result.p50 = percentile(ms, 50);
    result.p95 = percentile(ms, 95);
    result.max = Math.max(...ms);
  }
  console.log(
    `  ${name}: ${
      ms.length
        ? `p50 ${fmt(result.p50!, 0)} ms, p95 ${fmt(
            result.p95!,
            0,
          )} ms, max ${fmt(result.max!, 0)} ms`
        : 'no successful run'
    } (${ms.length} runs, ${rows} rows${
      points !== undefined ? `, ${points} points of ${stepSeconds} s` : ''
    }${errors.length ? `, ${errors.length} errors: ${errors[0]}` : ''})`,
  );
  return result;
}

function checkTotals(
  label: string,
  totals: UsageTotals,
  expected: Record<string, number>,
  groupOf: (group: Record<string, string | undefined>) => string,
  value: (values: Record<string, number | undefined>) => number | undefined,
): boolean {
  const got = Object.fromEntries(
    totals.rows.map(r => [groupOf(r.group), value(r.values)]),
  );
  const wrong = Object.entries(expected).filter(([k, v]) => got[k] !== v);
  const extra = Object.keys(got).filter(k => !(k in expected));
  const exact = wrong.length === 0 && extra.length === 0;
  console.log(
    `  check, ${label}: ${
      exact
        ? `exact (${Object.keys(expected).length} groups)`
        : `NOT exact: ${wrong
            .slice(0, 3)
            .map(([k, v]) => `${k} expected ${v}, got ${got[k]}`)
            .join('; ')}${
            extra.length ? `; unexpected ${extra.join(', ')}` : ''
          }`
    }`,
  );
  return exact;
}

async function main() {
  for (const bin of [PROMETHEUS, PROMTOOL]) {
    if (!existsSync(bin)) {
      throw new Error(
        `${bin} not found: install Debian's prometheus (apt-get install -y prometheus) or set PROMETHEUS / PROMTOOL`,
      );
    }
  }
  const loadBefore = os.loadavg();
  const cacheDir = path.join(
    process.env.BENCH_USAGE_CACHE ?? os.tmpdir(),
    `aigw-usage-bench-v${DATA_VERSION}-${SERVERS}servers-${DAYS}d-${TOOLS}tools-${AI_BACKENDS}ai`,
  );
  const metaFile = path.join(cacheDir, 'meta.json');
  let meta: DataMeta;
  let cached = false;
  if (!process.env.BENCH_USAGE_FRESH && existsSync(metaFile)) {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    cached = true;
    console.log(
      `data: cached in ${cacheDir} (generated ${meta.generatedAt}; BENCH_USAGE_FRESH=1 backfills again)`,
    );
  } else {
    meta = backfill(cacheDir);
  }
  console.log(
    `data: ${meta.series} series, ${(meta.samples / 1e6).toFixed(
      1,
    )} M samples, ${meta.days} days at 1 min (${meta.servers} MCP servers x ${
      meta.tools
    } tools, ${meta.aiBackends} AI backends x ${MODELS_PER_BACKEND} models x ${
      TOKEN_TYPES.length
    } token types (+ counts and cost), ${TEAMS} teams, ${PROJECTS} projects)`,
  );
  console.log(
    `backfill${cached ? ' (when generated)' : ''}: ${fmt(
      meta.generateSeconds + meta.promtoolSeconds,
    )} s (generating OpenMetrics ${fmt(meta.generateSeconds)} s, promtool ${fmt(
      meta.promtoolSeconds,
    )} s), ${meta.blocks} blocks, TSDB ${fmt(meta.tsdbBytes / 1e6)} MB (${fmt(
      meta.tsdbBytes / meta.samples,
      2,
    )} bytes/sample)`,
  );

  const prometheus = await startPrometheus(path.join(cacheDir, 'data'));
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(os.loadavg()[0]), 5000);
  try {
    console.log(
      `Prometheus ${prometheus.url} ready in ${fmt(
        prometheus.readyMs / 1000,
      )} s, RSS ${fmt(memoryOf(prometheus.pid).rssMb, 0)} MB`,
    );
    // The data ends at meta.endMs: the service's clock is set there, so the
    // newest pieces of a window are open (read on every query) as they are
    // for a window ending now.
    let clock = meta.endMs;
    const newUsageService = (): UsageService =>
      createUsageService({
        config: new ConfigReader({
          aiGateway: {
            metrics: {
              // Long enough that a slow query is measured rather than retried.
              prometheus: { url: prometheus.url, timeoutSeconds: 300 },
            },
          },
        }),
        logger: { info() {} } as unknown as LoggerService,
        now: () => clock,
      })!;
    const usage = newUsageService();
    const end = new Date(meta.endMs);
    const window = (ms: number) => ({
      start: new Date(meta.endMs - ms),
      end,
    });
    const days = window(meta.days * 86_400_000);
    const label = `${meta.days} d`;
    const oneTeam = team(0);

    console.log(
      `queries (PrometheusUsageService in process, ${WARMUPS} warm-ups, then ${RUNS} runs each):`,
    );
    const results: QueryResult[] = [];
    const teamTotals = await usage.getTotals({
      ...days,
      measures: ['mcpCalls'],
      groupBy: ['team'],
    });
    const tokenTotals = await usage.getTotals({
      ...days,
      measures: ['inputTokens', 'outputTokens'],
      groupBy: ['model'],
    });
    const exactTeams = checkTotals(
      `MCP calls per team over ${label}`,
      teamTotals,
      meta.expected.mcpCallsByTeam,
      g => g.team!,
      v => v.mcpCalls,
    );
    const exactTokens =
      checkTotals(
        `input tokens per model over ${label}`,
        tokenTotals,
        Object.fromEntries(
          Object.entries(meta.expected.tokensByModel).map(([m, t]) => [
            m,
            t.input,
          ]),
        ),
        g => g.model!,
        v => v.inputTokens,
      ) &&
      checkTotals(
        `output tokens per model over ${label}`,
        tokenTotals,
        Object.fromEntries(
          Object.entries(meta.expected.tokensByModel).map(([m, t]) => [
            m,
            t.output,
          ]),
        ),
        g => g.model!,
        v => v.outputTokens,
      );

    results.push(
      await measure(
        `totals of MCP calls per team, ${label}, cold (a new service per run: every piece read)`,
        () =>
          newUsageService().getTotals({
            ...days,
            measures: ['mcpCalls'],
            groupBy: ['team'],
          }),
        COLD_RUNS,
      ),
    );
    let moved = 0;
    results.push(
      await measure(
        `totals of MCP calls per team, ${label}, a window ending a minute earlier each run (open pieces read, closed ones from memory)`,
        () => {
          moved += 60_000;
          clock = meta.endMs - moved;
          return usage.getTotals({
            start: new Date(clock - meta.days * 86_400_000),
            end: new Date(clock),
            measures: ['mcpCalls'],
            groupBy: ['team'],
          });
        },
      ),
    );
    clock = meta.endMs;
    results.push(
      await measure(
        `totals of MCP calls per tool (server and tool) of one team, ${label}`,
        () =>
          usage.getTotals({
            ...days,
            measures: ['mcpCalls'],
            groupBy: ['mcpServer', 'tool'],
            filter: { team: oneTeam },
          }),
      ),
    );
    results.push(
      await measure(
        `time series of MCP calls per team, ${label} (default maxPoints)`,
        () =>
          usage.getTimeSeries({
            ...days,
            measures: ['mcpCalls'],
            groupBy: ['team'],
          }),
      ),
    );
    results.push(
      await measure(
        `totals of input and output tokens per model, ${label}`,
        () =>
          usage.getTotals({
            ...days,
            measures: ['inputTokens', 'outputTokens'],
            groupBy: ['model'],
          }),
      ),
    );
    results.push(
      await measure('totals of MCP calls per team, 24 h', () =>
        usage.getTotals({
          ...window(86_400_000),
          measures: ['mcpCalls'],
          groupBy: ['team'],
        }),
      ),
    );
    results.push(
      await measure('totals of MCP calls per team, 1 h', () =>
        usage.getTotals({
          ...window(3_600_000),
          measures: ['mcpCalls'],
          groupBy: ['team'],
        }),
      ),
    );
    const memory = memoryOf(prometheus.pid);
    console.log(
      `Prometheus RSS after the queries: ${fmt(memory.rssMb, 0)} MB (peak ${fmt(
        memory.peakMb,
        0,
      )} MB)`,
    );
    const loadAfter = os.loadavg();
    const loadDuring = loads.length
      ? {
          min: Math.min(...loads),
          mean: loads.reduce((a, b) => a + b, 0) / loads.length,
          max: Math.max(...loads),
        }
      : undefined;
    console.log(
      `load average (1 min) on ${os.cpus().length} cores: ${fmt(
        loadBefore[0],
        2,
      )} at the start${
        loadDuring
          ? `, during the queries min ${fmt(loadDuring.min, 2)} / mean ${fmt(
              loadDuring.mean,
              2,
            )} / max ${fmt(loadDuring.max, 2)}`
          : ''
      }, ${fmt(loadAfter[0], 2)} at the end`,
    );
    const headline = results[0];
    console.log(
      `target, usage query p95 (${meta.servers} MCP servers x ${
        meta.days
      } days at 1 min): the issue gives no number; totals per team ${
        headline.p95 !== undefined ? `${fmt(headline.p95, 0)} ms` : 'failed'
      }, worst ${label} query p95 ${fmt(
        Math.max(...results.slice(0, 4).map(r => r.p95 ?? Infinity)),
        0,
      )} ms`,
    );
    const overDefaultTimeout = results.filter(r => (r.p95 ?? 0) > 15_000);
    if (overDefaultTimeout.length) {
      console.log(
        `note: ${
          overDefaultTimeout.length
        } queries have a p95 over the client's default timeout of 15 s per attempt (aiGateway.metrics.prometheus.timeoutSeconds; this bench sets 300): ${overDefaultTimeout
          .map(r => r.name)
          .join('; ')}`,
      );
    }
    console.log(
      'target, budget crossing -> refusal policy served to the operator, p95 < 60 s: not measured by this bench',
    );

    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    const out = path.join(
      __dirname,
      'results',
      `usage-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      out,
      JSON.stringify(
        {
          data: { ...meta, expected: undefined, cached, cacheDir },
          prometheus: {
            version: spawnSync(PROMETHEUS, ['--version'], {
              encoding: 'utf8',
            }).stdout.split('\n')[0],
            readyMs: prometheus.readyMs,
            rssMb: memory.rssMb,
            peakRssMb: memory.peakMb,
          },
          totalsExact: {
            mcpCallsPerTeam: exactTeams,
            tokensPerModel: exactTokens,
          },
          runs: RUNS,
          warmups: WARMUPS,
          queries: results,
          load: {
            cores: os.cpus().length,
            before: loadBefore,
            during: loadDuring,
            after: loadAfter,
          },
          targets: {
            usageQueryP95: 'no number in the issue; figures above',
            budgetCrossingToRefusalP95: 'not measured by this bench',
          },
        },
        null,
        2,
      ),
    );
    console.log(`results: ${path.relative(repoRoot, out)}`);
  } finally {
    clearInterval(loadTimer);
    await prometheus.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
