import { poolHosts } from '../model/hosts';
import { providerTypeLabels, type AiBackend } from '../model/aiBackend';
import type { McpServer } from '../model/mcpServer';
import type { Policy } from '../model/policy';
import type { Pool } from '../model/pool';
import type { PoolStatus } from '../model/poolHealth';
import {
  effectivePolicy,
  type EffectiveSection,
  type PolicyScope,
} from './effectivePolicy';

/** @public */
export type TopologyNodeType =
  | 'gateway'
  | 'route'
  | 'backend'
  | 'mcp-server'
  | 'provider'
  | 'policy';
/** @public */
export type TopologyHealth = 'healthy' | 'unhealthy' | 'unknown';

/** @public */
export type TopologyNode = {
  id: string;
  type: TopologyNodeType;
  label: string;
  /** Secondary line, e.g. a host, a path or a provider model. */
  detail?: string;
  health: TopologyHealth;
  /** Why it is unhealthy, from the pool's reported components. */
  healthMessage?: string;
  /** The effective policy at this point of the data path (gateway, routes, backends, MCP servers). */
  effectivePolicy?: EffectiveSection[];
  /** The control-plane object it stands for. */
  object?: {
    kind: 'pool' | 'mcpServer' | 'aiBackend' | 'policy';
    name: string;
  };
  /** Providers: their failover group (0 = primary) and weight. */
  group?: number;
  weight?: number;
};

/** @public */
export type TopologyEdge = {
  id: string;
  source: string;
  target: string;
  /** routes: traffic flows; failover: a lower-priority group; attached: a policy on its target. */
  kind: 'routes' | 'serves' | 'failover' | 'attached';
};

/** @public */
export type Topology = { nodes: TopologyNode[]; edges: TopologyEdge[] };

/** @public */
export type TopologyInput = {
  pool: Pool;
  mcpServers: McpServer[];
  aiBackends: AiBackend[];
  policies: Policy[];
  /** The pool's status: component health colours the nodes. */
  status?: PoolStatus;
};

/**
 * The data path of one pool as a graph: Gateway → Route → Backend →
 * (MCP server | providers by failover group), with policies attached where
 * they apply and, per node, the effective policy. Pure: the topology card
 * lays it out; tests check it without a browser.
 *
 * @public
 */
export function buildPoolTopology(input: TopologyInput): Topology {
  const { pool } = input;
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const components = new Map(
    (input.status?.heartbeat?.components ?? []).map(c => [c.name, c]),
  );
  const reported = components.size > 0;
  const health = (
    ...refs: string[]
  ): Pick<TopologyNode, 'health' | 'healthMessage'> => {
    const found = refs.map(r => components.get(r)).filter(Boolean);
    if (!found.length) return { health: 'unknown' };
    const sick = found.find(c => !c!.healthy);
    return sick
      ? {
          health: 'unhealthy',
          healthMessage: `${sick.name}: ${sick.message ?? 'unhealthy'}`,
        }
      : { health: 'healthy' };
  };
  const policies = input.policies.filter(p => p.pool === pool.name);
  const at = (scope: PolicyScope) => effectivePolicy(policies, scope);
  const hosts = poolHosts(pool);
  const edge = (source: string, target: string, kind: TopologyEdge['kind']) =>
    edges.push({ id: `${source}->${target}`, source, target, kind });

  const gatewayId = `gateway:${pool.name}`;
  nodes.push({
    id: gatewayId,
    type: 'gateway',
    label: pool.name,
    detail: `${hosts.api}, ${hosts.mcp}`,
    ...(reported
      ? health(`Gateway/${pool.name}`)
      : { health: 'unknown' as const }),
    effectivePolicy: at({ level: 'gateway' }),
    object: { kind: 'pool', name: pool.name },
  });

  const byName = <T extends { name: string }>(a: T, b: T) =>
    a.name.localeCompare(b.name);
  for (const server of input.mcpServers
    .filter(s => s.pool === pool.name)
    .sort(byName)) {
    const object = `mcp-${server.name}`;
    const routeId = `route:mcp:${server.name}`;
    const backendId = `backend:mcp:${server.name}`;
    const serverId = `mcp-server:${server.name}`;
    nodes.push(
      {
        id: routeId,
        type: 'route',
        label: `/${server.prefix}/mcp`,
        detail: hosts.mcp,
        ...health(`HTTPRoute/${object}`),
        effectivePolicy: at({ level: 'route', target: server.name }),
        object: { kind: 'mcpServer', name: server.name },
      },
      {
        id: backendId,
        type: 'backend',
        label: object,
        detail: 'MCP backend',
        ...health(`AgentgatewayBackend/${object}`),
        effectivePolicy: at({ level: 'backend', target: server.name }),
        object: { kind: 'mcpServer', name: server.name },
      },
      {
        id: serverId,
        type: 'mcp-server',
        label: server.name,
        detail:
          server.source.type === 'image'
            ? server.source.image
            : server.source.url,
        ...(server.source.type === 'image'
          ? health(`Deployment/${object}`)
          : { health: 'unknown' as const }),
        effectivePolicy: at({ level: 'backend', target: server.name }),
        object: { kind: 'mcpServer', name: server.name },
      },
    );
    edge(gatewayId, routeId, 'routes');
    edge(routeId, backendId, 'routes');
    edge(backendId, serverId, 'serves');
  }

  for (const backend of input.aiBackends
    .filter(b => b.pool === pool.name)
    .sort(byName)) {
    const object = `ai-${backend.name}`;
    const routeId = `route:ai:${backend.name}`;
    const backendId = `backend:ai:${backend.name}`;
    const models = backend.spec.kind === 'ai' ? backend.spec.models : [];
    nodes.push(
      {
        id: routeId,
        type: 'route',
        label: `/${backend.name}`,
        detail: models.length ? `models: ${models.join(', ')}` : hosts.api,
        ...health(`HTTPRoute/${object}`),
        effectivePolicy: at({ level: 'route', target: backend.name }),
        object: { kind: 'aiBackend', name: backend.name },
      },
      {
        id: backendId,
        type: 'backend',
        label: object,
        detail: `${backend.spec.kind} backend`,
        ...health(`AgentgatewayBackend/${object}`),
        effectivePolicy: at({ level: 'backend', target: backend.name }),
        object: { kind: 'aiBackend', name: backend.name },
      },
    );
    edge(gatewayId, routeId, 'routes');
    edge(routeId, backendId, 'routes');
    if (backend.spec.kind === 'ai') {
      backend.spec.groups.forEach((group, g) => {
        for (const provider of group.providers) {
          const id = `provider:${backend.name}:${provider.name}`;
          nodes.push({
            id,
            type: 'provider',
            label: provider.name,
            detail: `${providerTypeLabels[provider.type]}${
              provider.model ? ` ${provider.model}` : ''
            }${g ? ` (failover ${g})` : ' (primary)'}`,
            health: 'unknown',
            object: { kind: 'aiBackend', name: backend.name },
            group: g,
            weight: provider.weight,
          });
          edge(backendId, id, g === 0 ? 'serves' : 'failover');
        }
      });
    } else if (backend.spec.kind === 'mcp') {
      for (const target of backend.spec.targets) {
        if (
          target.mcpServer &&
          nodes.some(n => n.id === `mcp-server:${target.mcpServer}`)
        ) {
          edge(backendId, `mcp-server:${target.mcpServer}`, 'serves');
        }
      }
    }
  }

  for (const policy of [...policies].sort(byName)) {
    const id = `policy:${policy.name}`;
    const sections = Object.keys(policy).filter(
      k => !['name', 'description', 'project', 'pool', 'target'].includes(k),
    );
    const targetId =
      policy.target.kind === 'gateway'
        ? gatewayId
        : nodes.find(
            n => n.id === `${policy.target.kind}:ai:${policy.target.name}`,
          )?.id ??
          nodes.find(
            n => n.id === `${policy.target.kind}:mcp:${policy.target.name}`,
          )?.id;
    if (!targetId) continue;
    nodes.push({
      id,
      type: 'policy',
      label: policy.name,
      detail: `${policy.target.kind} policy: ${sections.join(', ')}`,
      health: 'unknown',
      object: { kind: 'policy', name: policy.name },
    });
    edge(targetId, id, 'attached');
  }
  return { nodes, edges };
}
