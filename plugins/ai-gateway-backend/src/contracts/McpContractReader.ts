import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServer } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  normalizeContract,
  type McpContract,
  type McpContractPrompt,
  type McpContractResource,
  type McpContractTool,
} from './contract';

/**
 * Which URL the contract is read from: `target` (the default) reads a remote
 * MCP server at its own URL and every other server through its gateway;
 * `gateway` reads every server through its gateway (derived.url), as its
 * clients see it (with the gateway's tool allow/deny lists applied).
 */
export type ContractConnectVia = 'gateway' | 'target';

/** Where and how to reach a server, or why it cannot be reached. */
export type ContractEndpoint =
  | { url: string; transport: McpServer['transport']; via: ContractConnectVia }
  | { error: string };

/** The URL to read an MCP server's contract from (see {@link ContractConnectVia}). */
export function contractEndpoint(
  server: {
    spec: Pick<McpServer, 'source' | 'transport'>;
    derived?: { url?: string };
  },
  connectVia: ContractConnectVia,
): ContractEndpoint {
  const { source, transport } = server.spec;
  if (connectVia === 'target' && source.type === 'remote') {
    if (source.authSecretRef) {
      // The backend does not resolve the cluster's secrets.
      return {
        error: `The remote MCP server needs credentials (secret ${source.authSecretRef.name}/${source.authSecretRef.key}), which the backend does not read; set aiGateway.contracts.connectVia: gateway to read it through the gateway`,
      };
    }
    return { url: source.url, transport, via: 'target' };
  }
  if (!server.derived?.url) {
    return {
      error: 'The MCP server has no gateway URL yet (its pool has no MCP host)',
    };
  }
  return { url: server.derived.url, transport, via: 'gateway' };
}

/** How many pages of one list are read at most (a server that pages forever). */
const MAX_PAGES = 100;

/**
 * Reads an MCP server's contract (tools, resources, prompts) with the
 * official SDK client: Streamable HTTP first, then the older HTTP+SSE
 * transport (in the other order for a server declared `sse`).
 */
export class McpContractReader {
  constructor(
    private readonly options: { timeoutMs: number; clientVersion?: string },
  ) {}

  async read(
    url: string,
    options: {
      transport?: McpServer['transport'];
      /** Sent as `Authorization`; used for this read only, never stored. */
      authorization?: string;
    } = {},
  ): Promise<McpContract> {
    const headers: Record<string, string> = options.authorization
      ? { Authorization: options.authorization }
      : {};
    const order =
      options.transport === 'sse'
        ? (['sse', 'streamable-http'] as const)
        : (['streamable-http', 'sse'] as const);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () =>
        reject(
          new Error(
            `No answer from ${url} within ${this.options.timeoutMs / 1000}s`,
          ),
        ),
      );
    });
    try {
      let firstError: unknown;
      for (const kind of order) {
        const client = new Client({
          name: 'backstage-ai-gateway-contract-check',
          version: this.options.clientVersion ?? '1.0.0',
        });
        const transport =
          kind === 'streamable-http'
            ? new StreamableHTTPClientTransport(new URL(url), {
                requestInit: { headers },
              })
            : new SSEClientTransport(new URL(url), {
                requestInit: { headers },
                eventSourceInit: {
                  fetch: (input, init) =>
                    fetch(input, {
                      ...init,
                      headers: { ...(init?.headers as any), ...headers },
                    }),
                },
              });
        try {
          await Promise.race([
            client.connect(transport, {
              signal: controller.signal,
              timeout: this.options.timeoutMs,
            }),
            deadline,
          ]);
        } catch (error) {
          firstError ??= error;
          await client.close().catch(() => {});
          if (controller.signal.aborted) break;
          continue;
        }
        try {
          return await Promise.race([
            this.#list(client, controller.signal),
            deadline,
          ]);
        } finally {
          await client.close().catch(() => {});
        }
      }
      throw new Error(
        `Could not connect to the MCP server at ${url}: ${message(firstError)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async #list(client: Client, signal: AbortSignal): Promise<McpContract> {
    const capabilities = client.getServerCapabilities() ?? {};
    const options = { signal, timeout: this.options.timeoutMs };
    const tools: McpContractTool[] = capabilities.tools
      ? await pages(async cursor => {
          const page = await client.listTools(
            cursor ? { cursor } : undefined,
            options,
          );
          return {
            items: page.tools.map(t => ({
              name: t.name,
              description: t.description,
              inputSchema: t.inputSchema,
              annotations: t.annotations,
            })),
            nextCursor: page.nextCursor,
          };
        })
      : [];
    const resources: McpContractResource[] = capabilities.resources
      ? await pages(async cursor => {
          const page = await client.listResources(
            cursor ? { cursor } : undefined,
            options,
          );
          return {
            items: page.resources.map(r => ({
              uri: r.uri,
              name: r.name,
              description: r.description,
              mimeType: r.mimeType,
            })),
            nextCursor: page.nextCursor,
          };
        })
      : [];
    const prompts: McpContractPrompt[] = capabilities.prompts
      ? await pages(async cursor => {
          const page = await client.listPrompts(
            cursor ? { cursor } : undefined,
            options,
          );
          return {
            items: page.prompts.map(p => ({
              name: p.name,
              description: p.description,
              arguments: p.arguments?.map(a => ({
                name: a.name,
                ...(a.description !== undefined
                  ? { description: a.description }
                  : {}),
                ...(a.required !== undefined ? { required: a.required } : {}),
              })),
            })),
            nextCursor: page.nextCursor,
          };
        })
      : [];
    return normalizeContract({ tools, resources, prompts });
  }
}

async function pages<T>(
  read: (
    cursor: string | undefined,
  ) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await read(cursor);
    items.push(...page.items);
    if (!page.nextCursor || page.nextCursor === cursor) return items;
    cursor = page.nextCursor;
  }
  throw new Error(`The server listed more than ${MAX_PAGES} pages`);
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // The SDK's transport errors carry the HTTP status as `code`.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 401 || code === 403) {
    return `HTTP ${code}, the server wants credentials (a check from the API can send them in the X-MCP-Authorization header): ${text}`;
  }
  if (typeof code === 'number' && code >= 100 && code < 600) {
    return `HTTP ${code}: ${text}`;
  }
  return text;
}
