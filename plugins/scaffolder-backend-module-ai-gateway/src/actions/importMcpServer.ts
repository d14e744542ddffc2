import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { FieldIssue } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import { formInputError } from '../formErrors';
import { mcpServerOutputs, servedStateInputs } from '../servedState';
import {
  createMcpServerAndReport,
  gatewayUrlIfPrefixFree,
} from './mcpServerDeployment';

/** Pages of a source searched at most for the entry named (search narrows them). */
const MAX_PAGES = 5;

type SecretRef = { name: string; key: string };

/**
 * `secretRefs` as the import takes them, from either form: an object by
 * input name, or the list a template's form gives
 * (`[{ variable, secretRef: { name, key } }]`).
 */
export function secretRefsByName(given: unknown): {
  refs?: Record<string, SecretRef>;
  issues: FieldIssue[];
} {
  if (given === undefined || given === null) return { issues: [] };
  if (!Array.isArray(given)) {
    return { refs: given as Record<string, SecretRef>, issues: [] };
  }
  const refs: Record<string, SecretRef> = {};
  const issues: FieldIssue[] = [];
  given.forEach((item: any, i) => {
    const variable = item?.variable;
    if (typeof variable !== 'string' || !variable) {
      issues.push({
        field: `secretRefs[${i}].variable`,
        message: 'is required: the name of the variable or header',
      });
    } else if (refs[variable]) {
      issues.push({
        field: `secretRefs[${i}].variable`,
        message: `is ${variable} a second time`,
      });
    } else {
      refs[variable] = item.secretRef;
    }
  });
  return { refs, issues };
}

/** The registry entry a source lists under `serverName`, with whether it imports. */
async function findEntry(
  client: AiGatewayClient,
  credentials: BackstageCredentials,
  source: string,
  serverName: string,
) {
  const page = (cursor?: string) =>
    client.call(credentials, (api, o) =>
      api.listMcpRegistrySourceServers(
        {
          path: { source },
          query: {
            search: serverName,
            limit: 100,
            ...(cursor ? { cursor } : {}),
          },
        },
        o,
      ),
    );
  let answer = await page();
  for (let pages = 1; ; pages++) {
    const found = answer.servers.find(e => e.server.name === serverName);
    if (found) return found;
    if (!answer.nextCursor || pages >= MAX_PAGES) return undefined;
    answer = await page(answer.nextCursor);
  }
}

/**
 * `ai-gateway:mcp-server:import`: deploys an entry of an MCP registry (a
 * server.json) to a pool, as the user who started the task: converted and
 * checked by the control plane (`POST /mcp-servers/import`, dry run), then
 * created like `ai-gateway:mcp-server:deploy` does, and reports whether the
 * pool serves it.
 *
 * @public
 */
export function importMcpServerAction(options: {
  client: AiGatewayClient;
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'ai-gateway:mcp-server:import',
    description:
      'Deploys an MCP registry entry (a server.json: a remote, or an oci package over HTTP) to a pool, as the user who started the task; the entry is read from a configured registry source (source + serverName) or given (serverJson). Outputs its URL and whether the pool serves it (served, poolPhase, state, nextStep), after a bounded wait while the pool is being delivered.',
    supportsDryRun: true,
    schema: {
      input: {
        source: z =>
          z
            .string()
            .optional()
            .describe(
              'A registry of aiGateway.mcpRegistry.sources (with serverName)',
            ),
        serverName: z =>
          z
            .string()
            .optional()
            .describe(
              'The entry of the source, e.g. io.github.example/weather (its latest version)',
            ),
        serverJson: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe('A server.json, instead of source + serverName'),
        project: z => z.string().describe('The project of the MCP server'),
        pool: z => z.string().describe('The pool that serves it'),
        name: z =>
          z
            .string()
            .optional()
            .describe(
              'The MCP server name and path prefix (default: the part of the server name after "/")',
            ),
        secretRefs: z =>
          z
            .union([
              z.record(
                z.string(),
                z.object({ name: z.string(), key: z.string() }),
              ),
              z.array(
                z.object({
                  variable: z.string().optional(),
                  secretRef: z.object({ name: z.string(), key: z.string() }),
                }),
              ),
            ])
            .optional()
            .describe(
              'Kubernetes Secret references for the secret inputs, by input name ({ API_KEY: { name, key } }) or as [{ variable, secretRef }]',
            ),
        values: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Values of non-secret inputs, by name'),
        ...servedStateInputs(300),
      },
      output: {
        ...mcpServerOutputs,
        serverName: z => z.string().describe('The registry name of the entry'),
        version: z => z.string().describe('The version of the entry deployed'),
      },
    },
    async handler(ctx) {
      const { client } = options;
      const { source, serverName, project, pool, name, values } = ctx.input;
      // The scaffolder validates inputs without applying the schema's defaults.
      const { wait = true, timeoutSeconds = 300 } = ctx.input;
      const issues: FieldIssue[] = [];
      const bySource = Boolean(source || serverName);
      if (bySource && ctx.input.serverJson) {
        issues.push({
          field: 'serverJson',
          message: 'is given with source and serverName: give one or the other',
        });
      } else if (bySource && (!source || !serverName)) {
        issues.push({
          field: source ? 'serverName' : 'source',
          message: 'is required with the other: the entry of a registry source',
        });
      } else if (!bySource && !ctx.input.serverJson) {
        issues.push({
          field: 'serverName',
          message:
            'is required: pick an entry of an MCP registry (or give serverJson)',
        });
      }
      const secretRefs = secretRefsByName(ctx.input.secretRefs);
      issues.push(...secretRefs.issues);
      if (issues.length) throw formInputError(undefined, issues);

      const credentials = await ctx.getInitiatorCredentials();
      let serverJson = ctx.input.serverJson as Record<string, unknown>;
      if (source && serverName) {
        const entry = await findEntry(client, credentials, source, serverName);
        if (!entry) {
          throw formInputError(undefined, [
            {
              field: 'serverName',
              message: `is not an entry of the MCP registry ${source} (its latest versions)`,
            },
          ]);
        }
        if (!entry.importable) {
          throw formInputError(
            undefined,
            [
              {
                field: 'serverName',
                message: `cannot be deployed: ${entry.reason}`,
              },
            ],
            `The entry ${serverName} of ${source} cannot be deployed`,
          );
        }
        serverJson = entry.server as Record<string, unknown>;
      }
      const label = `${serverJson.name}@${serverJson.version}`;

      // The control plane converts and checks it, as the user; nothing is
      // created yet.
      const { mcpServer } = (await client.call(credentials, (api, o) =>
        api.importMcpServer(
          {
            body: {
              serverJson,
              project,
              pool,
              ...(name ? { name } : {}),
              ...(secretRefs.refs ? { secretRefs: secretRefs.refs } : {}),
              ...(values ? { values } : {}),
              dryRun: true,
            },
          },
          o,
        ),
      )) as { mcpServer: Record<string, any> };
      const url = await gatewayUrlIfPrefixFree({
        client,
        credentials,
        server: { name: mcpServer.name, pool, prefix: mcpServer.prefix },
      });
      ctx.logger.info(
        `${label} becomes MCP server ${mcpServer.name} (${
          mcpServer.source.type
        } ${
          mcpServer.source.type === 'image'
            ? mcpServer.source.image
            : mcpServer.source.url
        }), served at ${url}`,
      );
      // Created as POST /mcp-servers/import would (same checks, permission
      // and audit), once: a retried task carries on.
      await createMcpServerAndReport({
        ctx,
        client,
        credentials,
        body: mcpServer as typeof mcpServer & { name: string; pool: string },
        checkpointKey: `ai-gateway:mcp-server:import:${mcpServer.name}`,
        url,
        wait,
        timeoutSeconds,
        pollMs: options.pollMs,
      });
      ctx.output('serverName', String(serverJson.name));
      ctx.output('version', String(serverJson.version));
    },
  });
}
