/**
 * The topology bench's one graph: a pool whose MCP servers, AI backends (with
 * providers, and MCP backends multiplexing servers) and policies make
 * `buildPoolTopology` yield exactly 500 nodes and 1,500 edges, and the same
 * nodes and relations as catalog entities for the catalog-graph plugin.
 * Deterministic, and every object passes the suite's schemas. Shared by the
 * bench (Node, for the counts it prints) and the bench page (the browser).
 */
import type { Entity } from '@backstage/catalog-model';
import {
  aiBackendSchema,
  buildPoolTopology,
  mcpServerSchema,
  policySchema,
  poolSchema,
  type AiBackend,
  type McpServer,
  type Policy,
  type Pool,
  type PoolStatus,
  type Topology,
  type TopologyNode,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

export const POOL = 'bench';
export const PROJECT = 'bench';
export const TARGET_NODES = 500;
export const TARGET_EDGES = 1500;

// 1 gateway + 100 x (route, backend, MCP server) + 20 x (route, MCP backend)
// + 25 x (route, AI backend, 3 providers) + 34 policies = 500 nodes.
// Edges: one per node but the gateway (499) + 1,001 MCP-backend targets = 1,500.
const MCP_SERVERS = 100;
const MCP_BACKENDS = 20;
const MCP_TARGETS = 1001;
const AI_BACKENDS = 25;
const POLICIES = 34;

const pad = (n: number) => String(n).padStart(3, '0');

export type TopologyFixture = {
  pool: Pool;
  mcpServers: McpServer[];
  aiBackends: AiBackend[];
  policies: Policy[];
  status: PoolStatus;
  topology: Topology;
};

export function topologyFixture(): TopologyFixture {
  const pool = poolSchema.parse({
    name: POOL,
    project: PROJECT,
    cluster: { name: 'bench-eks', type: 'eks' },
    namespace: 'aigw',
    tls: { mode: 'selfsigned' },
    domains: { baseDomain: 'ai.example.com' },
  });
  const mcpServers = Array.from({ length: MCP_SERVERS }, (_, i) =>
    mcpServerSchema.parse({
      name: `mcp-${pad(i)}`,
      project: PROJECT,
      pool: POOL,
      prefix: `m${pad(i)}`,
      source:
        i % 4 === 3
          ? { type: 'remote', url: `https://tools-${pad(i)}.example.com/mcp` }
          : {
              type: 'image',
              image: `registry.example.com/mcp/server-${pad(i)}:1.0.0`,
            },
    }),
  );
  // MCP backends spread over the servers; their targets are the extra edges.
  const perBackend = Math.floor(MCP_TARGETS / MCP_BACKENDS);
  const mcpBackends = Array.from({ length: MCP_BACKENDS }, (_, j) => {
    const count =
      perBackend + (j < MCP_TARGETS - perBackend * MCP_BACKENDS ? 1 : 0);
    return aiBackendSchema.parse({
      name: `hub-${pad(j)}`,
      project: PROJECT,
      pool: POOL,
      spec: {
        kind: 'mcp',
        targets: Array.from({ length: count }, (__, t) => {
          const server = mcpServers[(j * 5 + t) % MCP_SERVERS].name;
          return { name: `t-${server}`, mcpServer: server };
        }),
      },
    });
  });
  const providerTypes = ['openai', 'anthropic', 'bedrock'] as const;
  const aiBackends = Array.from({ length: AI_BACKENDS }, (_, k) =>
    aiBackendSchema.parse({
      name: `llm-${pad(k)}`,
      project: PROJECT,
      pool: POOL,
      spec: {
        kind: 'ai',
        models: [`model-${pad(k)}`],
        groups: [
          {
            providers: [
              {
                name: 'openai',
                type: 'openai',
                model: 'gpt-4o',
                credentialsSecretRef: { name: 'openai', key: 'api-key' },
              },
              {
                name: 'anthropic',
                type: 'anthropic',
                credentialsSecretRef: { name: 'anthropic', key: 'api-key' },
              },
            ],
          },
          {
            providers: [
              {
                name: providerTypes[2],
                type: 'bedrock',
                region: 'eu-central-1',
              },
            ],
          },
        ],
      },
    }),
  );
  const targets: Array<{
    kind: 'gateway' | 'route' | 'backend';
    name: string;
  }> = [
    { kind: 'gateway', name: POOL },
    ...aiBackends.map(b => ({ kind: 'route' as const, name: b.name })),
    ...mcpServers.map(s => ({ kind: 'backend' as const, name: s.name })),
  ];
  const policies = Array.from({ length: POLICIES }, (_, p) => {
    const target =
      p < 2 ? targets[0] : targets[1 + ((p * 7) % (targets.length - 1))];
    const sections =
      p % 3 === 0
        ? { rateLimit: { unit: 'minute', requests: 100 + p } }
        : p % 3 === 1
        ? { timeouts: { backendRequestSeconds: 10 + p } }
        : { headers: { request: { set: { [`x-bench-${p}`]: 'yes' } } } };
    return policySchema.parse({
      name: `policy-${pad(p)}`,
      project: PROJECT,
      pool: POOL,
      target,
      ...sections,
    });
  });
  // Every 7th MCP server's Deployment and every 11th route are unhealthy.
  const now = new Date(0).toISOString();
  const status: PoolStatus = {
    pool: POOL,
    phase: 'Degraded',
    phaseSince: now,
    conditions: [],
    heartbeat: {
      operatorVersion: '0.1.0',
      receivedAt: now,
      runningRevision: null,
      components: [
        { name: `Gateway/${POOL}`, kind: 'Gateway', healthy: true },
        ...mcpServers.flatMap((s, i) => [
          {
            name: `Deployment/mcp-${s.name}`,
            kind: 'Deployment',
            healthy: i % 7 !== 0,
            ...(i % 7 === 0 ? { message: '0/1 replicas ready' } : {}),
          },
          {
            name: `HTTPRoute/mcp-${s.name}`,
            kind: 'HTTPRoute',
            healthy: i % 11 !== 0,
            ...(i % 11 === 0 ? { message: 'not accepted' } : {}),
          },
        ]),
      ],
    },
  } as PoolStatus;
  const allBackends = [...mcpBackends, ...aiBackends];
  const topology = buildPoolTopology({
    pool,
    mcpServers,
    aiBackends: allBackends,
    policies,
    status,
  });
  return {
    pool,
    mcpServers,
    aiBackends: allBackends,
    policies,
    status,
    topology,
  };
}

const KIND_OF: Record<TopologyNode['type'], string> = {
  gateway: 'Resource',
  route: 'Resource',
  backend: 'Component',
  'mcp-server': 'API',
  provider: 'Resource',
  policy: 'Resource',
};

/** An entity name for a topology node id (ids hold ':' and '/'). */
export const entityNameOf = (id: string) => id.replace(/[^A-Za-z0-9]+/g, '-');

/**
 * The same graph as catalog entities: each node one entity, each edge the
 * relation pair dependsOn (source) / dependencyOf (target), as the catalog
 * would have stitched them.
 */
export function topologyEntities(topology: Topology): Entity[] {
  const byId = new Map<string, Entity>();
  const typeOf = new Map(topology.nodes.map(n => [n.id, n.type]));
  const refOf = (id: string) =>
    `${KIND_OF[typeOf.get(id)!].toLowerCase()}:default/${entityNameOf(id)}`;
  for (const node of topology.nodes) {
    byId.set(node.id, {
      apiVersion: 'backstage.io/v1alpha1',
      kind: KIND_OF[node.type],
      metadata: {
        name: entityNameOf(node.id),
        namespace: 'default',
        title: node.label,
        description: node.detail,
      },
      spec: {
        type: node.type,
        owner: 'group:default/bench',
        lifecycle: 'production',
      },
      relations: [],
    });
  }
  for (const edge of topology.edges) {
    byId
      .get(edge.source)!
      .relations!.push({ type: 'dependsOn', targetRef: refOf(edge.target) });
    byId
      .get(edge.target)!
      .relations!.push({ type: 'dependencyOf', targetRef: refOf(edge.source) });
  }
  return [...byId.values()];
}
