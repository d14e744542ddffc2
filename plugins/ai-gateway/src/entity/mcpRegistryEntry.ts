import type { Entity } from '@backstage/catalog-model';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  serverJsonOfDefinition,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { TEMPLATE_PATHS } from '../fleet/fleetGuidance';

/** The registry source the backend lists the catalog's entries under. */
export const CATALOG_SOURCE = 'catalog';

/**
 * Whether an entity is an MCP registry entry kept in the catalog: an API of
 * type `mcp-server` defined by a server.json, and not one of the suite's own
 * MCP servers (those are deployments).
 *
 * @public
 */
export function isMcpRegistryEntryEntity(entity: Entity): boolean {
  const spec = entity.spec as { type?: unknown; definition?: unknown };
  return (
    entity.kind === 'API' &&
    spec?.type === 'mcp-server' &&
    !entity.metadata.annotations?.[AI_GATEWAY_KIND_ANNOTATION] &&
    serverJsonOfDefinition(spec.definition) !== undefined
  );
}

/** The template's page with the entry already picked. */
export function deployFromCatalogPath(serverName: string): string {
  const formData = { entry: { source: CATALOG_SOURCE, serverName } };
  return `${TEMPLATE_PATHS.deployFromMcpRegistry}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
