import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { AddressInfo } from 'node:net';
import { AiGatewayClient } from '../AiGatewayClient';

/**
 * A client of a test backend's control plane that calls it on behalf of the
 * given credentials, as the scaffolder does with a real on-behalf-of token.
 */
export function clientFor(server: {
  address(): AddressInfo | string | null;
}): AiGatewayClient {
  const port = (server.address() as AddressInfo).port;
  return new AiGatewayClient({
    discovery: {
      getBaseUrl: async () => `http://localhost:${port}/api/ai-gateway`,
      getExternalBaseUrl: async () => `http://localhost:${port}/api/ai-gateway`,
    },
    auth: {
      getPluginRequestToken: async ({
        onBehalfOf,
      }: {
        onBehalfOf: BackstageCredentials;
      }) => ({
        token: mockCredentials.user.token(
          (onBehalfOf.principal as { userEntityRef: string }).userEntityRef,
        ),
      }),
    } as any,
  });
}

/** A mock action context run by `userRef`, with checkpoints kept in `checkpoints` (so a retry can be simulated) and every log line captured. */
export function actionContext<I extends Record<string, any>>(options: {
  input: I;
  userRef: string;
  checkpoints?: Map<string, unknown>;
  isDryRun?: boolean;
  workspacePath?: string;
}) {
  const logs: string[] = [];
  const outputs: Record<string, unknown> = {};
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx = createMockActionContext<I>({
    input: options.input,
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
    user: { ref: options.userRef },
  });
  // createMockActionContext takes only some fields; the rest are set here.
  Object.assign(ctx, {
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () => mockCredentials.user(options.userRef),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    async checkpoint({ key, fn }: { key: string; fn: () => any }) {
      if (checkpoints.has(key)) return checkpoints.get(key);
      const value = await fn();
      checkpoints.set(key, value);
      return value;
    },
  });
  const capture =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      logs.push(
        `${level} ${String(message)} ${
          rest.length ? JSON.stringify(rest) : ''
        }`,
      );
    };
  (ctx as any).logger = {
    info: capture('info'),
    warn: capture('warn'),
    error: capture('error'),
    debug: capture('debug'),
    child: () => (ctx as any).logger,
  };
  return { ctx, logs, outputs, checkpoints };
}
