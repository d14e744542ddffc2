import type { Topology } from './graph';

/** The longest Kubernetes object name the renderers give a served object. */
const MAX_NAME = 63;
/** The hash suffix of a name cut to MAX_NAME: `-` and 8 hex digits. */
const HASH_SUFFIX = /^-[0-9a-f]{8}$/;

/**
 * Whether `route` (agentgateway's `route` label, `<namespace>/<name>`, or
 * just the name) is the HTTPRoute that serves the MCP server or AI backend.
 * Mirrors `servedObjectName` of plugin-ai-gateway-node, which hashes names
 * over 63 characters with node:crypto (not in the browser): such a name
 * matches by its cut head and a hash suffix.
 *
 * @public
 */
export function routeServes(
  route: string,
  kind: 'mcpServer' | 'aiBackend',
  name: string,
): boolean {
  const routeName = route.slice(route.indexOf('/') + 1);
  const full = `${kind === 'mcpServer' ? 'mcp' : 'ai'}-${name}`;
  if (full.length <= MAX_NAME) return routeName === full;
  const head = full.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '');
  return (
    routeName.startsWith(head) && HASH_SUFFIX.test(routeName.slice(head.length))
  );
}

/**
 * Traffic through one node of the topology over a short window.
 *
 * @public
 */
export type NodeTraffic = {
  requestsPerSecond: number;
  /** errors / requests (0..1); undefined without requests. */
  errorRatio?: number;
};

/**
 * The request and error rates of a pool's gateway, MCP servers and AI
 * backends, from usage totals of the pool grouped by route (`requests` and
 * `errors` over `windowSeconds`). Rows of one route split by another
 * dimension (the usage API adds `project` for callers who see some projects
 * only) are added up. Every MCP server and AI backend node gets a value (no
 * row: no traffic); the gateway gets the sum of all rows. Keyed by node id.
 *
 * @public
 */
export function topologyTraffic(
  topology: Topology,
  rows: Array<{
    group: Record<string, string>;
    values: Record<string, number>;
  }>,
  windowSeconds: number,
): Map<string, NodeTraffic> {
  const byRoute = new Map<string, { requests: number; errors: number }>();
  const total = { requests: 0, errors: 0 };
  for (const row of rows) {
    const route = row.group.route ?? '';
    const sum = byRoute.get(route) ?? { requests: 0, errors: 0 };
    for (const into of [sum, total]) {
      into.requests += row.values.requests ?? 0;
      into.errors += row.values.errors ?? 0;
    }
    byRoute.set(route, sum);
  }
  const traffic = (counts: { requests: number; errors: number }) => ({
    requestsPerSecond: counts.requests / Math.max(1, windowSeconds),
    ...(counts.requests > 0
      ? { errorRatio: Math.min(1, counts.errors / counts.requests) }
      : {}),
  });
  const out = new Map<string, NodeTraffic>();
  for (const node of topology.nodes) {
    const object = node.object;
    if (node.type === 'gateway') {
      out.set(node.id, traffic(total));
      continue;
    }
    // The node that stands for the object: the MCP server itself, the AI backend's backend.
    const standsFor =
      (node.type === 'mcp-server' && object?.kind === 'mcpServer') ||
      (node.type === 'backend' && object?.kind === 'aiBackend');
    if (!standsFor || !object) continue;
    const kind = object.kind as 'mcpServer' | 'aiBackend';
    const counts = { requests: 0, errors: 0 };
    for (const [route, sum] of byRoute) {
      if (!routeServes(route, kind, object.name)) continue;
      counts.requests += sum.requests;
      counts.errors += sum.errors;
    }
    out.set(node.id, traffic(counts));
  }
  return out;
}

/**
 * A node's traffic in words: `12.0 req/s` and `2.5 % errors`.
 *
 * @public
 */
export function describeTraffic(traffic: NodeTraffic): {
  rate: string;
  errors?: string;
} {
  return {
    rate: `${traffic.requestsPerSecond.toFixed(1)} req/s`,
    ...(traffic.errorRatio !== undefined
      ? { errors: `${(traffic.errorRatio * 100).toFixed(1)} % errors` }
      : {}),
  };
}
