import {
  aiBackendSchema,
  mcpServerSchema,
  policySchema,
  poolSchema,
} from '../index';
import { effectivePolicy } from './effectivePolicy';
import { buildPoolTopology } from './graph';

const pool = poolSchema.parse({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'eks', type: 'eks' },
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'ai.example.com' },
});
const github = mcpServerSchema.parse({
  name: 'github',
  project: 'payments',
  pool: 'prod',
  prefix: 'gh',
  source: { type: 'image', image: 'ghcr.io/github/github-mcp-server:0.9.0' },
});
const llm = aiBackendSchema.parse({
  name: 'llm',
  project: 'payments',
  pool: 'prod',
  spec: {
    kind: 'ai',
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            model: 'gpt-4o',
            credentialsSecretRef: { name: 'o', key: 'k' },
          },
        ],
      },
      {
        providers: [
          { name: 'bedrock', type: 'bedrock', region: 'eu-central-1' },
        ],
      },
    ],
    models: ['gpt-4o'],
  },
});
const policy = (name: string, target: object, sections: object) =>
  policySchema.parse({
    name,
    project: 'payments',
    pool: 'prod',
    target,
    ...sections,
  });
const policies = [
  policy(
    'gw-limit',
    { kind: 'gateway', name: 'prod' },
    {
      rateLimit: { unit: 'minute', requests: 1000 },
      headers: { request: { set: { 'x-gateway': 'prod' } } },
    },
  ),
  policy(
    'gw-limit-2',
    { kind: 'gateway', name: 'prod' },
    { rateLimit: { unit: 'minute', requests: 5 } },
  ),
  policy(
    'llm-route',
    { kind: 'route', name: 'llm' },
    {
      rateLimit: { unit: 'minute', tokens: 100000 },
      headers: { request: { set: { 'x-route': 'llm' } } },
    },
  ),
  policy(
    'llm-backend',
    { kind: 'backend', name: 'llm' },
    {
      promptGuard: { request: { builtins: ['email'] } },
      timeouts: { backendRequestSeconds: 30 },
    },
  ),
];

describe('effectivePolicy', () => {
  it('lets the more specific level override, merges headers, and reports conflicts at one level', () => {
    const atBackend = effectivePolicy(policies, {
      level: 'backend',
      target: 'llm',
    });
    const section = (s: string) => atBackend.find(e => e.section === s)!;
    expect(section('rateLimit')).toMatchObject({
      value: { unit: 'minute', tokens: 100000 },
      from: { policy: 'llm-route', level: 'route' },
      mode: 'overrides',
      overridden: [
        {
          policy: 'gw-limit-2',
          level: 'gateway',
          reason:
            'conflicts with policy gw-limit at the same gateway level; gw-limit applies (first by name)',
        },
        {
          policy: 'gw-limit',
          level: 'gateway',
          reason:
            'overridden by policy llm-route at the more specific route level',
        },
      ],
    });
    expect(section('headers')).toMatchObject({
      mode: 'merged',
      mergedFrom: [
        { policy: 'gw-limit', level: 'gateway' },
        { policy: 'llm-route', level: 'route' },
      ],
      value: { request: { set: { 'x-gateway': 'prod', 'x-route': 'llm' } } },
    });
    expect(section('promptGuard')).toMatchObject({
      mode: 'set-here',
      from: { policy: 'llm-backend', level: 'backend' },
    });
    // At the route, the backend's own policy does not apply yet.
    const atRoute = effectivePolicy(policies, {
      level: 'route',
      target: 'llm',
    });
    expect(atRoute.map(e => e.section)).toEqual(['rateLimit', 'headers']);
    // Elsewhere only the gateway's apply, inherited.
    const atGithub = effectivePolicy(policies, {
      level: 'backend',
      target: 'github',
    });
    expect(atGithub.find(e => e.section === 'rateLimit')).toMatchObject({
      mode: 'inherited',
      from: { policy: 'gw-limit', level: 'gateway' },
    });
  });
});

describe('buildPoolTopology', () => {
  it('builds Gateway -> Route -> Backend -> MCP server / providers by failover group, with policies attached', () => {
    const { nodes, edges } = buildPoolTopology({
      pool,
      mcpServers: [github],
      aiBackends: [llm],
      policies,
    });
    expect(nodes.map(n => n.id)).toEqual([
      'gateway:prod',
      'route:mcp:github',
      'backend:mcp:github',
      'mcp-server:github',
      'route:ai:llm',
      'backend:ai:llm',
      'provider:llm:openai',
      'provider:llm:bedrock',
      'policy:gw-limit',
      'policy:gw-limit-2',
      'policy:llm-backend',
      'policy:llm-route',
    ]);
    expect(edges.map(e => `${e.source} ${e.kind} ${e.target}`)).toEqual([
      'gateway:prod routes route:mcp:github',
      'route:mcp:github routes backend:mcp:github',
      'backend:mcp:github serves mcp-server:github',
      'gateway:prod routes route:ai:llm',
      'route:ai:llm routes backend:ai:llm',
      'backend:ai:llm serves provider:llm:openai',
      'backend:ai:llm failover provider:llm:bedrock',
      'gateway:prod attached policy:gw-limit',
      'gateway:prod attached policy:gw-limit-2',
      'backend:ai:llm attached policy:llm-backend',
      'route:ai:llm attached policy:llm-route',
    ]);
    expect(nodes.find(n => n.id === 'route:mcp:github')).toMatchObject({
      label: '/gh/mcp',
      detail: 'mcp.ai.example.com',
    });
    expect(nodes.find(n => n.id === 'provider:llm:openai')).toMatchObject({
      group: 0,
      weight: 1,
      detail: 'OpenAI gpt-4o (primary)',
    });
    expect(
      nodes
        .find(n => n.id === 'backend:ai:llm')!
        .effectivePolicy!.map(e => e.section),
    ).toEqual(['rateLimit', 'promptGuard', 'timeouts', 'headers']);
  });

  it("colours nodes from the pool's reported components", () => {
    const status = {
      pool: 'prod',
      phase: 'Degraded' as const,
      phaseSince: '',
      conditions: [],
      heartbeat: {
        operatorVersion: '0.1.0',
        runningRevision: null,
        components: [
          { name: 'Gateway/prod', healthy: true },
          {
            name: 'Deployment/mcp-github',
            healthy: false,
            message: '0/1 replicas ready',
          },
        ],
      },
    };
    const { nodes } = buildPoolTopology({
      pool,
      mcpServers: [github],
      aiBackends: [],
      policies: [],
      status,
    });
    expect(nodes.find(n => n.id === 'gateway:prod')!.health).toBe('healthy');
    expect(nodes.find(n => n.id === 'mcp-server:github')).toMatchObject({
      health: 'unhealthy',
      healthMessage: 'Deployment/mcp-github: 0/1 replicas ready',
    });
    expect(nodes.find(n => n.id === 'route:mcp:github')!.health).toBe(
      'unknown',
    );
  });
});
