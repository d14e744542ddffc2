import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away Prometheus scraping given targets.
 *
 * @public
 */
export interface TestPrometheus {
  /** `http://127.0.0.1:<port>` (also when it listens on every address). */
  url: string;
  /** Its config, data and log. */
  dir: string;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

/** @public */
export interface TestPrometheusOptions {
  /** `host:port` of each scrape target (e.g. the metrics exporter's `target`). */
  targets: string[];
  /** Prometheus's scrape interval (default `1s`; `15s` is what gateways usually get). */
  scrapeInterval?: string;
  /** The address it listens on (default 127.0.0.1; 0.0.0.0 to be a Service's endpoint). */
  listenHost?: string;
}

/**
 * Where the Prometheus binary is: `AIGW_PROMETHEUS`, else Debian's or a
 * local install; undefined when there is none (see {@link startTestPrometheus}).
 *
 * @public
 */
export function findPrometheus(): string | undefined {
  return (
    process.env.AIGW_PROMETHEUS ??
    ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find(existsSync)
  );
}

/**
 * Whether tests that need Prometheus run here: it is installed, or `CI` is
 * set (then {@link startTestPrometheus} installs Debian's).
 *
 * @public
 */
export function prometheusAvailable(): boolean {
  return Boolean(findPrometheus()) || Boolean(process.env.CI);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real Prometheus (Debian's `prometheus`, installed with apt-get
 * when missing and `CI` is set) on a free port of its own folder, scraping
 * `targets`, and resolves when it is ready.
 *
 * @public
 */
export async function startTestPrometheus(
  options: TestPrometheusOptions,
): Promise<TestPrometheus> {
  let binary = findPrometheus();
  if (!binary && process.env.CI) {
    execFileSync(
      'bash',
      [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 },
    );
    binary = '/usr/bin/prometheus';
  }
  if (!binary) {
    throw new Error(
      'No Prometheus: apt-get install prometheus, or set AIGW_PROMETHEUS to its binary',
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'aigw-prometheus-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: {
        scrape_interval: options.scrapeInterval ?? '1s',
        scrape_timeout: '1s',
        evaluation_interval: '1s',
      },
      scrape_configs: [
        {
          job_name: 'agentgateway',
          static_configs: [{ targets: options.targets }],
        },
      ],
    }),
  );
  const port = await freePort();
  const log: string[] = [];
  const proc = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${options.listenHost ?? '127.0.0.1'}:${port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', d => log.push(String(d)));
  proc.stderr!.on('data', d => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise(resolve => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && proc.exitCode === null) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, dir, stop };
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(
    `Prometheus did not become ready at ${url}; its output:\n${log.join('')}`,
  );
}
