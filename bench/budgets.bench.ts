/*
 * Budget enforcement benchmark (issue 14): the time from a team's token
 * budget being crossed in the gateways' metrics to the refusal policy being
 * served to the pool's operator (target: p95 under 60 s, one scrape plus one
 * evaluation).
 *
 * Per configuration (evaluation interval / scrape interval): the synthetic
 * agentgateway exporter, a real Prometheus scraping it (the test kit's startTestPrometheus),
 * a real backend (bench/backend.ts as a child process, on SQLite, with
 * `aiGateway.metrics.prometheus.url` and
 * `aiGateway.usage.budgetEvaluationInterval`), a project, an agent pool and an
 * AI backend created over REST, and a simulated operator long polling the
 * pool's bundle with If-None-Match. Each crossing: a pause of a random part of
 * an evaluation interval (so crossings fall at any phase of the scrape and
 * evaluation timers, as real traffic does), then t0 = the exporter's token
 * counter driven over the limit; the latency is until the long poll returns a
 * bundle with an AgentgatewayPolicy labelled `ai-gateway.backstage.io/budget`.
 * Then the limit is raised over REST (the lift, also timed) and the next
 * crossing starts. Asserts nothing; prints every figure.
 *
 * Environment: BENCH_BUDGET_CONFIGS (default `30s/1s,30s/15s,5s/1s`:
 * evaluation interval / scrape interval, comma-separated),
 * BENCH_BUDGET_CROSSINGS (default 8), BENCH_DEBUG=1 (backend logs).
 */
import {
  aPool,
  aProject,
  anAiBackend,
  startAgentgatewayMetricsExporter,
  startTestPrometheus,
  type AgentgatewayMetricsExporter,
  type TestPrometheus,
  type SyntheticLlmRequest,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fetchRetrying,
  fmt,
  freePort,
  repoRoot,
  startBackend,
  writeBackendConfig,
} from './lib';

const CROSSINGS = Number(process.env.BENCH_BUDGET_CROSSINGS ?? 8);
const CONFIGS = (process.env.BENCH_BUDGET_CONFIGS ?? '30s/1s,30s/15s,5s/1s')
  .split(',')
  .map(c => {
    const [evaluation, scrape] = c.trim().split('/');
    const seconds = (s: string | undefined) => {
      const n = Number(/^(\d+)s?$/.exec(s ?? '')?.[1]);
      if (!n) throw new Error(`BENCH_BUDGET_CONFIGS: bad entry "${c}"`);
      return n;
    };
    return { evaluationS: seconds(evaluation), scrapeS: seconds(scrape) };
  });
const TARGET_MS = 60_000;
const TEAM = 'group:default/team-payments';
const BUDGET = 'payments-monthly';
/** Tokens a crossing adds; the limit is always this much minus 1,000 above the spend. */
const CROSSING_TOKENS = 6_000;
const HEADROOM_TOKENS = 5_000;
const TOKEN_SAMPLE = 'agentgateway_gen_ai_client_token_usage_sum';
const LABEL = 'ai-gateway.backstage.io/budget';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** One LLM request of the team through its pool's AI backend: 1,000 tokens. */
const teamRequest: SyntheticLlmRequest = {
  gateway: 'aigw-pay/pay',
  route: 'aigw-pay/ai-llm-payments',
  project: 'payments',
  team: TEAM,
  consumer: 'svc-checkout',
  model: 'gpt-4o',
  inputTokens: 800,
  outputTokens: 200,
};

type Bundle = { revision: string; objects: any[] };
const hasRefusal = (bundle: Bundle) =>
  bundle.objects.some(
    o => o.kind === 'AgentgatewayPolicy' && o.metadata?.labels?.[LABEL],
  );

/**
 * An operator's long poll of its pool's bundle: `wait=30`, If-None-Match the
 * revision it has. `next(predicate)` resolves with the time (Date.now) the
 * first bundle satisfying it arrived, the current one included.
 */
function longPoll(baseUrl: string, token: string) {
  const stop = new AbortController();
  let current: { bundle: Bundle; at: number } | undefined;
  let waiter:
    | { test: (b: Bundle) => boolean; resolve: (at: number) => void }
    | undefined;
  let polls = 0;
  let errors = 0;
  const loop = (async () => {
    while (!stop.signal.aborted) {
      try {
        const res = await fetch(
          `${baseUrl}/api/ai-gateway/agent/v1/bundle?wait=30`,
          {
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(current
                ? { 'if-none-match': `"${current.bundle.revision}"` }
                : {}),
            },
            signal: AbortSignal.any([stop.signal, AbortSignal.timeout(60_000)]),
          },
        );
        polls++;
        if (res.status === 200) {
          const bundle = (await res.json()) as Bundle;
          current = { bundle, at: Date.now() };
          if (waiter?.test(bundle)) {
            waiter.resolve(current.at);
            waiter = undefined;
          }
        } else {
          await res.arrayBuffer();
          if (res.status !== 304) {
            errors++;
            await sleep(1000);
          }
        }
      } catch {
        if (stop.signal.aborted) return;
        errors++;
        await sleep(1000);
      }
    }
  })();
  return {
    next(test: (b: Bundle) => boolean, timeoutMs: number): Promise<number> {
      if (current && test(current.bundle)) return Promise.resolve(current.at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`no such bundle within ${timeoutMs} ms`));
        }, timeoutMs);
        waiter = {
          test,
          resolve: at => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
    },
    stats: () => ({ polls, errors }),
    async close() {
      stop.abort();
      await loop;
    },
  };
}

type Crossing = {
  /** From the counters driven over the limit to the refusal served (ms). */
  latencyMs: number | null;
  /** From t0 until Prometheus answers the new total (ms). */
  scrapedMs: number | null;
  /** From t0 to the start of the evaluation that marked it exceeded (exceededSince). */
  evaluationStartMs: number | null;
  /** From the evaluation's start to the bundle served: query, render, wake-up (ms). */
  evaluatedToServedMs: number | null;
  /** From the PUT raising the limit until the bundle without the policy is served (ms). */
  liftMs: number | null;
  pauseMs: number;
  error?: string;
};

async function runConfiguration(evaluationS: number, scrapeS: number) {
  const name = `evaluation ${evaluationS} s, scrape ${scrapeS} s`;
  console.log(`\n[${name}]`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-bench-budgets-'));
  let exporter: AgentgatewayMetricsExporter | undefined;
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  let poll: ReturnType<typeof longPoll> | undefined;
  let prometheus: TestPrometheus | undefined;
  try {
    exporter = await startAgentgatewayMetricsExporter();
    prometheus = await startTestPrometheus({
      targets: [exporter.target],
      scrapeInterval: `${scrapeS}s`,
    });
    const prometheusUrl = prometheus.url;

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const token = randomBytes(24).toString('base64url');
    const dbDir = path.join(dir, 'db');
    mkdirSync(dbDir);
    const configFile = writeBackendConfig({
      dir,
      name: 'budgets',
      port,
      token,
      database: { client: 'better-sqlite3', connection: { directory: dbDir } },
      aiGateway: {
        metrics: { prometheus: { url: prometheusUrl } },
        usage: { budgetEvaluationInterval: `${evaluationS}s` },
      },
    });
    backend = await startBackend(configFile, baseUrl);
    console.log(
      `  backend ready in ${fmt(
        backend.startMs / 1000,
      )} s; Prometheus ${prometheusUrl}`,
    );

    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetchRetrying(`${baseUrl}/api/ai-gateway${p}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    await api('POST', '/projects', aProject('payments', TEAM));
    const pool = await api('POST', '/pools', aPool('pay', 'payments'));
    await api(
      'POST',
      '/ai-backends',
      anAiBackend('llm-payments', 'payments', 'pay'),
    );

    /** Until Prometheus answers the exporter's current token total; when it did (Date.now). */
    const scraped = async (timeoutMs: number) => {
      const want = exporter!.currentTotal(TOKEN_SAMPLE);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const res = await fetch(
          `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(
            `sum(${TOKEN_SAMPLE})`,
          )}`,
        );
        const body = (await res.json()) as any;
        if (Number(body.data?.result?.[0]?.value?.[1] ?? 0) === want)
          return Date.now();
        await sleep(100);
      }
      return null;
    };
    const state = () => api('GET', `/budgets/${BUDGET}/state`);
    const setLimit = async (tokens: number) => {
      const current = await api('GET', `/budgets/${BUDGET}`);
      await api('PUT', `/budgets/${BUDGET}`, {
        ...current.spec,
        limit: { tokens },
        version: current.version,
      });
    };

    // The team's series exist and the first evaluation has read them.
    exporter.recordLlmRequest(teamRequest);
    let spent = exporter.currentTotal(TOKEN_SAMPLE);
    await api('POST', '/budgets', {
      name: BUDGET,
      scope: { kind: 'team', name: TEAM },
      window: 'monthly',
      limit: { tokens: spent + HEADROOM_TOKENS },
    });
    await scraped(60_000);
    poll = longPoll(baseUrl, pool.enrollmentToken);
    await poll.next(() => true, 60_000);
    const settleDeadline = Date.now() + (evaluationS * 3 + 60) * 1000;
    for (;;) {
      const s = await state();
      if (s.evaluatedAt && s.spent === spent) break;
      if (Date.now() > settleDeadline)
        throw new Error(
          `the budget was not evaluated: ${JSON.stringify(
            s,
          )} (expected spent ${spent})`,
        );
      await sleep(500);
    }

    const waitMs = (evaluationS * 3 + scrapeS * 2 + 60) * 1000;
    const crossings: Crossing[] = [];
    for (let i = 0; i < CROSSINGS; i++) {
      const pauseMs = Math.round(Math.random() * evaluationS * 1000);
      await sleep(pauseMs);
      const crossing: Crossing = {
        latencyMs: null,
        scrapedMs: null,
        evaluationStartMs: null,
        evaluatedToServedMs: null,
        liftMs: null,
        pauseMs,
      };
      crossings.push(crossing);
      const t0 = Date.now();
      for (let r = 0; r < CROSSING_TOKENS / 1000; r++)
        exporter.recordLlmRequest(teamRequest);
      spent = exporter.currentTotal(TOKEN_SAMPLE);
      try {
        const served = poll.next(hasRefusal, waitMs);
        const scrapedAt = await scraped(waitMs);
        crossing.scrapedMs = scrapedAt === null ? null : scrapedAt - t0;
        const servedAt = await served;
        crossing.latencyMs = servedAt - t0;
        const exceededSince = Date.parse((await state()).exceededSince);
        if (!Number.isNaN(exceededSince)) {
          crossing.evaluationStartMs = exceededSince - t0;
          crossing.evaluatedToServedMs = servedAt - exceededSince;
        }
        const liftStarted = Date.now();
        await setLimit(spent + HEADROOM_TOKENS);
        crossing.liftMs =
          (await poll.next(b => !hasRefusal(b), waitMs)) - liftStarted;
      } catch (error) {
        crossing.error = String((error as Error)?.message ?? error);
        // Start the next crossing from a lifted state.
        await setLimit(spent + HEADROOM_TOKENS);
        await poll.next(b => !hasRefusal(b), waitMs).catch(() => {});
      }
      const ms = (v: number | null) => (v === null ? '-' : fmt(v / 1000, 1));
      console.log(
        `  crossing ${i + 1}/${CROSSINGS} (after a ${ms(
          pauseMs,
        )} s pause): refusal served ${ms(
          crossing.latencyMs,
        )} s after the crossing (in Prometheus after ${ms(
          crossing.scrapedMs,
        )} s, evaluation started after ${ms(
          crossing.evaluationStartMs,
        )} s, served ${ms(
          crossing.evaluatedToServedMs,
        )} s after that); lifted ${ms(
          crossing.liftMs,
        )} s after raising the limit${
          crossing.error ? `; FAILED: ${crossing.error}` : ''
        }`,
      );
    }

    const served = crossings
      .map(c => c.latencyMs)
      .filter((v): v is number => v !== null);
    const missed = crossings.length - served.length;
    // A crossing not served within the wait counts as slower than any other.
    const all = [...served, ...Array(missed).fill(Infinity)];
    const lifts = crossings
      .map(c => c.liftMs)
      .filter((v): v is number => v !== null);
    const summary = {
      evaluationIntervalS: evaluationS,
      scrapeIntervalS: scrapeS,
      crossings: crossings.length,
      missed,
      p50Ms: percentile(all, 50),
      p95Ms: percentile(all, 95),
      maxMs: Math.max(...all),
      liftP50Ms: lifts.length ? percentile(lifts, 50) : null,
      liftMaxMs: lifts.length ? Math.max(...lifts) : null,
      /** Worst case: a scrape just missed, an evaluation just missed, the scheduler's 5 s check. */
      boundMs: (scrapeS + evaluationS + 5) * 1000,
      targetMet: percentile(all, 95) < TARGET_MS,
      longPoll: poll.stats(),
      details: crossings,
    };
    const s = (v: number) =>
      Number.isFinite(v) ? `${fmt(v / 1000, 1)} s` : 'not served';
    console.log(
      `  crossing -> refusal served (${crossings.length}${
        missed ? `, ${missed} not served within ${waitMs / 1000} s` : ''
      }): p50 ${s(summary.p50Ms)}, p95 ${s(summary.p95Ms)}, max ${s(
        summary.maxMs,
      )} (target p95 < 60 s: ${summary.targetMet ? 'met' : 'NOT met'}; bound ${
        scrapeS + evaluationS
      } s + up to 5 s of scheduler check); lift p50 ${
        summary.liftP50Ms === null ? '-' : s(summary.liftP50Ms)
      }`,
    );
    return summary;
  } finally {
    await poll?.close();
    if (backend) {
      backend.stop();
      await backend.exited;
    }
    await prometheus?.stop();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `budget crossing (exporter's counters over a team's token limit) -> refusal policy served to the operator's long poll; ${CROSSINGS} crossings per configuration`,
  );
  const results: Array<
    Awaited<ReturnType<typeof runConfiguration>> | { error: string }
  > = [];
  for (const { evaluationS, scrapeS } of CONFIGS) {
    try {
      results.push(await runConfiguration(evaluationS, scrapeS));
    } catch (error) {
      console.error(
        `[evaluation ${evaluationS} s, scrape ${scrapeS} s] failed:`,
        error,
      );
      results.push({
        evaluationIntervalS: evaluationS,
        scrapeIntervalS: scrapeS,
        error: String((error as Error)?.message ?? error),
      } as any);
    }
  }
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const out = path.join(
    __dirname,
    'results',
    `budgets-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(
    out,
    JSON.stringify(
      {
        targetP95Ms: TARGET_MS,
        crossingsPerConfiguration: CROSSINGS,
        configurations: results,
        loadAverage: os.loadavg(),
        node: process.version,
        cpus: os.cpus().length,
      },
      null,
      2,
    ),
  );
  console.log(`results: ${path.relative(repoRoot, out)}`);
  if (results.some(r => 'error' in r)) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
