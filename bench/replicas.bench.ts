/*
 * Two-replica benchmark (issue 11): two backends (bench/backend.ts) on one
 * PostgreSQL database.
 *
 * a. Operators: BENCH_OPERATORS simulated operators (default 1,000), one
 *    agent pool each, split round robin over the two replicas, each
 *    heartbeating every BENCH_HEARTBEAT_S seconds (jittered) and long-polling
 *    its bundle (wait=BENCH_WAIT_S, If-None-Match its revision). Through
 *    replica A, BENCH_CHANGES changes are made one after the other, most in
 *    one pool, every fifth in BENCH_WIDE_POOLS pools at once; for each, the
 *    time from its HTTP response until every affected operator's long poll
 *    has returned the new revision. Also heartbeat latency, RSS per replica
 *    and every 5xx the operators got.
 * b. The REST list (a page of 100 MCP servers filtered by pool) at 50
 *    connections, against one replica and spread over both.
 *
 * Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cpuSecondsOf,
  fmt,
  freePort,
  loadAcross,
  memoryOf,
  pool,
  repoRoot,
  startBackend,
  writeBackendConfig,
  type LoadResult,
} from './lib';

const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 1000);
const HEARTBEAT_S = Number(process.env.BENCH_HEARTBEAT_S ?? 15);
const WAIT_S = Number(process.env.BENCH_WAIT_S ?? 30);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const WIDE_POOLS = Math.min(
  OPERATORS,
  Number(process.env.BENCH_WIDE_POOLS ?? 100),
);
/** Every WIDE_EVERY-th change touches WIDE_POOLS pools at once. */
const WIDE_EVERY = 5;
/** Part a runs at least this long, so every operator heartbeats several times. */
const OPERATOR_S = Number(process.env.BENCH_OPERATOR_S ?? 60);
/** Seconds measured with no operators running, for comparison. */
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 15);
/** How long after a change's (last) response its operators may take before they count as missed. */
const WAKE_TIMEOUT_MS = 15_000;
const LIST_SERVERS = Number(process.env.BENCH_MCP_SERVERS ?? 10000);
const LIST_POOLS = Math.max(1, Math.ceil(LIST_SERVERS / 100));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const CONCURRENCY = 16;

type Replica = {
  name: 'A' | 'B';
  baseUrl: string;
  port: number;
  /** Keep-alive connections for the operators of this replica. */
  agent: http.Agent;
  backend: Awaited<ReturnType<typeof startBackend>>;
};

type Reply = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
};

type SendOptions = { body?: unknown; timeoutMs?: number; readBody?: boolean };

/** Per agent: requests sent again because the server had closed an idle kept-alive connection. */
const keepAliveRetries = new Map<http.Agent, number>();

/**
 * One HTTP request over a keep-alive agent (node:http, not fetch: a
 * thousand open long polls cost this process, which shares the CPU with the
 * replicas, as little as possible). Bodies are read only when asked for.
 */
async function send(
  agent: http.Agent,
  port: number,
  method: string,
  requestPath: string,
  headers: Record<string, string>,
  options: SendOptions = {},
): Promise<Reply> {
  try {
    return await sendOnce(agent, port, method, requestPath, headers, options);
  } catch (error) {
    // The server closed an idle kept-alive connection just as it was
    // reused: the request never reached it (Node's documented retry case).
    if (!(error as any).reusedSocket || (error as any).code !== 'ECONNRESET')
      throw error;
    keepAliveRetries.set(agent, (keepAliveRetries.get(agent) ?? 0) + 1);
    return sendOnce(agent, port, method, requestPath, headers, options);
  }
}

function sendOnce(
  agent: http.Agent,
  port: number,
  method: string,
  requestPath: string,
  headers: Record<string, string>,
  options: SendOptions,
): Promise<Reply> {
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path: requestPath,
        headers: {
          ...headers,
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(payload)),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        if (options.readBody) res.on('data', (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 60_000, () =>
      req.destroy(new Error(`${method} ${requestPath} timed out`)),
    );
    req.on('error', error => {
      (error as any).reusedSocket = req.reusedSocket;
      reject(error);
    });
    req.end(payload);
  });
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
};
const summary = (values: number[]) => ({
  count: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: values.length ? Math.max(...values) : NaN,
});

/** Counts of what the operators got, per replica. */
type Counts = Record<string, number>;
const bump = (counts: Counts, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const poolName = (i: number) => `op-${String(i).padStart(4, '0')}`;
const listPoolName = (i: number) => `list-${String(i).padStart(3, '0')}`;

/**
 * A remote MCP server. `generation` goes into its URL, which the bundle
 * renders: an update must change the bundle's revision to wake anyone (a
 * new description alone changes nothing the operator applies).
 */
function mcpServerSpec(poolOf: string, name: string, generation: number) {
  return {
    name,
    project: 'bench',
    pool: poolOf,
    prefix: name,
    description: `Benchmark MCP server, generation ${generation}`,
    source: {
      type: 'remote',
      url: `https://mcp.example.com/${name}/v${generation}/mcp`,
    },
  };
}

function agentPoolSpec(name: string) {
  return {
    name,
    project: 'bench',
    cluster: { name: `cluster-${name}`, type: 'native' },
    namespace: `ns-${name}`,
    tls: { mode: 'selfsigned' },
    domains: { baseDomain: `${name}.ai.example.com` },
    ingress: [{ kind: 'kubernetes-ingress', className: 'nginx' }],
    delivery: { mode: 'agent' },
  };
}

/** An operator's two loops: heartbeat every HEARTBEAT_S (jittered) and the long poll. */
class SimulatedOperator {
  revision?: string;
  appliedAt?: string;
  /** Set while a change this operator must see is pending. */
  expectation?: { previous?: string; woken: (at: number) => void };

  constructor(
    readonly index: number,
    readonly pool: string,
    readonly token: string,
    readonly replica: Replica,
    private readonly stats: {
      /** Each heartbeat: when it was sent and how long it took. */
      heartbeats: Array<{ at: number; ms: number }>;
      counts: Counts;
      firstBundle: () => void;
      recordHeartbeats: () => boolean;
    },
    private readonly stop: AbortSignal,
  ) {}

  start() {
    void this.#pollLoop();
    void this.#heartbeatLoop();
  }

  async #pause(ms: number) {
    try {
      await sleep(ms, undefined, { signal: this.stop });
    } catch {
      // stopped
    }
  }

  async #pollLoop() {
    while (!this.stop.aborted) {
      try {
        const reply = await send(
          this.replica.agent,
          this.replica.port,
          'GET',
          `/api/ai-gateway/agent/v1/bundle?wait=${WAIT_S}`,
          {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            // As the operator's fetch sends it: bundles come gzipped.
            'accept-encoding': 'gzip, deflate',
            ...(this.revision ? { 'if-none-match': `"${this.revision}"` } : {}),
          },
          { timeoutMs: (WAIT_S + 30) * 1000 },
        );
        const at = performance.now();
        bump(this.stats.counts, `bundle ${reply.status}`);
        if (reply.status === 200) {
          const revision = String(reply.headers.etag ?? '').replace(/"/g, '');
          if (!this.revision) this.stats.firstBundle();
          if (revision !== this.revision) {
            this.revision = revision;
            this.appliedAt = new Date().toISOString();
            const expected = this.expectation;
            if (expected && revision !== expected.previous) {
              this.expectation = undefined;
              expected.woken(at);
            }
          }
        } else if (reply.status !== 304) {
          await this.#pause(1000);
        }
      } catch (error) {
        if (this.stop.aborted) return;
        bump(this.stats.counts, `bundle ${(error as any).code ?? 'error'}`);
        await this.#pause(1000);
      }
    }
  }

  async #heartbeatLoop() {
    await this.#pause(Math.random() * HEARTBEAT_S * 1000);
    while (!this.stop.aborted) {
      // What plugins/ai-gateway-operator's OperatorAgent sends.
      const body = {
        operatorVersion: 'bench-0.0.0',
        runningRevision: this.revision ?? null,
        components: [
          { name: 'agentgateway', kind: 'Deployment', healthy: true },
          { name: 'aigw-operator', kind: 'Deployment', healthy: true },
        ],
        ...(this.revision && this.appliedAt
          ? {
              lastApply: {
                revision: this.revision,
                succeeded: true,
                appliedAt: this.appliedAt,
              },
            }
          : {}),
      };
      const t0 = performance.now();
      try {
        const reply = await send(
          this.replica.agent,
          this.replica.port,
          'POST',
          '/api/ai-gateway/agent/v1/heartbeat',
          { authorization: `Bearer ${this.token}`, accept: 'application/json' },
          { body, timeoutMs: 30_000 },
        );
        bump(this.stats.counts, `heartbeat ${reply.status}`);
        if (reply.status === 200 && this.stats.recordHeartbeats())
          this.stats.heartbeats.push({ at: t0, ms: performance.now() - t0 });
      } catch (error) {
        if (this.stop.aborted) return;
        bump(this.stats.counts, `heartbeat ${(error as any).code ?? 'error'}`);
      }
      await this.#pause(HEARTBEAT_S * 1000 * (0.8 + 0.4 * Math.random()));
    }
  }
}

function postgresUrl(): string {
  const started = spawnSync(
    'bash',
    [path.join(repoRoot, 'scripts/postgres.sh'), 'start'],
    {
      encoding: 'utf8',
    },
  );
  if (started.status !== 0)
    throw new Error(`scripts/postgres.sh start failed:\n${started.stderr}`);
  return started.stdout.trim().split('\n').pop()!;
}

type DbSnapshot = {
  at: number;
  /** Transactions committed (each autocommitted statement is one). */
  commits: number;
  /** Per table: scans (index and sequential), rows inserted, updated, deleted. */
  tables: Record<string, [number, number, number, number]>;
};

/** What PostgreSQL's statistics say a database has done so far. */
function dbSnapshot(url: string, database: string): DbSnapshot {
  const commits = Number(
    psql(
      url,
      `select xact_commit from pg_stat_database where datname = '${database}'`,
    ),
  );
  const tables: DbSnapshot['tables'] = {};
  for (const line of psql(
    `${url}/${database}`,
    `select relname, coalesce(idx_scan, 0) + seq_scan, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables`,
  )
    .split('\n')
    .filter(Boolean)) {
    const [name, ...numbers] = line.split('|');
    tables[name] = numbers.map(Number) as DbSnapshot['tables'][string];
  }
  return { at: performance.now(), commits, tables };
}

/** Rates between two snapshots: commits/s and, per busy table, scans/inserts/updates/deletes per second. */
function dbRates(from: DbSnapshot, to: DbSnapshot) {
  const seconds = (to.at - from.at) / 1000;
  const tables: Record<string, Record<string, number>> = {};
  for (const [name, now] of Object.entries(to.tables)) {
    const before = from.tables[name] ?? [0, 0, 0, 0];
    const [scans, inserts, updates, deletes] = now.map(
      (n, i) => (n - before[i]) / seconds,
    );
    if (scans + inserts + updates + deletes >= 0.5)
      tables[name] = { scans, inserts, updates, deletes };
  }
  return { commitsPerSecond: (to.commits - from.commits) / seconds, tables };
}

const describeDb = (rates: ReturnType<typeof dbRates>) =>
  `${fmt(rates.commitsPerSecond)} commits/s; per second ${Object.entries(
    rates.tables,
  )
    .sort((x, y) => y[1].scans - x[1].scans)
    .map(
      ([name, r]) =>
        `${name}: ${fmt(r.scans)} scans, ${fmt(r.inserts)} ins, ${fmt(
          r.updates,
        )} upd, ${fmt(r.deletes)} del`,
    )
    .join('; ')}`;

function psql(url: string, sql: string): string {
  const result = spawnSync('psql', [url, '-Atc', sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aigw-bench-replicas-'));
  const pgUrl = postgresUrl();
  // A fresh set of databases per run: every plugin's database gets this prefix.
  const prefix = `bench_${Date.now().toString(36)}_${randomBytes(2).toString(
    'hex',
  )}_`;
  const token = randomBytes(24).toString('base64url');
  const ports = [await freePort(), await freePort()];
  const configFor = (name: string, port: number) =>
    writeBackendConfig({
      dir,
      name,
      port,
      token,
      database: { client: 'pg', connection: pgUrl, prefix },
      // Replicas behind one Service render the same operator URL (it is in
      // the bundle); without it each would render other revisions.
      aiGateway: {
        controlPlaneUrl: 'http://portal.bench.invalid/api/ai-gateway',
      },
    });

  const replicas: Replica[] = [];
  const memory: Record<string, { rssMb: number; peakMb: number }> = {};
  const sampleMemory = (phase: string) => {
    for (const r of replicas) {
      try {
        memory[`${phase} ${r.name}`] = memoryOf(r.backend.child.pid!);
      } catch {
        // exited
      }
    }
  };
  const admin = new http.Agent({ keepAlive: true });
  const adminHeaders = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  };
  const api = (replica: Replica, method: string, p: string, body?: unknown) =>
    send(admin, replica.port, method, `/api/ai-gateway${p}`, adminHeaders, {
      body,
      readBody: true,
    });

  const stopOperators = new AbortController();
  try {
    // B starts once A is ready, as in a rolling deployment; started together
    // (BENCH_START_TOGETHER=1) they take turns through the start-up lock.
    const together = !!process.env.BENCH_START_TOGETHER;
    const starts = (['A', 'B'] as const).map((name, i) => async () => {
      const baseUrl = `http://127.0.0.1:${ports[i]}`;
      const backend = await startBackend(configFor(name, ports[i]), baseUrl);
      replicas[i] = {
        name,
        baseUrl,
        port: ports[i],
        agent: new http.Agent({ keepAlive: true }),
        backend,
      };
      console.log(`replica ${name} ready in ${fmt(backend.startMs / 1000)} s`);
    });
    if (together) {
      // allSettled: a replica that started is stopped below even if the other failed.
      const failed = (await Promise.allSettled(starts.map(s => s()))).find(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      if (failed) throw failed.reason;
    } else for (const s of starts) await s();
    const [a, b] = replicas;
    console.log(`PostgreSQL ${pgUrl}, databases ${prefix}*`);

    let failures = 0;
    let firstFailure = '';
    const expect = async (
      replica: Replica,
      method: string,
      p: string,
      body: unknown,
      status: number,
    ) => {
      const reply = await api(replica, method, p, body);
      if (reply.status !== status) {
        failures++;
        firstFailure ||= `${method} ${p} on ${replica.name}: ${
          reply.status
        } ${reply.body.slice(0, 300)}`;
      }
      return reply;
    };
    await expect(
      a,
      'POST',
      '/projects',
      { name: 'bench', title: 'Bench', owner: 'group:default/bench-team' },
      201,
    );

    // --- a. operators ---------------------------------------------------------
    const tokens: string[] = [];
    let t0 = performance.now();
    await pool([...Array(OPERATORS).keys()], CONCURRENCY, async i => {
      const reply = await expect(
        replicas[i % 2],
        'POST',
        '/pools',
        agentPoolSpec(poolName(i)),
        201,
      );
      tokens[i] = JSON.parse(reply.body).enrollmentToken;
    });
    /** The version of each pool's seeded MCP server (updates send the one they read). */
    const seededVersion: number[] = [];
    await pool([...Array(OPERATORS).keys()], CONCURRENCY, async i => {
      const reply = await expect(
        replicas[i % 2],
        'POST',
        '/mcp-servers',
        mcpServerSpec(poolName(i), `${poolName(i)}-mcp-0`, 0),
        201,
      );
      seededVersion[i] = JSON.parse(reply.body).version;
    });
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(
      `created ${OPERATORS} agent pools and ${OPERATORS} MCP servers through both replicas in ${fmt(
        seedSeconds,
      )} s (${fmt((2 * OPERATORS) / seedSeconds)}/s), ${failures} failures${
        firstFailure ? `; first: ${firstFailure}` : ''
      }`,
    );
    if (tokens.some(t => !t)) throw new Error('a pool came without a token');

    const heartbeats: Record<string, Array<{ at: number; ms: number }>> = {
      A: [],
      B: [],
    };
    /** From a change's first request until its last operator is woken. */
    const changeWindows: Array<[number, number]> = [];
    const counts: Record<string, Counts> = { A: {}, B: {} };
    const requestsSoFar = () =>
      Object.values(counts).reduce(
        (n, c) => n + Object.values(c).reduce((m, v) => m + v, 0),
        0,
      );
    // Idle: what the replicas do with no operators (the global pool-health
    // pass over every pool, the change feed's keep-alive...).
    const aiGatewayDb = `${prefix}ai-gateway`;
    const idleFrom = performance.now();
    const idleDb = dbSnapshot(pgUrl, aiGatewayDb);
    const idleCpu = replicas.map(r => cpuSecondsOf(r.backend.child.pid!));
    for (let window = idleDb; performance.now() - idleFrom < IDLE_S * 1000; ) {
      await sleep(
        Math.min(15_000, IDLE_S * 1000 - (performance.now() - idleFrom)),
      );
      if (process.env.BENCH_PROGRESS) {
        const now = dbSnapshot(pgUrl, aiGatewayDb);
        console.log(
          `idle, ai-gateway database: ${describeDb(dbRates(window, now))}`,
        );
        window = now;
      }
    }
    const idleSeconds = (performance.now() - idleFrom) / 1000;
    const idle = {
      seconds: idleSeconds,
      db: dbRates(idleDb, dbSnapshot(pgUrl, aiGatewayDb)),
      cpuShare: Object.fromEntries(
        replicas.map((r, i) => [
          r.name,
          (cpuSecondsOf(r.backend.child.pid!) - idleCpu[i]) / idleSeconds,
        ]),
      ),
    };
    let withBundle = 0;
    let recording = false;
    const operators = tokens.map((poolToken, i) => {
      const replica = replicas[i % 2];
      return new SimulatedOperator(
        i,
        poolName(i),
        poolToken,
        replica,
        {
          heartbeats: heartbeats[replica.name],
          counts: counts[replica.name],
          firstBundle: () => withBundle++,
          recordHeartbeats: () => recording,
        },
        stopOperators.signal,
      );
    });
    t0 = performance.now();
    operators.forEach(o => o.start());
    while (withBundle < OPERATORS) {
      if (performance.now() - t0 > 300_000)
        throw new Error(
          `only ${withBundle} of ${OPERATORS} operators got a bundle in 5 min`,
        );
      await sleep(100);
    }
    console.log(
      `${OPERATORS} operators (${
        OPERATORS / 2
      } per replica) have their first bundle after ${fmt(
        (performance.now() - t0) / 1000,
      )} s`,
    );
    // Let the first heartbeats (spread over one period) settle before measuring.
    await sleep(Math.min(HEARTBEAT_S, 15) * 1000);
    recording = true;
    const measuredFrom = performance.now();
    const cpuAtStart = replicas.map(r => cpuSecondsOf(r.backend.child.pid!));
    const dbAtStart = dbSnapshot(pgUrl, aiGatewayDb);
    const requestsAtStart = requestsSoFar();
    // This process's own lag: were its timestamps late?
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    clientLag.enable();

    type ChangeResult = {
      index: number;
      kind: 'create' | 'update';
      pools: number;
      /** Where the affected operators long-poll. */
      replicas: string;
      /** From the (last) change's HTTP response until every affected operator has the new revision. */
      allWokenMs: number;
      /** From the first request sent until every affected operator has it. */
      fromRequestMs: number;
      /** Each affected operator, from the response to its own pool's change. */
      perOperatorMs: number[];
      missed: number;
      failed: number;
      /** CPU seconds each replica used from the first request until all were woken (everything it did meanwhile). */
      cpuSeconds: Record<string, number>;
    };
    const changes: ChangeResult[] = [];
    /** Missed wake-ups that came later: which change, how long after its last response. */
    const late: Array<{ change: number; ms: number }> = [];
    for (let k = 0; k < CHANGES; k++) {
      const wide = k % WIDE_EVERY === WIDE_EVERY - 1;
      // Single changes alternate between pools polled on A and on B.
      const first = wide
        ? (k * 7919) % OPERATORS
        : (2 * ((k * 37) % Math.ceil(OPERATORS / 2)) + (k % 2)) % OPERATORS;
      const affected = Array.from(
        { length: wide ? WIDE_POOLS : 1 },
        (_, j) => operators[(first + j) % OPERATORS],
      );
      // Creates and updates alternate in pairs, so both replicas see both.
      const kind: 'create' | 'update' =
        wide || k % 4 >= 2 ? 'update' : 'create';
      // Each affected operator records when its long poll brings a new
      // revision; it may come before the change's response does.
      const wokenAt: Array<number | undefined> = affected.map(() => undefined);
      let pending = affected.length;
      let allSeen = () => {};
      affected.forEach((o, j) => {
        o.expectation = {
          previous: o.revision,
          woken: at => {
            wokenAt[j] = at;
            if (--pending === 0) allSeen();
          },
        };
      });
      const cpuBefore = replicas.map(r => cpuSecondsOf(r.backend.child.pid!));
      const sentAt = performance.now();
      const respondedAt: number[] = [];
      let failed = 0;
      await pool([...affected.keys()], CONCURRENCY, async j => {
        const o = affected[j];
        const reply =
          kind === 'create'
            ? await api(
                a,
                'POST',
                '/mcp-servers',
                mcpServerSpec(o.pool, `${o.pool}-mcp-${k + 1}`, k + 1),
              )
            : await api(a, 'PUT', `/mcp-servers/${o.pool}-mcp-0`, {
                ...mcpServerSpec(o.pool, `${o.pool}-mcp-0`, k + 1),
                version: seededVersion[o.index],
              });
        respondedAt[j] = performance.now();
        if (kind === 'update' && reply.status === 200)
          seededVersion[o.index] = JSON.parse(reply.body).version;
        if (reply.status >= 300) {
          failed++;
          firstFailure ||= `change ${k}: ${reply.status} ${reply.body.slice(
            0,
            300,
          )}`;
        }
      });
      // Missed: not seen within WAKE_TIMEOUT_MS of the last response.
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, WAKE_TIMEOUT_MS);
        allSeen = () => {
          clearTimeout(timer);
          resolve();
        };
        if (pending === 0) allSeen();
      });
      const lastResponse = Math.max(...respondedAt);
      // A missed operator is still watched (until a later change needs it):
      // when it does get the revision, e.g. at the end of its long poll,
      // that lateness is kept.
      affected.forEach((o, j) => {
        if (wokenAt[j] !== undefined) o.expectation = undefined;
        else
          o.expectation = {
            previous: o.expectation?.previous,
            woken: at => late.push({ change: k, ms: at - lastResponse }),
          };
      });
      const seen = wokenAt.filter((t): t is number => t !== undefined);
      const lastWoken = Math.max(...seen);
      const result: ChangeResult = {
        index: k,
        kind,
        pools: affected.length,
        replicas: [...new Set(affected.map(o => o.replica.name))].join('+'),
        // A change some operator never saw counts as slower than any other.
        allWokenMs:
          seen.length < affected.length ? Infinity : lastWoken - lastResponse,
        fromRequestMs:
          seen.length < affected.length ? Infinity : lastWoken - sentAt,
        perOperatorMs: wokenAt.flatMap((t, j) =>
          t === undefined ? [] : [t - respondedAt[j]],
        ),
        missed: wokenAt.length - seen.length,
        failed,
        cpuSeconds: Object.fromEntries(
          replicas.map((r, i) => [
            r.name,
            cpuSecondsOf(r.backend.child.pid!) - cpuBefore[i],
          ]),
        ),
      };
      changes.push(result);
      changeWindows.push([
        sentAt,
        Math.max(lastResponse, seen.length ? lastWoken : 0),
      ]);
      if (process.env.BENCH_PROGRESS)
        console.log(
          `change ${k} (${kind}, ${affected.length} pool(s) on ${
            result.replicas
          }): all woken ${fmt(result.allWokenMs)} ms after the response, ${
            result.missed
          } missed`,
        );
      await sleep(500 + Math.random() * 500);
    }
    const remaining = OPERATOR_S * 1000 - (performance.now() - measuredFrom);
    if (remaining > 0) await sleep(remaining);
    sampleMemory('operators');
    recording = false;
    clientLag.disable();
    const operatorSeconds = (performance.now() - measuredFrom) / 1000;
    /** Share of one core each replica used while the operators ran. */
    const cpuShare = Object.fromEntries(
      replicas.map((r, i) => [
        r.name,
        (cpuSecondsOf(r.backend.child.pid!) - cpuAtStart[i]) / operatorSeconds,
      ]),
    );
    const operatorRequests = requestsSoFar() - requestsAtStart;
    const operatorsDb = dbRates(dbAtStart, dbSnapshot(pgUrl, aiGatewayDb));
    stopOperators.abort();
    for (const r of replicas) r.agent.destroy();

    const allHeartbeats = [...heartbeats.A, ...heartbeats.B];
    const duringChange = (h: { at: number; ms: number }) =>
      changeWindows.some(([from, to]) => h.at <= to && h.at + h.ms >= from);
    const allWoken = summary(changes.map(c => c.allWokenMs));
    const singles = changes.filter(c => c.pools === 1);
    const wides = changes.filter(c => c.pools > 1);
    const operatorsPart = {
      operators: OPERATORS,
      heartbeatSeconds: HEARTBEAT_S,
      waitSeconds: WAIT_S,
      measuredSeconds: operatorSeconds,
      heartbeat: {
        A: summary(heartbeats.A.map(h => h.ms)),
        B: summary(heartbeats.B.map(h => h.ms)),
        all: summary(allHeartbeats.map(h => h.ms)),
        // Sent, or still waiting, while a change was being made or delivered.
        duringChanges: summary(
          allHeartbeats.filter(duringChange).map(h => h.ms),
        ),
        quiet: summary(
          allHeartbeats.filter(h => !duringChange(h)).map(h => h.ms),
        ),
      },
      changes: {
        count: changes.length,
        allWoken,
        singlePoolSameReplica: summary(
          singles.filter(c => c.replicas === 'A').map(c => c.allWokenMs),
        ),
        singlePoolOtherReplica: summary(
          singles.filter(c => c.replicas === 'B').map(c => c.allWokenMs),
        ),
        widePools: WIDE_POOLS,
        wide: summary(wides.map(c => c.allWokenMs)),
        wideFromFirstRequest: summary(wides.map(c => c.fromRequestMs)),
        wideCpuSeconds: summary(
          wides.map(c => Object.values(c.cpuSeconds).reduce((x, y) => x + y)),
        ),
        perOperator: summary(changes.flatMap(c => c.perOperatorMs)),
        missed: changes.reduce((n, c) => n + c.missed, 0),
        late,
        failed: changes.reduce((n, c) => n + c.failed, 0),
        each: changes.map(({ perOperatorMs, ...c }) => c),
      },
      counts,
      replicaCpuShare: cpuShare,
      operatorRequestsPerSecond: operatorRequests / operatorSeconds,
      aiGatewayDb: operatorsDb,
      idle,
      clientEventLoopLagMs: {
        p50: clientLag.percentile(50) / 1e6,
        p99: clientLag.percentile(99) / 1e6,
        max: clientLag.max / 1e6,
      },
      serverErrors: Object.values(counts).reduce(
        (n, c) =>
          n +
          Object.entries(c)
            .filter(([k]) => / 5\d\d$/.test(k))
            .reduce((m, [, v]) => m + v, 0),
        0,
      ),
    };

    // --- b. the REST list, one replica vs two ------------------------------------
    let list:
      | {
          servers: number;
          createPerSecond: number;
          single: LoadResult;
          spread: { overall: LoadResult; A: LoadResult; B: LoadResult };
        }
      | undefined;
    if (!process.env.BENCH_SKIP_LIST) {
      t0 = performance.now();
      await pool([...Array(LIST_POOLS).keys()], CONCURRENCY, async i => {
        await expect(
          replicas[i % 2],
          'POST',
          '/pools',
          agentPoolSpec(listPoolName(i)),
          201,
        );
      });
      await pool([...Array(LIST_SERVERS).keys()], CONCURRENCY, async i => {
        const p = listPoolName(i % LIST_POOLS);
        await expect(
          replicas[i % 2],
          'POST',
          '/mcp-servers',
          mcpServerSpec(p, `list-mcp-${String(i).padStart(5, '0')}`, 0),
          201,
        );
      });
      const createPerSecond =
        (LIST_POOLS + LIST_SERVERS) / ((performance.now() - t0) / 1000);
      console.log(
        `created ${LIST_POOLS} pools and ${LIST_SERVERS} MCP servers through both replicas: ${fmt(
          createPerSecond,
        )}/s, ${failures} failures so far`,
      );
      const paths = [...Array(LIST_POOLS).keys()].map(
        i => `/api/ai-gateway/mcp-servers?pool=${listPoolName(i)}&limit=100`,
      );
      const check = JSON.parse(
        (await api(b, 'GET', `/mcp-servers?pool=${listPoolName(0)}&limit=100`))
          .body,
      ) as { items: unknown[] };
      if (check.items.length !== Math.min(100, LIST_SERVERS))
        console.warn(`a page holds ${check.items.length} items, not 100`);
      const single = (
        await loadAcross(
          [{ baseUrl: a.baseUrl, paths, connections: CONNECTIONS }],
          {
            token,
            durationS: DURATION,
          },
        )
      ).overall;
      const spread = await loadAcross(
        replicas.map(r => ({
          baseUrl: r.baseUrl,
          paths,
          connections: CONNECTIONS / 2,
        })),
        { token, durationS: DURATION },
      );
      list = {
        servers: LIST_SERVERS,
        createPerSecond,
        single,
        spread: {
          overall: spread.overall,
          A: spread.perTarget[0],
          B: spread.perTarget[1],
        },
      };
      sampleMemory('list');
    }
    sampleMemory('end');

    // --- report -------------------------------------------------------------------
    const operatorRetries = replicas.reduce(
      (n, r) => n + (keepAliveRetries.get(r.agent) ?? 0),
      0,
    );
    const ms = (n: number) =>
      Number.isNaN(n) ? '-' : n === Infinity ? `>${WAKE_TIMEOUT_MS}` : fmt(n);
    const o = operatorsPart;
    console.log(
      `\na. ${OPERATORS} operators over 2 replicas, heartbeat every ${HEARTBEAT_S} s, long poll wait=${WAIT_S}, ${fmt(
        operatorSeconds,
        0,
      )} s measured`,
    );
    console.log(
      `${'measure'.padEnd(52)} ${'n'.padStart(6)} ${'p50'.padStart(
        8,
      )} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    );
    const row = (name: string, s: ReturnType<typeof summary>) =>
      console.log(
        `${name.padEnd(52)} ${String(s.count).padStart(6)} ${ms(s.p50).padStart(
          8,
        )} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)} ${ms(
          s.max,
        ).padStart(8)}`,
      );
    row('heartbeat latency, replica A (ms)', o.heartbeat.A);
    row('heartbeat latency, replica B (ms)', o.heartbeat.B);
    row('heartbeat latency, both (ms)', o.heartbeat.all);
    row('  while a change was made or delivered', o.heartbeat.duringChanges);
    row('  at other times', o.heartbeat.quiet);
    row('change -> all affected woken, every change (ms)', o.changes.allWoken);
    row(
      '  one pool, operator on A (change made on A)',
      o.changes.singlePoolSameReplica,
    );
    row(
      '  one pool, operator on B (change made on A)',
      o.changes.singlePoolOtherReplica,
    );
    row(
      `  ${WIDE_POOLS} pools at once, from the last response`,
      o.changes.wide,
    );
    row(
      `  ${WIDE_POOLS} pools at once, from the first request`,
      o.changes.wideFromFirstRequest,
    );
    row(
      'each operator, from its own change response (ms)',
      o.changes.perOperator,
    );
    row(
      `CPU seconds of a ${WIDE_POOLS}-pool change (both replicas)`,
      o.changes.wideCpuSeconds,
    );
    console.log(
      `missed wake-ups (> ${WAKE_TIMEOUT_MS / 1000} s): ${
        o.changes.missed
      }; failed changes: ${o.changes.failed}; 5xx to operators: ${
        o.serverErrors
      }`,
    );
    if (late.length)
      console.log(
        `  missed wake-ups that came later (the long poll's own end is at most ${WAIT_S} s after its start): ${late
          .map(l => `change ${l.change} after ${fmt(l.ms / 1000)} s`)
          .join(', ')}`,
      );
    console.log(
      `  operator requests sent again on a fresh connection after the server closed an idle kept-alive one: ${operatorRetries}`,
    );
    for (const r of ['A', 'B'])
      console.log(
        `  operators on ${r}: ${Object.entries(counts[r])
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}`,
      );
    console.log(
      `while the operators ran: ${fmt(
        o.operatorRequestsPerSecond,
      )} operator requests/s, CPU (share of one core) replica A ${fmt(
        cpuShare.A,
        2,
      )}, B ${fmt(cpuShare.B, 2)}; ai-gateway database: ${describeDb(
        o.aiGatewayDb,
      )}`,
    );
    console.log(
      `idle (${fmt(
        idle.seconds,
        0,
      )} s before the operators started): CPU replica A ${fmt(
        idle.cpuShare.A,
        2,
      )}, B ${fmt(idle.cpuShare.B, 2)}; ai-gateway database: ${describeDb(
        idle.db,
      )}`,
    );
    console.log(
      `this process's event loop lag p99 ${fmt(
        o.clientEventLoopLagMs.p99,
      )} ms, max ${fmt(o.clientEventLoopLagMs.max)} ms; load average ${os
        .loadavg()
        .map(n => fmt(n, 1))
        .join(' ')} (2 cores)`,
    );
    console.log('\nmemory per replica (MB): phase, VmRSS, VmHWM');
    for (const [key, m] of Object.entries(memory))
      console.log(`  ${key.padEnd(14)} ${fmt(m.rssMb)} ${fmt(m.peakMb)}`);
    if (list) {
      console.log(
        `\nb. list, page of 100 filtered by pool, ${LIST_SERVERS} MCP servers in ${LIST_POOLS} pools, ${CONNECTIONS} connections, ${DURATION} s each (latency in ms)`,
      );
      const lrow = (name: string, r: LoadResult) =>
        console.log(
          `${name.padEnd(38)} ${fmt(r.p50).padStart(8)} ${fmt(r.p90).padStart(
            8,
          )} ${fmt(r.p99).padStart(8)} ${fmt(r.rps, 0).padStart(9)} ${String(
            r.non2xx + r.errors,
          ).padStart(7)}`,
        );
      console.log(
        `${'target'.padEnd(38)} ${'p50'.padStart(8)} ${'p90'.padStart(
          8,
        )} ${'p99'.padStart(8)} ${'req/s'.padStart(9)} ${'errors'.padStart(7)}`,
      );
      lrow('one replica (A), 50 connections', list.single);
      lrow('two replicas, 25 + 25, overall', list.spread.overall);
      lrow('  replica A, 25 connections', list.spread.A);
      lrow('  replica B, 25 connections', list.spread.B);
    }
    const p95 = o.changes.allWoken.p95;
    console.log(
      `\ntargets:\n  change -> all affected operators woken p95 < 1 s ${`${ms(
        p95,
      )} ms`.padStart(12)}  ${
        o.changes.count === 0 ? 'not measured' : p95 < 1000 ? 'met' : 'NOT met'
      }\n  no 5xx to operators ${String(o.serverErrors).padStart(31)}  ${
        o.serverErrors === 0 ? 'met' : 'NOT met'
      }`,
    );
    if (firstFailure)
      console.log(
        `${failures} REST calls and ${o.changes.failed} changes failed; first: ${firstFailure}`,
      );

    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    const out = path.join(
      __dirname,
      'results',
      `replicas-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      out,
      JSON.stringify(
        {
          operators: operatorsPart,
          list,
          memoryMb: memory,
          restFailures: failures,
          keepAliveRetries: {
            operators: operatorRetries,
            rest: keepAliveRetries.get(admin) ?? 0,
          },
          firstFailure: firstFailure || undefined,
          startedTogether: together,
          node: process.version,
          cpus: os.cpus().length,
          loadAverage: os.loadavg(),
        },
        null,
        2,
      ),
    );
    console.log(`results: ${path.relative(repoRoot, out)}`);
  } finally {
    stopOperators.abort();
    admin.destroy();
    for (const r of replicas) {
      r?.agent.destroy();
      r?.backend.stop();
    }
    await Promise.all(replicas.map(r => r?.backend.exited));
    if (!process.env.BENCH_KEEP_DB) {
      try {
        for (const db of psql(
          pgUrl,
          `select datname from pg_database where starts_with(datname, '${prefix}')`,
        )
          .split('\n')
          .filter(Boolean))
          psql(pgUrl, `drop database "${db}" with (force)`);
      } catch (error) {
        console.warn(`could not drop the databases ${prefix}*: ${error}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
