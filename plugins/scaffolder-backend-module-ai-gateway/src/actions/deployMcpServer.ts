import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError } from '@backstage/errors';
import { mcpServerUrl } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import { waitForPool } from '../waitForPool';
import { createOnce, entityRefOf, validateObject } from './objects';

/**
 * `ai-gateway:mcp-server:deploy`: registers an MCP server in a pool, waits
 * until the pool serves it (runs the revision that contains it) and outputs
 * its URL.
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
      'Deploys an MCP server (a container image or a remote URL) to a pool, as the user who started the task; waits until the pool serves it and outputs its URL https://{pool mcp host}/{prefix}/mcp.',
    supportsDryRun: true,
    schema: {
      input: {
        mcpServer: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The MCP server: name, project, pool, prefix, source, transport, tools (the body of POST /mcp-servers)',
            ),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until the pool serves the server'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .default(300)
            .describe('How long to wait'),
      },
      output: {
        name: z => z.string(),
        url: z => z.string().describe('Where clients reach the MCP server'),
        entityRef: z =>
          z.string().describe('The MCP server entity, e.g. api:default/github'),
      },
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
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: MCP server ${server.name} would be deployed to pool ${server.pool}`,
        );
      } else {
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
        const current = await client.call(credentials, (api, o) =>
          api.getPoolStatus({ path: { name: server.pool } }, o),
        );
        const noOperator =
          pool.spec.delivery?.mode !== 'direct' &&
          (current.phase === 'Pending' || current.phase === 'Stale');
        if (wait && noOperator) {
          // Nobody applies the pool's bundle right now: waiting would only time out.
          ctx.logger.warn(
            `Pool ${server.pool} is ${current.phase} (no operator is connected); MCP server ${server.name} is registered and will be served once the pool's operator applies it`,
          );
        } else if (wait) {
          // The desired revision now contains the server: served once it runs.
          const manifests = await client.call(credentials, (api, o) =>
            api.getPoolManifests({ path: { name: server.pool }, query: {} }, o),
          );
          ctx.logger.info(
            `Waiting for pool ${server.pool} to run revision ${manifests.revision}`,
          );
          await waitForPool(
            {
              client,
              credentials,
              pool: server.pool,
              logger: ctx.logger,
              timeoutSeconds,
              pollMs: options.pollMs,
              signal: ctx.signal,
            },
            `serve MCP server ${server.name}`,
            s =>
              s.phase === 'Active' &&
              s.heartbeat?.runningRevision !== undefined &&
              s.heartbeat?.runningRevision === s.desiredRevision,
          );
          ctx.logger.info(`MCP server ${server.name} is served at ${url}`);
        }
      }
      ctx.output('name', server.name);
      ctx.output('url', url);
      ctx.output('entityRef', entityRefOf('mcpServer', server.name));
    },
  });
}
