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
  logger: LoggerService | { info(m: string): void };
  timeoutSeconds: number;
  pollMs?: number;
  signal?: AbortSignal;
};

/** The pool's conditions as one line per condition, for task logs and errors. */
export function describeConditions(status: PoolStatus): string {
  return status.conditions
    .map(
      c =>
        `${c.type}=${c.status} (${c.reason})${
          c.message ? `: ${c.message}` : ''
        }`,
    )
    .join('\n');
}

/**
 * Polls the pool's status until `done` says so; logs every phase change and
 * fails with the pool's conditions on timeout.
 */
export async function waitForPool(
  options: WaitOptions,
  what: string,
  done: (status: PoolStatus) => boolean,
): Promise<PoolStatus> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let lastPhase: string | undefined;
  for (;;) {
    const status: PoolStatus = await options.client.call(
      options.credentials,
      (api, o) => api.getPoolStatus({ path: { name: options.pool } }, o),
    );
    if (status.phase !== lastPhase) {
      options.logger.info(`Pool ${options.pool} is ${status.phase}`);
      lastPhase = status.phase;
    }
    if (done(status)) return status;
    if (Date.now() > deadline || options.signal?.aborted) {
      throw new Error(
        `Pool ${options.pool} did not ${what} within ${
          options.timeoutSeconds
        } s; it is ${status.phase}:\n${describeConditions(status)}`,
      );
    }
    await new Promise(r => setTimeout(r, options.pollMs ?? 2000));
  }
}
