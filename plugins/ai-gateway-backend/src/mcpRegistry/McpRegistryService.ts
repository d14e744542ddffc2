import { NotFoundError } from '@backstage/errors';
import {
  mcpServerFromServerJson,
  ServerJsonImportError,
  mcpServerSchema,
  formatZodIssues,
  secretRefSchema,
  type McpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { z } from 'zod';
import {
  cursorPositions,
  decodeCursor,
  encodeCursor,
} from '../service/cursors';
import { invalidInput, issuesOf } from '../service/errors';
import type {
  Caller,
  ResourceService,
  ResourceView,
} from '../service/ResourceService';

/** The namespace of server names when `aiGateway.mcpRegistry.namespace` is not set. */
export const DEFAULT_MCP_REGISTRY_NAMESPACE = 'io.backstage.ai-gateway';
/** The `_meta` key of what the suite adds to a listed server. */
export const MCP_REGISTRY_META_KEY = 'io.backstage.ai-gateway/mcp-server';
const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';

/** The cursor list id of `GET /v0.1/servers` (not interchangeable with /mcp-servers). */
const LIST = 'v0.1/servers';
/** Objects read per request at most when `search` filters: pages stay bounded. */
const MAX_SCANNED = 1000;
const SCAN_PAGE = 200;

/** The body of `POST /mcp-servers/import`. */
export const mcpServerImportRequestSchema = z
  .object({
    serverJson: z.unknown(),
    project: z.string(),
    pool: z.string(),
    name: z.string().optional(),
    secretRefs: z.record(z.string(), secretRefSchema).optional(),
    values: z.record(z.string(), z.string()).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** One entry of the registry API: a server.json and the registry's metadata. */
export type RegistryServerResponse = {
  server: Record<string, unknown>;
  _meta: Record<string, unknown>;
};

/** Served state of the pools on a page, by pool name (what the caller may see). */
export type PoolPhases = (
  pools: string[],
  caller: Caller,
) => Promise<Map<string, string>>;

/**
 * The official MCP registry API over the suite's MCP servers, both ways:
 * importing a server.json as an MCP server (through ResourceService, with
 * its permissions and audit) and listing the MCP servers a caller may read
 * as server.json entries whose remote is the gateway URL.
 *
 * A server has one version: its current revision, as `<revision>.0.0`
 * (semver, growing with every change; old revisions are not served by any
 * gateway, so they are not listed).
 */
export class McpRegistryService {
  constructor(
    private readonly deps: {
      resources: ResourceService;
      namespace?: string;
      poolPhases?: PoolPhases;
    },
  ) {}

  private get namespace() {
    return this.deps.namespace ?? DEFAULT_MCP_REGISTRY_NAMESPACE;
  }

  /** Converts a server.json and, unless `dryRun`, creates the MCP server. */
  async importServer(
    body: unknown,
    caller: Caller,
  ): Promise<{ created: boolean; object?: ResourceView; input: McpServer }> {
    const request = mcpServerImportRequestSchema.safeParse(body);
    if (!request.success) {
      const issues = formatZodIssues(request.error);
      throw invalidInput(`Invalid import: ${issues[0]?.message}`, issues);
    }
    const { serverJson, dryRun, ...options } = request.data;
    let input;
    try {
      input = mcpServerFromServerJson(serverJson, options);
    } catch (error) {
      if (error instanceof ServerJsonImportError) {
        throw invalidInput(error.message, error.issues);
      }
      throw error;
    }
    if (dryRun) {
      return { created: false, input: mcpServerSchema.parse(input) };
    }
    try {
      const { object } = await this.deps.resources.create(
        'mcpServer',
        input,
        caller,
      );
      return { created: true, object, input: object.spec as McpServer };
    } catch (error) {
      // The prefix is the name the import gave it: name the field sent.
      for (const issue of issuesOf(error) ?? []) {
        if (issue.field === 'prefix') issue.field = 'name';
      }
      throw error;
    }
  }

  /** `GET /v0.1/servers`: a page of the servers the caller may read, by name. */
  async list(
    query: {
      cursor?: string;
      limit: number;
      search?: string;
      version?: string;
    },
    caller: Caller,
  ): Promise<{
    servers: RegistryServerResponse[];
    metadata: { count: number; nextCursor?: string };
  }> {
    const after = query.cursor
      ? decodeCursor(LIST, query.cursor, cursorPositions.objectName)
      : undefined;
    const search = query.search?.toLowerCase();
    const matches = (view: ResourceView) =>
      (!search || this.serverName(view).toLowerCase().includes(search)) &&
      (!query.version ||
        query.version === 'latest' ||
        query.version === versionOf(view));
    const filtering = Boolean(search || query.version);

    const found: ResourceView[] = [];
    let cursor = after ? encodeCursor('mcp-servers', after) : undefined;
    let last: string | undefined;
    let more = false;
    let scanned = 0;
    for (;;) {
      const page = await this.deps.resources.list(
        'mcpServer',
        {
          limit: filtering ? SCAN_PAGE : query.limit - found.length,
          cursor,
          filters: {},
        },
        caller,
      );
      let i = 0;
      for (; i < page.items.length && found.length < query.limit; i++) {
        const view = page.items[i];
        last = view.name;
        scanned++;
        if (matches(view)) found.push(view);
      }
      more = i < page.items.length || Boolean(page.nextCursor);
      if (!more || found.length >= query.limit || scanned >= MAX_SCANNED) {
        break;
      }
      cursor = page.nextCursor;
    }
    const servers = await this.responses(found, caller);
    return {
      servers,
      metadata: {
        count: servers.length,
        ...(more && last ? { nextCursor: encodeCursor(LIST, last) } : {}),
      },
    };
  }

  /** `GET /v0.1/servers/{serverName}/versions`: the one version there is. */
  async versions(serverName: string, caller: Caller) {
    const view = await this.find(serverName, caller);
    const servers = await this.responses([view], caller);
    return { servers, metadata: { count: servers.length } };
  }

  /** `GET /v0.1/servers/{serverName}/versions/{version}` (`latest` allowed). */
  async version(serverName: string, version: string, caller: Caller) {
    const view = await this.find(serverName, caller);
    if (version !== 'latest' && version !== versionOf(view)) {
      throw new NotFoundError(
        `Server '${serverName}' has no version '${version}': it is at ${versionOf(
          view,
        )} (older revisions are not served)`,
      );
    }
    return (await this.responses([view], caller))[0];
  }

  private serverName(view: ResourceView) {
    return `${this.namespace}/${view.name}`;
  }

  /** The MCP server a registry name names, if the caller may read it. */
  private async find(serverName: string, caller: Caller) {
    const notFound = new NotFoundError(`Server '${serverName}' not found`);
    const prefix = `${this.namespace}/`;
    if (!serverName.startsWith(prefix)) throw notFound;
    const name = serverName.slice(prefix.length);
    if (!cursorPositions.objectName.test(name)) throw notFound;
    try {
      return await this.deps.resources.get('mcpServer', name, caller);
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound;
      throw error;
    }
  }

  private async responses(
    views: ResourceView[],
    caller: Caller,
  ): Promise<RegistryServerResponse[]> {
    const pools = [...new Set(views.map(v => v.spec.pool as string))];
    const phases =
      views.length && this.deps.poolPhases
        ? await this.deps.poolPhases(pools, caller).catch(() => undefined)
        : undefined;
    return views.map(view => {
      const spec = view.spec as McpServer;
      const phase = phases?.get(spec.pool);
      const server: Record<string, unknown> = {
        $schema:
          'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name: this.serverName(view),
        // The registry allows 1-100 characters.
        description: (spec.description || `MCP server ${view.name}`).slice(
          0,
          100,
        ),
        version: versionOf(view),
        ...(view.derived?.url
          ? { remotes: [{ type: 'streamable-http', url: view.derived.url }] }
          : {}),
      };
      return {
        server,
        _meta: {
          [OFFICIAL_META_KEY]: {
            status: 'active',
            publishedAt: view.createdAt,
            updatedAt: view.updatedAt,
            isLatest: true,
          },
          [MCP_REGISTRY_META_KEY]: {
            name: view.name,
            project: view.project,
            pool: spec.pool,
            revision: view.version,
            upstream: { source: spec.source.type, transport: spec.transport },
            ...(phase ? { poolPhase: phase, served: phase === 'Active' } : {}),
          },
        },
      };
    });
  }
}

/** The registry version of an object: its revision as a semver major. */
function versionOf(view: ResourceView): string {
  return `${view.version}.0.0`;
}
