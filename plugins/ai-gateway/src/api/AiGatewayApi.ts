import { createApiRef } from '@backstage/core-plugin-api';
import type { PoolStatus } from '@internal/plugin-ai-gateway-common';

/** An object as the control plane's REST API returns it. */
export type AiGatewayObject<TSpec = Record<string, any>> = {
  kind: string;
  name: string;
  project: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  spec: TSpec;
  derived?: Record<string, string>;
};

export type Page<T> = { items: T[]; nextCursor?: string };

/** One pool of the fleet view (GET /fleet). */
export type FleetEntry = {
  pool: string;
  project: string;
  description?: string;
  cluster: { name: string; type: string };
  namespace: string;
  delivery: string;
  phase: PoolStatus['phase'];
  phaseSince?: string;
  reason?: string;
  heartbeatAt?: string;
  operatorVersion?: string;
  desiredRevision?: string;
  runningRevision?: string;
  counts: { mcpServers: number; aiBackends: number; policies: number };
};

/** The control plane, as the portal's pages and fields use it (as the signed-in user). */
export type ObjectPlural = 'pools' | 'mcp-servers' | 'ai-backends' | 'policies';

export interface AiGatewayApi {
  getFleet(): Promise<FleetEntry[]>;
  getObject(plural: ObjectPlural, name: string): Promise<AiGatewayObject>;
  /** Every object of a kind in a pool (all pages). */
  listInPool(plural: Exclude<ObjectPlural, 'pools'>, pool: string): Promise<AiGatewayObject[]>;
  /** Force sync or reseed a pool. */
  requestPool(pool: string, what: 'sync' | 'reseed'): Promise<void>;
  listPools(filters?: { project?: string }): Promise<AiGatewayObject[]>;
  getPoolStatus(pool: string): Promise<PoolStatus>;
  /** MCP servers of a pool using a prefix (at most one). */
  findMcpServerByPrefix(pool: string, prefix: string): Promise<AiGatewayObject | undefined>;
}

export const aiGatewayApiRef = createApiRef<AiGatewayApi>({ id: 'plugin.ai-gateway.api' });
