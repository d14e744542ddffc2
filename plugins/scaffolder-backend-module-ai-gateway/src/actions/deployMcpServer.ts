import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AiGatewayClient } from '../AiGatewayClient';
import { mcpServerOutputs, servedStateInputs } from '../servedState';
import {
  createMcpServerAndReport,
  gatewayUrlIfPrefixFree,
} from './mcpServerDeployment';
import { validateObject } from './objects';

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
      const url = await gatewayUrlIfPrefixFree({
        client,
        credentials,
        server: {
          name: server.name,
          pool: server.pool,
          prefix: server.prefix as string,
        },
      });
      ctx.logger.info(`MCP server ${server.name} will be served at ${url}`);
      await createMcpServerAndReport({
        ctx,
        client,
        credentials,
        // The body as given: the control plane applies its own defaults.
        body: { ...ctx.input.mcpServer, name: server.name, pool: server.pool },
        checkpointKey: `ai-gateway:mcp-server:deploy:${server.name}`,
        url,
        wait,
        timeoutSeconds,
        pollMs: options.pollMs,
      });
    },
  });
}
