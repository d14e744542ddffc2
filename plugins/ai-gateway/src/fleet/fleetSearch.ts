import type { AiGatewayObject, FleetEntry } from '../api/AiGatewayApi';
import { budgetWords } from './fleetBudgets';
import { mcpRiskWords } from './fleetMcpRisk';

/** What a search matched: the pool itself, or an MCP server or AI backend it serves. */
export type FleetMatch = {
  kind: 'pool' | 'mcpServer' | 'aiBackend';
  /** The matching object's name. */
  name: string;
  /** Where the text matched, e.g. `name`, `prefix`, `source.image`. */
  field: string;
  value: string;
};

/** Fields of an object worth no match of their own: every object of a pool names it. */
const SKIPPED_FIELDS = new Set(['pool', 'project']);

/** Every text value of an object, with its path (`source.image`, `spec.groups.0.providers.1.model`). */
function textFields(
  value: unknown,
  path: string[] = [],
): Array<[string, string]> {
  if (typeof value === 'string' || typeof value === 'number') {
    return [[path.join('.'), String(value)]];
  }
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => textFields(v, [...path, String(i)]));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      path.length === 0 && SKIPPED_FIELDS.has(k)
        ? []
        : textFields(v, [...path, k]),
    );
  }
  return [];
}

function firstMatch(
  fields: Array<[string, string]>,
  needle: string,
): [string, string] | undefined {
  return fields.find(([, v]) => v.toLowerCase().includes(needle));
}

function poolFields(e: FleetEntry): Array<[string, string]> {
  return [
    ['name', e.pool],
    ['project', e.project],
    ['description', e.description ?? ''],
    ['cluster', e.cluster.name],
    ['namespace', e.namespace],
    ['delivery', e.delivery],
    // "exceeded" finds the pools a budget holds back.
    ['budgets', budgetWords(e.budgets)],
    // "destructive" finds the pools serving an MCP server that may destroy things.
    ['MCP risk', mcpRiskWords(e.mcpRisk)],
  ];
}

function objectFields(o: AiGatewayObject): Array<[string, string]> {
  return [
    ['name', o.name],
    ...textFields(o.spec),
    ...Object.entries(o.derived ?? {}),
  ];
}

/**
 * Searches the fleet: a pool's own fields, and those of the MCP servers and
 * AI backends it serves (case-insensitive). Gives, per pool name, what
 * matched; a pool without a match is absent. An empty query matches nothing.
 */
export function searchFleet(
  pools: FleetEntry[],
  objects: { mcpServers: AiGatewayObject[]; aiBackends: AiGatewayObject[] },
  query: string,
): Map<string, FleetMatch[]> {
  const needle = query.trim().toLowerCase();
  const found = new Map<string, FleetMatch[]>();
  if (!needle) return found;
  const add = (pool: string, match: FleetMatch) =>
    found.set(pool, [...(found.get(pool) ?? []), match]);
  for (const pool of pools) {
    const hit = firstMatch(poolFields(pool), needle);
    if (hit)
      add(pool.pool, {
        kind: 'pool',
        name: pool.pool,
        field: hit[0],
        value: hit[1],
      });
  }
  const known = new Set(pools.map(p => p.pool));
  const kinds = [
    ['mcpServer', objects.mcpServers],
    ['aiBackend', objects.aiBackends],
  ] as const;
  for (const [kind, list] of kinds) {
    for (const object of list) {
      const pool = String(object.spec.pool ?? '');
      if (!known.has(pool)) continue;
      const hit = firstMatch(objectFields(object), needle);
      if (hit)
        add(pool, { kind, name: object.name, field: hit[0], value: hit[1] });
    }
  }
  return found;
}

const KIND_LABELS: Record<FleetMatch['kind'], string> = {
  pool: 'Pool',
  mcpServer: 'MCP server',
  aiBackend: 'AI backend',
};

/** A match in words: "MCP server github: source.image ghcr.io/github/…". */
export function describeMatch(match: FleetMatch): string {
  const value =
    match.value.length > 60 ? `${match.value.slice(0, 57)}…` : match.value;
  return match.field === 'name'
    ? `${KIND_LABELS[match.kind]} ${match.name}`
    : `${KIND_LABELS[match.kind]} ${match.name}: ${match.field} ${value}`;
}
