import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { stringify } from 'yaml';

export const repoRoot = path.resolve(__dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Peak and current resident memory of a process, in MB (Linux). */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU time (user + system) a process has used so far, in seconds (Linux). */
export function cpuSecondsOf(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const CLOCK_TICKS_PER_SECOND = 100;
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Starts bench/backend.ts with the given config file and waits until it is ready. */
export async function startBackend(
  configFile: string,
  baseUrl: string,
  env: Record<string, string> = {},
) {
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each backend on exit.
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
        : []),
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, 'backend.ts'),
      '--config',
      configFile,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A bench that crashes (process.exit) must not leave its backend running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const keep = (d: Buffer) => {
    output.push(String(d));
    if (process.env.BENCH_DEBUG) process.stderr.write(d);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `backend exited (${child.exitCode}):\n${output.join('').slice(-3000)}`,
      );
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // Not listening yet, or the connection was refused or reset: try again.
    }
    if (Date.now() - started > 180_000) {
      // Not ready (e.g. a plugin failed and the others keep it alive): stop it.
      child.kill('SIGKILL');
      throw new Error(
        `backend not ready after 180 s:\n${output.join('').slice(-3000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
  const exited = new Promise<void>(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    startMs: Date.now() - started,
    output,
    stop: () => child.kill('SIGINT'),
    /** Resolves when the process has exited. */
    exited,
  };
}

/**
 * `fetch`, retried on connection errors (refused, reset, timed out) for up
 * to `attempts` tries; HTTP errors are answers and are returned as they are.
 */
export async function fetchRetrying(
  url: string,
  init: RequestInit = {},
  attempts = 5,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, {
        ...init,
        signal: init.signal ?? AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise(r => setTimeout(r, 250 * attempt));
    }
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export type LoadResult = {
  p50: number;
  p90: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
};

/** autocannon against a rotating list of paths. */
export async function load(options: {
  baseUrl: string;
  token: string;
  paths: string[];
  connections: number;
  durationS: number;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationS,
    headers: { authorization: `Bearer ${options.token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: any) => ({
          ...req,
          path: options.paths[i++ % options.paths.length],
        }),
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * autocannon against several backends at once (one instance each, all in
 * this process), e.g. replicas behind no load balancer. The latency
 * histograms are merged (autocannon's own aggregation), so the overall
 * percentiles are those of every request, not an average of percentiles;
 * req/s add up.
 */
export async function loadAcross(
  targets: Array<{ baseUrl: string; paths: string[]; connections: number }>,
  options: { token: string; durationS: number },
): Promise<{ overall: LoadResult; perTarget: LoadResult[] }> {
  const raw = await Promise.all(
    targets.map(target => {
      let i = 0;
      return autocannon({
        url: target.baseUrl,
        connections: target.connections,
        duration: options.durationS,
        headers: { authorization: `Bearer ${options.token}` },
        // The raw result keeps the encoded histograms for the merge below.
        skipAggregateResult: true,
        requests: [
          {
            method: 'GET',
            setupRequest: (req: any) => ({
              ...req,
              path: target.paths[i++ % target.paths.length],
            }),
          },
        ],
      }) as Promise<any>;
    }),
  );
  const summarise = (results: any[]): LoadResult => {
    const merged = autocannon.aggregateResult(results, {
      url: targets[0].baseUrl,
      connections: targets.reduce((n, t) => n + t.connections, 0),
    });
    // aggregateResult leaves the per-second request histogram empty; each
    // instance's completed requests over its own duration are the rate.
    const rps = results.reduce(
      (sum, r) => sum + r.totalCompletedRequests / r.duration,
      0,
    );
    return {
      p50: merged.latency.p50,
      p90: merged.latency.p90,
      p99: merged.latency.p99,
      rps,
      requests: merged.latency.totalCount,
      non2xx: merged.non2xx,
      errors: merged.errors,
    };
  };
  const perTarget = raw.map(r => summarise([r]));
  return { overall: summarise(raw), perTarget };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/**
 * Writes the config file of a bench backend: the catalog kinds the benches
 * load, the permission framework on, a static token for the REST calls.
 */
export function writeBackendConfig(options: {
  dir: string;
  name: string;
  port: number;
  token: string;
  database: object;
  locations?: object[];
  aiGateway?: object;
}): string {
  const { dir, name, port, token } = options;
  const file = path.join(dir, `app-config.${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      app: { baseUrl: 'http://127.0.0.1:3000' },
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: options.database,
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
      permission: { enabled: true },
      catalog: {
        rules: [{ allow: ['Group', 'System', 'Resource', 'API', 'Location'] }],
        locations: options.locations ?? [],
      },
      aiGateway: { demoData: { enabled: false }, ...options.aiGateway },
    }),
  );
  return file;
}
