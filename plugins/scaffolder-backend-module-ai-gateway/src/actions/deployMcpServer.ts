import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError } from '@backstage/errors';
import { mcpServerUrl } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import {
  mcpServerOutputs,
  reportServedState,
  servedStateInputs,
} from '../servedState';
import { createOnce, entityRefOf, validateObject } from './objects';

/**
 * `ai-gateway:mcp-server:deploy`: registers an MCP server in a pool, waits
 * briefly while the pool is being delivered, and reports whether the pool
 * serves it (and if not, why and what to do) with its URL.
 *
 * @public
 */
export function deployMcpServerAction(options: {
  client: AiGatewayClient;
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'ai-gateway:mcp-server:deploy',
    description:
      'Deploys an MCP server (a container image or a remote URL) to a pool, as the user who started the task; outputs its URL https://{pool mcp host}/{prefix}/mcp and whether the pool serves it (served, poolPhase, state, nextStep), after a bounded wait while the pool is being delivered.',
    supportsDryRun: true,
    schema: {
      input: {
        mcpServer: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The MCP server: name, project, pool, prefix, source, transport, tools (the body of POST /mcp-servers)',
            ),
        ...servedStateInputs(300),
      },
      output: mcpServerOutputs,
    },
    async handler(ctx) {
      const server = validateObject('mcpServer', ctx.input.mcpServer);
      // The scaffolder validates inputs without applying the schema's defaults.
      const { wait = true, timeoutSeconds = 300 } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const { client } = options;
      // Read-only checks run in dry runs too, as the user: the pool must be
      // visible to them and the prefix free.
      const pool = await client.call(credentials, (api, o) =>
        api.getPool({ path: { name: server.pool } }, o),
      );
      const url = mcpServerUrl(pool.spec, { prefix: server.prefix as string });
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
      ctx.logger.info(`MCP server ${server.name} will be served at ${url}`);
      if (!ctx.isDryRun) {
        await ctx.checkpoint({
          key: `ai-gateway:mcp-server:deploy:${server.name}`,
          fn: async () => {
            await createOnce({
              client,
              credentials,
              kind: 'mcpServer',
              body: ctx.input.mcpServer,
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
        pool: server.pool,
        what: `MCP server ${server.name}`,
        wait,
        timeoutSeconds,
        pollMs: options.pollMs,
      });
      ctx.output('name', server.name);
      ctx.output('url', url);
      ctx.output('entityRef', entityRefOf('mcpServer', server.name));
    },
  });
}
