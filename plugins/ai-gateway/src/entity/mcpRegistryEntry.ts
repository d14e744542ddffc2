import type { Entity } from '@backstage/catalog-model';
import {
  MCP_REGISTRY_CATALOG_SOURCE,
  mcpRegistryEntryOfEntity,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { TEMPLATE_PATHS } from '../fleet/fleetGuidance';

/**
 * Whether an entity is an MCP registry entry kept in the catalog: an API of
 * type `mcp-server` defined by a server.json, and not one of the suite's own
 * MCP servers (those are deployments).
 *
 * @public
 */
export function isMcpRegistryEntryEntity(entity: Entity): boolean {
  return mcpRegistryEntryOfEntity(entity) !== undefined;
}

/** The template's page with the entry already picked. */
export function deployFromCatalogPath(serverName: string): string {
  const formData = {
    entry: { source: MCP_REGISTRY_CATALOG_SOURCE, serverName },
  };
  return `${TEMPLATE_PATHS.deployFromMcpRegistry}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
