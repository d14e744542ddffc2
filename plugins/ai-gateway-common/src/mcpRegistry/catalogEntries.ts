import { AI_GATEWAY_KIND_ANNOTATION } from '../model/resourceKinds';
import { serverJsonOfDefinition, type ServerJson } from './serverJson';

/**
 * The catalog `API` entity type of MCP servers: the suite's own deployments
 * and MCP registry entries that teams register (a server.json as definition).
 *
 * @public
 */
export const MCP_SERVER_API_TYPE = 'mcp-server';

/**
 * The name of the MCP registry source under which the control plane lists
 * the registry entries kept in the software catalog.
 *
 * @public
 */
export const MCP_REGISTRY_CATALOG_SOURCE = 'catalog';

/**
 * The server.json of a catalog entity that is an MCP registry entry: an API
 * of type `mcp-server` defined by a server.json (JSON or YAML) and not one of
 * the suite's own MCP servers (those are deployments, annotated
 * `ai-gateway.io/kind`). Undefined for any other entity.
 *
 * @public
 */
export function mcpRegistryEntryOfEntity(entity: {
  kind: string;
  metadata: { annotations?: Record<string, string> };
  spec?: unknown;
}): ServerJson | undefined {
  const spec = entity.spec as
    | { type?: unknown; definition?: unknown }
    | undefined;
  if (
    entity.kind !== 'API' ||
    spec?.type !== MCP_SERVER_API_TYPE ||
    entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION]
  ) {
    return undefined;
  }
  return serverJsonOfDefinition(spec.definition);
}
