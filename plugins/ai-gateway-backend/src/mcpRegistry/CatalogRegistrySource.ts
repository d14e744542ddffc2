import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  InputError,
  ServiceUnavailableError,
  stringifyError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  MCP_SERVER_API_TYPE,
  mcpRegistryEntryOfEntity,
  type ServerJson,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  registryEntry,
  type CatalogSource,
  type RegistryPage,
  type RegistryQuery,
} from './McpRegistrySources';

/** More than any catalog's MCP servers; what is past it is not offered. */
const MAX_ENTITIES = 2000;

/**
 * MCP registry entries kept in the software catalog: API entities of type
 * `mcp-server` whose `spec.definition` is a server.json (JSON or YAML), as
 * teams register them next to their other APIs. The suite's own MCP server
 * entities (deployments, with the `ai-gateway.io/kind` annotation) are not
 * entries. Read with the caller's credentials, so catalog permissions apply;
 * searched and paged here, since the catalog cannot search inside definitions.
 */
export class CatalogRegistrySource implements CatalogSource {
  constructor(private readonly catalog: CatalogService) {}

  async servers(
    query: RegistryQuery,
    credentials: BackstageCredentials,
  ): Promise<RegistryPage> {
    const offset = query.cursor ? Number(query.cursor) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InputError(
        `cursor '${query.cursor}' is not a cursor of this list`,
      );
    }
    const limit = query.limit ?? 30;
    const search = query.search?.toLocaleLowerCase('en-US');
    let invalid = 0;
    const found: ServerJson[] = [];
    for (const entity of await this.entities(credentials)) {
      const server = mcpRegistryEntryOfEntity(entity);
      if (!server) {
        invalid++;
        continue;
      }
      const text = `${server.name}\n${server.title ?? ''}\n${
        entity.metadata.title ?? ''
      }\n${entity.metadata.name}`.toLocaleLowerCase('en-US');
      if (!search || text.includes(search)) found.push(server);
    }
    found.sort((a, b) => a.name.localeCompare(b.name));
    const page = found.slice(offset, offset + limit);
    return {
      servers: page.map(registryEntry),
      ...(offset + limit < found.length
        ? { nextCursor: String(offset + limit) }
        : {}),
      invalid,
    };
  }

  private async entities(credentials: BackstageCredentials) {
    const items: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog
        .queryEntities(
          cursor
            ? { cursor, limit: 500 }
            : {
                filter: { kind: 'API', 'spec.type': MCP_SERVER_API_TYPE },
                limit: 500,
              },
          { credentials },
        )
        .catch(error => {
          throw new ServiceUnavailableError(
            `The software catalog could not be read: ${stringifyError(error)}`,
          );
        });
      items.push(
        ...page.items.filter(
          e => !e.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION],
        ),
      );
      cursor = page.pageInfo.nextCursor;
    } while (cursor && items.length < MAX_ENTITIES);
    return items.slice(0, MAX_ENTITIES);
  }
}
