import type { FleetEntry } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { McpRiskClass } from './contract';

export type FleetMcpRisk = NonNullable<FleetEntry['mcpRisk']>;

const FIELDS: Record<
  McpRiskClass,
  Exclude<keyof FleetMcpRisk, 'unobserved' | 'destructiveServers'>
> = {
  destructive: 'destructive',
  'open-world': 'openWorld',
  additive: 'additive',
  'read-only': 'readOnly',
};

/** A pool without MCP servers. */
export function noMcpRisk(): FleetMcpRisk {
  return {
    destructive: 0,
    openWorld: 0,
    additive: 0,
    readOnly: 0,
    unobserved: 0,
    destructiveServers: [],
  };
}

/** Counts the MCP servers of each pool by the risk class of their newest contract. */
export function mcpRiskByPool(
  servers: Array<{ server: string; pool: string; riskClass?: McpRiskClass }>,
): Map<string, FleetMcpRisk> {
  const out = new Map<string, FleetMcpRisk>();
  for (const s of servers) {
    const risk = out.get(s.pool) ?? noMcpRisk();
    out.set(s.pool, risk);
    // A class this version does not know counts as not observed.
    const field = s.riskClass && FIELDS[s.riskClass];
    if (!field) {
      risk.unobserved += 1;
      continue;
    }
    risk[field] += 1;
    if (s.riskClass === 'destructive') risk.destructiveServers.push(s.server);
  }
  for (const risk of out.values()) risk.destructiveServers.sort();
  return out;
}
