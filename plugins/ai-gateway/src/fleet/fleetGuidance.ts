import {
  catalogEntityPath,
  explainPoolStatus,
  type PoolGuidance,
  type ResourceKind,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { FleetEntry } from '../api/AiGatewayApi';

/** A fleet entry as the pool the guidance helpers of the common package read. */
export function poolFactsOf(entry: FleetEntry) {
  return {
    name: entry.pool,
    namespace: entry.namespace,
    cluster: entry.cluster,
    delivery: { mode: entry.delivery },
  };
}

/** A fleet entry's status as explainPoolStatus and describeServedState read it. */
export function statusFactsOf(entry: FleetEntry) {
  return {
    phase: entry.phase,
    conditions: entry.conditions ?? [],
    desiredRevision: entry.desiredRevision,
    heartbeat: entry.heartbeatAt
      ? {
          operatorVersion: entry.operatorVersion ?? '',
          runningRevision: entry.runningRevision ?? null,
          receivedAt: entry.heartbeatAt,
          components: [],
        }
      : undefined,
  };
}

/** Why a pool of the fleet is in its phase and what to do next (the common package's one wording). */
export function explainFleetEntry(entry: FleetEntry): PoolGuidance {
  return explainPoolStatus(poolFactsOf(entry), statusFactsOf(entry));
}

/** The catalog page of an object of the suite, e.g. `/catalog/default/api/github`. */
export function catalogPathOf(kind: ResourceKind, name: string): string {
  return catalogEntityPath(kind, name) ?? `/catalog/default/resource/${name}`;
}

/** The scaffolder templates of the suite, by what they do. */
export const TEMPLATE_PATHS = {
  createPool: '/create/templates/default/ai-gateway-create-pool',
  deployMcpServer: '/create/templates/default/ai-gateway-deploy-mcp-server',
  registerAiBackend: '/create/templates/default/ai-gateway-register-ai-backend',
  deployFromMcpRegistry:
    '/create/templates/default/ai-gateway-deploy-from-mcp-registry',
} as const;
