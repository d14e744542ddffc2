import type {
  Heartbeat,
  HeartbeatInput,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  readBundleHealth,
  KubernetesApplier,
  type ApplyResult,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  ControlPlaneClient,
  TokenRejectedError,
  type PulledBundle,
} from './ControlPlaneClient';

export const OPERATOR_VERSION = '0.1.0';

export type OperatorLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

export type OperatorOptions = {
  controlPlane: ControlPlaneClient;
  kubeConfig: KubeConfig;
  /** The namespace it runs in; it touches nothing outside it. */
  namespace: string;
  logger?: OperatorLogger;
  /** How long a pull waits for a change; also the heartbeat period. Default 15 s. */
  pollSeconds?: number;
  /** Re-applies the running bundle this often to repair drift. Default 300 s. */
  resyncSeconds?: number;
  /** Apply concurrency within a wave. Default 8. */
  concurrency?: number;
  /** Retry delays after failures: from this, doubling up to 30 s. Default 1 s. */
  backoffMs?: number;
};

const consoleLogger: OperatorLogger = {
  info: m => console.log(JSON.stringify({ level: 'info', message: m })),
  warn: m => console.warn(JSON.stringify({ level: 'warn', message: m })),
  error: m => console.error(JSON.stringify({ level: 'error', message: m })),
};

/**
 * The operator's reconcile loop: heartbeat, pull (long poll, conditional on
 * the running revision), refuse what is not its namespace's, apply with
 * pruning, read health back, report. Errors never end the loop; they are
 * reported in the next heartbeat and retried with backoff.
 */
export class OperatorAgent {
  readonly #options: OperatorOptions;
  readonly #applier: KubernetesApplier;
  readonly #logger: OperatorLogger;
  #running: PulledBundle | undefined;
  #lastApply: Heartbeat['lastApply'];
  #components: Heartbeat['components'] = [];
  #lastResync = 0;
  /** Consecutive failed applies, and when the next retry is due. */
  #applyFailures = 0;
  #nextRetryAt = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Set when the control plane refused the token; /healthz reports it. */
  tokenRejected = false;
  /** Successful heartbeats, for /healthz and tests. */
  heartbeats = 0;

  constructor(options: OperatorOptions) {
    this.#options = options;
    this.#applier = new KubernetesApplier(options.kubeConfig, {
      namespace: options.namespace,
    });
    this.#logger = options.logger ?? consoleLogger;
  }

  get runningRevision(): string | undefined {
    return this.#lastApply?.succeeded ? this.#running?.revision : undefined;
  }

  start(): void {
    this.#stopped = false;
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  async #sleep(ms: number) {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #run(): Promise<void> {
    const poll = this.#options.pollSeconds ?? 15;
    const base = this.#options.backoffMs ?? 1000;
    let failures = 0;
    while (!this.#stopped) {
      try {
        const reply = await this.#heartbeat();
        const failed =
          this.#running !== undefined && !this.#lastApply?.succeeded;
        const retryIn = failed
          ? Math.max(0, this.#nextRetryAt - Date.now())
          : Infinity;
        // Conditional on the last bundle tried: an unchanged, failing bundle
        // is retried on the backoff timer, not fetched again and again.
        const ifNoneMatch =
          reply.syncRequested || reply.reseedRequested
            ? undefined
            : this.#running?.revision;
        const wait = Math.min(poll, retryIn / 1000);
        const bundle = await this.#options.controlPlane.pull(
          ifNoneMatch,
          this.#stopped ? 0 : wait,
        );
        if (this.#stopped) break;
        const resyncDue =
          this.#running !== undefined &&
          Date.now() - this.#lastResync >
            (this.#options.resyncSeconds ?? 300) * 1000;
        if (bundle) {
          await this.reconcile(bundle);
        } else if ((failed && Date.now() >= this.#nextRetryAt) || resyncDue) {
          await this.reconcile(this.#running!);
        } else {
          this.#components = await this.#readHealth(this.#running);
        }
        failures = 0;
      } catch (error) {
        failures++;
        this.tokenRejected = error instanceof TokenRejectedError;
        const delay = Math.min(base * 2 ** Math.min(failures - 1, 5), 30_000);
        this.#logger.warn(
          `${
            error instanceof Error ? error.message : error
          }; retrying in ${delay} ms`,
        );
        await this.#sleep(delay);
      }
    }
  }

  async #heartbeat() {
    const body: HeartbeatInput = {
      operatorVersion: OPERATOR_VERSION,
      runningRevision: this.runningRevision ?? null,
      components: this.#components.slice(0, 2000),
      ...(this.#lastApply ? { lastApply: this.#lastApply } : {}),
    };
    const reply = await this.#options.controlPlane.heartbeat(body);
    this.tokenRejected = false;
    this.heartbeats++;
    return reply;
  }

  /**
   * Applies one bundle: refuses objects outside its namespace (cluster-scoped
   * or another namespace) before touching anything, then applies and prunes.
   */
  async reconcile(bundle: PulledBundle): Promise<ApplyResult | undefined> {
    const appliedAt = () => new Date().toISOString();
    const refused = bundle.objects.filter(
      o =>
        o.metadata.namespace !== undefined &&
        o.metadata.namespace !== this.#options.namespace,
    );
    let result: ApplyResult | undefined;
    let failure: string | undefined;
    if (bundle.namespace !== this.#options.namespace || refused.length) {
      const where = refused.length
        ? refused
            .map(
              o =>
                `${o.kind}/${o.metadata.name} is in namespace ${o.metadata.namespace}`,
            )
            .join(', ')
        : `the bundle is for namespace ${bundle.namespace}`;
      failure = `refused: ${where}, but this operator manages only ${
        this.#options.namespace
      }`;
    } else {
      const problems = await this.#applier.preflight(bundle.objects);
      if (problems.length) {
        failure = problems.map(p => p.message).join('; ');
      } else {
        result = await this.#applier.apply(bundle.objects, {
          concurrency: this.#options.concurrency,
          prune: { labelSelector: bundle.labelSelector, kinds: bundle.kinds },
        });
        if (result.failed.length) {
          failure = result.failed
            .slice(0, 5)
            .map(f => `${f.ref}: ${f.code ? `${f.code} ` : ''}${f.message}`)
            .join('; ')
            .concat(
              result.failed.length > 5
                ? `; and ${result.failed.length - 5} more`
                : '',
            );
        }
      }
    }
    this.#running = bundle;
    this.#lastResync = Date.now();
    this.#lastApply = {
      revision: bundle.revision,
      succeeded: !failure,
      appliedAt: appliedAt(),
      objects: result?.applied.length ?? 0,
      ...(failure ? { message: failure.slice(0, 32_000) } : {}),
    };
    if (failure) {
      this.#applyFailures++;
      const delay = Math.min(
        (this.#options.backoffMs ?? 1000) *
          2 ** Math.min(this.#applyFailures - 1, 5),
        30_000,
      );
      this.#nextRetryAt = Date.now() + delay;
      this.#logger.error(
        `Applying ${bundle.revision} failed: ${failure}; retrying in ${delay} ms`,
      );
    } else {
      this.#applyFailures = 0;
    }
    if (!failure)
      this.#logger.info(
        `Applied ${bundle.revision}: ${result!.applied.length} objects, ${
          result!.pruned.length
        } pruned in ${result!.durationMs} ms`,
      );
    this.#components = failure
      ? this.#components
      : await this.#readHealth(bundle);
    // Report at once rather than at the next poll: latency is what users see.
    await this.#heartbeat().catch(e =>
      this.#logger.warn(`heartbeat after apply failed: ${e}`),
    );
    return result;
  }

  async #readHealth(
    bundle: PulledBundle | undefined,
  ): Promise<Heartbeat['components']> {
    if (!bundle) return [];
    try {
      return await readBundleHealth(
        this.#applier,
        bundle,
        bundle.labelSelector,
      );
    } catch (error) {
      return [
        {
          name: 'kubernetes-api',
          healthy: false,
          message: `cannot read status: ${
            error instanceof Error ? error.message : error
          }`,
        },
      ];
    }
  }
}
