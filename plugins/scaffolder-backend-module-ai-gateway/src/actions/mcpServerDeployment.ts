import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { mcpServerUrl } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import { reportServedState, type ServedStateContext } from '../servedState';
import { createOnce, entityRefOf } from './objects';

/**
 * The URL an MCP server gets in its pool, after checking as the user (in dry
 * runs too) that the pool is visible to them and the prefix is free or the
 * server's own (a retried task).
 */
export async function gatewayUrlIfPrefixFree(options: {
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  server: { name: string; pool: string; prefix: string };
}): Promise<string> {
  const { client, credentials, server } = options;
  const pool = await client.call(credentials, (api, o) =>
    api.getPool({ path: { name: server.pool } }, o),
  );
  const clash = (
    await client.call(credentials, (api, o) =>
      api.listMcpServers(
        { query: { pool: server.pool, prefix: server.prefix, limit: 1 } },
        o,
      ),
    )
  ).items[0];
  if (clash && clash.name !== server.name) {
    throw new ConflictError(
      `prefix '${server.prefix}' is already used by MCP server '${clash.name}' in pool ${server.pool}`,
    );
  }
  return mcpServerUrl(pool.spec, { prefix: server.prefix });
}

/**
 * The end of every action that deploys an MCP server: creates it once as the
 * user (not in a dry run; a retried task carries on), reports the pool's
 * served state and outputs its name, URL and entity.
 */
export async function createMcpServerAndReport(options: {
  ctx: ServedStateContext & {
    checkpoint(opts: { key: string; fn: () => Promise<void> }): Promise<void>;
    user?: { ref?: string };
  };
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  /** The body of POST /mcp-servers. */
  body: Record<string, unknown> & { name: string; pool: string };
  /** The checkpoint key of the create, unique per action and server. */
  checkpointKey: string;
  url: string;
  wait: boolean;
  timeoutSeconds: number;
  pollMs?: number;
}): Promise<void> {
  const { ctx, client, credentials, body } = options;
  if (!ctx.isDryRun) {
    await ctx.checkpoint({
      key: options.checkpointKey,
      fn: async () => {
        await createOnce({
          client,
          credentials,
          kind: 'mcpServer',
          body,
          logger: ctx.logger,
          userRef: ctx.user?.ref,
        });
      },
    });
  }
  await reportServedState({
    ctx,
    client,
    credentials,
    pool: body.pool,
    what: `MCP server ${body.name}`,
    wait: options.wait,
    timeoutSeconds: options.timeoutSeconds,
    pollMs: options.pollMs,
  });
  ctx.output('name', body.name);
  ctx.output('url', options.url);
  ctx.output('entityRef', entityRefOf('mcpServer', body.name));
}
