import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

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
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 180_000)
      throw new Error(
        `backend not ready after 180 s:\n${output.join('').slice(-3000)}`,
      );
    await new Promise(r => setTimeout(r, 250));
  }
  return {
    child,
    startMs: Date.now() - started,
    output,
    stop: () => child.kill('SIGINT'),
  };
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
        setupRequest: req => ({
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

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
