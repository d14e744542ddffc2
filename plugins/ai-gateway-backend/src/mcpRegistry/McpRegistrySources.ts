import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  MCP_REGISTRY_CATALOG_SOURCE,
  MCP_SERVER_API_TYPE,
  mcpServerFromServerJson,
  serverJsonSchema,
  ServerJsonImportError,
  type ServerJson,
  type ServerJsonInput,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** A registry of `aiGateway.mcpRegistry.sources`. */
export type McpRegistrySource = {
  name: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
};

/** An input the one who deploys an entry gives: a secret reference or a value. */
export type RegistryEntryInput = {
  name: string;
  /** Where the entry asks for it: an environment variable of its package, a header or URL variable of its remote. */
  in: 'environmentVariable' | 'header' | 'urlVariable';
  description?: string;
  required: boolean;
};

/** One entry of a source, and whether the gateway can serve it. */
export type RegistryEntry = {
  server: ServerJson;
  importable: boolean;
  /** Why not, when not importable. */
  reason?: string;
  /** How the gateway would reach it: a remote it calls, or an image it deploys. */
  kind?: 'remote' | 'package';
  /** Secret inputs, given as references to Kubernetes Secrets (secretRefs). */
  secrets: RegistryEntryInput[];
  /** Non-secret inputs without a value or default (values). */
  values: RegistryEntryInput[];
};

/** What a page of a source's entries is asked with. */
export type RegistryQuery = {
  search?: string;
  cursor?: string;
  limit?: number;
};

/** A page of a source's entries. */
export type RegistryPage = {
  servers: RegistryEntry[];
  nextCursor?: string;
  /** Entries that are no valid server.json, left out. */
  invalid: number;
};

/** A source of entries read with the caller's credentials (the catalog). */
export type CatalogSource = {
  servers(
    query: RegistryQuery,
    credentials: BackstageCredentials,
  ): Promise<RegistryPage>;
};

const DEFAULT_TIMEOUT_SECONDS = 10;
const SOURCE_NAME = /^[A-Za-z0-9._-]{1,63}$/;

/**
 * The MCP registries users deploy from (`aiGateway.mcpRegistry.sources`):
 * lists their latest entries through the official registry API
 * (`GET /v0.1/servers?version=latest`), checked as server.json, each marked
 * with whether `mcpServerFromServerJson` can turn it into an MCP server.
 * Nothing is cached: every replica asks the registry itself.
 */
export class McpRegistrySources {
  /**
   * The configured registries, and the catalog's entries
   * (`CatalogRegistrySource`) unless `aiGateway.mcpRegistry.catalog.enabled`
   * is false.
   */
  static fromConfig(
    config: Config,
    catalog?: CatalogSource,
  ): McpRegistrySources {
    const sources = (
      config.getOptionalConfigArray('aiGateway.mcpRegistry.sources') ?? []
    ).map(source => {
      const name = source.getString('name');
      if (!SOURCE_NAME.test(name)) {
        throw new Error(
          `aiGateway.mcpRegistry.sources: name '${name}' must be 1-63 letters, digits, '.', '_' or '-'`,
        );
      }
      const url = source.getString('url').replace(/\/+$/, '');
      if (!/^https?:\/\//.test(url)) {
        throw new Error(
          `aiGateway.mcpRegistry.sources.${name}: url '${url}' must be an http:// or https:// URL`,
        );
      }
      const headers = source.getOptionalConfig('headers');
      return {
        name,
        url,
        headers: Object.fromEntries(
          (headers?.keys() ?? []).map(k => [k, headers!.getString(k)]),
        ),
        timeoutMs:
          (source.getOptionalNumber('timeoutSeconds') ??
            DEFAULT_TIMEOUT_SECONDS) * 1000,
      };
    });
    const catalogEnabled =
      config.getOptionalBoolean('aiGateway.mcpRegistry.catalog.enabled') ??
      true;
    if (
      catalogEnabled &&
      sources.some(s => s.name === MCP_REGISTRY_CATALOG_SOURCE)
    ) {
      throw new Error(
        `aiGateway.mcpRegistry.sources: the name '${MCP_REGISTRY_CATALOG_SOURCE}' is the software catalog's; name the registry otherwise, or set aiGateway.mcpRegistry.catalog.enabled to false`,
      );
    }
    return new McpRegistrySources(
      sources,
      catalogEnabled ? catalog : undefined,
    );
  }

  constructor(
    private readonly sources: McpRegistrySource[],
    private readonly catalog?: CatalogSource,
  ) {}

  /** The sources users pick from, without their headers; the catalog last. */
  list(): {
    sources: Array<{ name: string; url: string; title?: string }>;
  } {
    return {
      sources: [
        ...this.sources.map(({ name, url }) => ({ name, url })),
        ...(this.catalog
          ? [
              {
                name: MCP_REGISTRY_CATALOG_SOURCE,
                url: `catalog:API?type=${MCP_SERVER_API_TYPE}`,
                title: `Software catalog (API entities of type ${MCP_SERVER_API_TYPE} defined by a server.json)`,
              },
            ]
          : []),
      ],
    };
  }

  /** A page of the latest entries of a source. */
  async servers(
    sourceName: string,
    query: RegistryQuery,
    credentials: BackstageCredentials,
  ): Promise<RegistryPage> {
    if (this.catalog && sourceName === MCP_REGISTRY_CATALOG_SOURCE) {
      return this.catalog.servers(query, credentials);
    }
    const source = this.sources.find(s => s.name === sourceName);
    if (!source) {
      const names = this.list().sources.map(s => s.name);
      throw new NotFoundError(
        `No MCP registry source '${sourceName}' is configured (${
          names.length ? `there are: ${names.join(', ')}` : 'there is none'
        }; registries are added under aiGateway.mcpRegistry.sources)`,
      );
    }
    const url = new URL(`${source.url}/v0.1/servers`);
    url.searchParams.set('version', 'latest');
    if (query.search) url.searchParams.set('search', query.search);
    if (query.cursor) url.searchParams.set('cursor', query.cursor);
    if (query.limit) url.searchParams.set('limit', String(query.limit));

    const unavailable = (why: string) =>
      new ServiceUnavailableError(
        `The MCP registry '${source.name}' at ${source.url} ${why}`,
      );
    let body: unknown;
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', ...source.headers },
        signal: AbortSignal.timeout(source.timeoutMs),
      });
      if (!res.ok) {
        throw unavailable(`answered ${res.status} ${res.statusText} to ${url}`);
      }
      body = await res.json().catch(() => {
        throw unavailable(`answered ${url} with something that is not JSON`);
      });
    } catch (error) {
      if ((error as Error).name === 'ServiceUnavailableError') throw error;
      const timedOut = (error as Error).name === 'TimeoutError';
      throw unavailable(
        timedOut
          ? `did not answer within ${source.timeoutMs / 1000} s`
          : `cannot be reached: ${
              ((error as Error).cause as Error)?.message ??
              (error as Error).message
            }`,
      );
    }
    const page = body as {
      servers?: unknown;
      metadata?: { nextCursor?: unknown };
    };
    if (!page || !Array.isArray(page.servers)) {
      throw unavailable(
        `answered ${url} without a list of servers: is it an MCP registry (GET /v0.1/servers)?`,
      );
    }
    let invalid = 0;
    const servers: RegistryEntry[] = [];
    for (const entry of page.servers) {
      const parsed = serverJsonSchema.safeParse(
        (entry as { server?: unknown } | null)?.server,
      );
      if (parsed.success) servers.push(registryEntry(parsed.data));
      else invalid++;
    }
    const nextCursor = page.metadata?.nextCursor;
    return {
      servers,
      ...(typeof nextCursor === 'string' && nextCursor ? { nextCursor } : {}),
      invalid,
    };
  }
}

/**
 * Whether the gateway can serve an entry and what the one who deploys it
 * gives: converted with placeholders for every secret, refusals about
 * `secretRefs`, `values` and `name` (given in the form) do not count.
 */
export function registryEntry(server: ServerJson): RegistryEntry {
  const remote = [
    server.remotes?.find(r => r.type === 'streamable-http'),
    server.remotes?.find(r => r.type === 'sse'),
  ].find(Boolean);
  const pkg = remote
    ? undefined
    : [
        server.packages?.find(
          p =>
            p.registryType === 'oci' && p.transport.type === 'streamable-http',
        ),
        server.packages?.find(
          p => p.registryType === 'oci' && p.transport.type === 'sse',
        ),
      ].find(Boolean);
  const inputs: Array<
    RegistryEntryInput & { secret: boolean; hasValue: boolean }
  > = [];
  const add = (
    list: ServerJsonInput[] | undefined,
    where: RegistryEntryInput['in'],
  ) => {
    for (const input of list ?? []) {
      inputs.push({
        name: input.name,
        in: where,
        ...(input.description ? { description: input.description } : {}),
        required: Boolean(input.isRequired),
        secret: Boolean(input.isSecret),
        hasValue: hasValue(input),
      });
    }
  };
  if (remote) {
    add(remote.headers, 'header');
    add(
      Object.entries(remote.variables ?? {}).map(([name, v]) => ({
        name,
        ...v,
        // A URL variable without a value cannot be left out.
        isRequired: v.isRequired ?? !hasValue(v),
      })),
      'urlVariable',
    );
  } else if (pkg) {
    add(pkg.environmentVariables, 'environmentVariable');
  }
  const given = ({
    secret: _secret,
    hasValue: _hasValue,
    ...input
  }: (typeof inputs)[number]): RegistryEntryInput => input;
  const secrets = inputs.filter(i => i.secret).map(given);
  const values = inputs.filter(i => !i.secret && !i.hasValue).map(given);

  let reason: string | undefined;
  try {
    mcpServerFromServerJson(server, {
      project: 'registry-check',
      pool: 'registry-check',
      name: 'registry-check',
      secretRefs: Object.fromEntries(
        secrets.map(s => [s.name, { name: 'registry-check', key: 'value' }]),
      ),
    });
  } catch (error) {
    if (!(error instanceof ServerJsonImportError)) throw error;
    const blocking = error.issues.filter(
      i => !/^(values|secretRefs)\./.test(i.field) && i.field !== 'name',
    );
    if (blocking.length) {
      reason = blocking.map(i => `${i.field} ${i.message}`).join('; ');
    }
  }
  return {
    server,
    importable: !reason,
    ...(reason ? { reason } : {}),
    ...(remote ? { kind: 'remote' as const } : {}),
    ...(pkg ? { kind: 'package' as const } : {}),
    secrets,
    values,
  };
}

function hasValue(input: { value?: string; default?: string }) {
  return input.value !== undefined || input.default !== undefined;
}
