import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { outputDir, repoRoot } from './paths';
import { TrackedProcess } from './processes';

const backendDir = path.join(repoRoot, 'packages', 'backend');

export type ReplicaOptions = {
  /** `a`, `b`: names the config overlay and the log file. */
  name: string;
  port: number;
  /**
   * The portal's URL (`backend.baseUrl`): the load balancer's, the same for
   * every replica as behind a Kubernetes Service or ingress. It is the
   * external URL of every plugin, e.g. the control-plane URL rendered into a
   * pool's operator Deployment, so replicas with different ones would render
   * different bundles (revisions) for the same pool.
   */
  externalUrl: string;
  postgresUrl: string;
  /** Every replica of a run shares them: databases `<prefix><pluginId>`. */
  databasePrefix: string;
  /** Static external-access token the tests call the API with. */
  token: string;
};

/**
 * One replica of the portal's backend (packages/backend) as `scripts/start.sh`
 * runs it (`backstage-cli package start` runs src/index.ts with Backstage's
 * node transform, NODE_ENV=development, from packages/backend): the
 * repository's app-config.yaml plus an overlay with its own port, the
 * portal's URL and the shared PostgreSQL database. Without the watcher, so `kill -9` hits
 * the backend itself.
 */
export class BackendReplica {
  readonly configFile: string;
  readonly logFile: string;
  process: TrackedProcess | undefined;
  /** Starts so far (1 after the first start, 2 after a restart). */
  starts = 0;

  constructor(readonly options: ReplicaOptions) {
    this.configFile = path.join(
      outputDir,
      `app-config.replica-${options.name}.yaml`,
    );
    this.logFile = path.join(outputDir, `replica-${options.name}.log`);
    this.useDatabases(options.databasePrefix);
  }

  /** Writes the overlay: the next start uses the databases `<prefix><pluginId>`. */
  useDatabases(prefix: string): void {
    const { options } = this;
    writeFileSync(
      this.configFile,
      stringify({
        backend: {
          baseUrl: options.externalUrl,
          listen: { port: options.port, host: '127.0.0.1' },
          database: {
            client: 'pg',
            connection: options.postgresUrl,
            prefix,
          },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: options.token, subject: 'replicas-tier' },
              },
            ],
          },
        },
        aiGateway: {
          demoData: { enabled: true, directory: '../../examples/demo' },
        },
      }),
    );
  }

  get name(): string {
    return this.options.name;
  }

  /** Where this replica itself listens (the load balancer's upstream). */
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return !!this.process?.running;
  }

  /** Starts the process (appending to its log); does not wait for readiness. */
  start(): void {
    if (this.running) throw new Error(`replica ${this.name} is running`);
    this.starts += 1;
    writeFileSync(
      this.logFile,
      `\n===== start ${this.starts} at ${new Date().toISOString()} =====\n`,
      { flag: 'a' },
    );
    this.process = new TrackedProcess({
      name: `replica-${this.name}`,
      command: process.execPath,
      args: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        this.configFile,
      ],
      cwd: backendDir,
      env: {
        ...process.env,
        // Jest sets NODE_ENV=test; the portal runs as scripts/start.sh starts it.
        NODE_ENV: 'development',
        LOG_LEVEL: process.env.AIGW_REPLICAS_LOG_LEVEL ?? 'info',
        FORCE_COLOR: '0',
      },
      logFile: this.logFile,
      marker: this.configFile,
    });
  }

  /** Resolves when /.backstage/health/v1/readiness answers 200. */
  async waitUntilReady(timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    const proc = this.process;
    if (!proc) throw new Error(`replica ${this.name} was not started`);
    for (;;) {
      // A plugin failed to start: the backend logs it and keeps running
      // without ever becoming ready.
      const failed = /Backend startup failed[^\n]*(\n[^\n]*)?/.exec(
        this.log().replace(/\u001b\[[0-9;]*m/g, ''),
      );
      if (failed) {
        throw new Error(`replica ${this.name} failed to start: ${failed[0]}`);
      }
      if (!proc.running) {
        throw new Error(
          `replica ${this.name} exited (${proc.child.exitCode ?? ''}${
            proc.child.signalCode ?? ''
          }) before it was ready:\n${this.logTail()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(2000),
        });
        if (res.ok) return Date.now() - started;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `replica ${
            this.name
          } not ready after ${timeoutMs} ms:\n${this.logTail()}`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  /** `kill -9`: no shutdown hooks, open connections reset. */
  async killHard(): Promise<void> {
    await this.process?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.process?.kill('SIGTERM', 15_000);
  }

  /** The log of the current start (the file keeps every start). */
  log(): string {
    const text = readFileSync(this.logFile, 'utf8');
    return text.slice(text.lastIndexOf('===== start '));
  }

  logTail(chars = 4000): string {
    return this.log().slice(-chars);
  }

  /** Lines the backend logged at level error during the current start. */
  errorLines(): string[] {
    // Development format: `<time> <plugin> <level> <message>`, maybe coloured.
    return this.log()
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .filter(line => /^\S+ \S+ error /.test(line));
  }
}
