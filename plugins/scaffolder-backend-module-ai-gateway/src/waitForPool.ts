import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { PoolStatus } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { AiGatewayClient } from './AiGatewayClient';

export type WaitOptions = {
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  pool: string;
  logger: Pick<LoggerService, 'info'>;
  timeoutSeconds: number;
  pollMs?: number;
  signal?: AbortSignal;
};

/** The pool's status as the control plane reports it now. */
export function readPoolStatus(
  options: Pick<WaitOptions, 'client' | 'credentials' | 'pool'>,
): Promise<PoolStatus> {
  return options.client.call(options.credentials, (api, o) =>
    api.getPoolStatus({ path: { name: options.pool } }, o),
  );
}

/**
 * Polls the pool's status until `done` says so, the time is up or the task
 * is cancelled; logs every phase change. Never fails for the pool's state:
 * the caller reports the status it ends with (`reached` says whether `done`
 * held).
 */
export async function waitForPool(
  options: WaitOptions,
  done: (status: PoolStatus) => boolean,
): Promise<{ status: PoolStatus; reached: boolean }> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let lastPhase: string | undefined;
  for (;;) {
    const status = await readPoolStatus(options);
    if (status.phase !== lastPhase) {
      options.logger.info(`Pool ${options.pool} is ${status.phase}`);
      lastPhase = status.phase;
    }
    if (done(status)) return { status, reached: true };
    if (Date.now() > deadline || options.signal?.aborted) {
      return { status, reached: false };
    }
    await new Promise(r => setTimeout(r, options.pollMs ?? 2000));
  }
}
