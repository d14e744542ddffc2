import {
  poolSchema,
  mcpServerSchema,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { toEntity } from './entities';

const owners = (project: string) =>
  project === 'payments' ? 'group:default/team-payments' : undefined;
const pool = poolSchema.parse({
  name: 'prod',
  project: 'payments',
  cluster: { name: 'prod-eu', type: 'eks' },
  namespace: 'aigw-prod',
  tls: { mode: 'selfsigned' },
  domains: { baseDomain: 'pay.example.com' },
});

describe('toEntity', () => {
  it('maps a pool to a Resource the Kubernetes tab can use', () => {
    const entity = toEntity(
      {
        kind: 'pool',
        name: 'prod',
        project: 'payments',
        version: 1,
        spec: pool,
      },
      owners,
      'ai-gateway',
    )!;
    expect(entity.kind).toBe('Resource');
    expect(entity.spec).toEqual({
      type: 'ai-gateway-pool',
      owner: 'group:default/team-payments',
      system: 'payments',
    });
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': 'ai-gateway:pools/prod',
      'backstage.io/kubernetes-id': 'prod',
      'backstage.io/kubernetes-namespace': 'aigw-prod',
      'backstage.io/kubernetes-label-selector':
        'ai-gateway.backstage.io/pool=prod',
    });
    expect(entity.metadata.links?.map(l => l.url)).toEqual([
      'https://api.pay.example.com',
      'https://mcp.pay.example.com',
    ]);
  });

  it('maps an MCP server to an mcp-server API with its remote', () => {
    const spec = mcpServerSchema.parse({
      name: 'jira',
      project: 'payments',
      pool: 'prod',
      prefix: 'jira',
      transport: 'sse',
      source: { type: 'remote', url: 'https://jira.example.com/sse' },
    });
    const entity = toEntity(
      {
        kind: 'mcpServer',
        name: 'jira',
        project: 'payments',
        version: 3,
        spec,
        derived: { url: 'https://mcp.pay.example.com/jira/mcp' },
      },
      owners,
      'ai-gateway',
    )!;
    expect(entity.kind).toBe('API');
    expect(entity.spec).toMatchObject({
      type: 'mcp-server',
      system: 'payments',
      owner: 'group:default/team-payments',
      remotes: [{ type: 'sse', url: 'https://mcp.pay.example.com/jira/mcp' }],
    });
    expect(JSON.parse(entity.spec!.definition as string)).toEqual({
      name: 'jira',
      url: 'https://mcp.pay.example.com/jira/mcp',
      clientTransport: 'streamable-http',
      transport: 'sse',
      pool: 'prod',
      tools: { allow: [], deny: [] },
    });
  });

  it('has no entity for policies and marks unknown owners', () => {
    expect(
      toEntity(
        {
          kind: 'policy',
          name: 'p',
          project: 'payments',
          version: 1,
          spec: {},
        },
        owners,
        'ai-gateway',
      ),
    ).toBeUndefined();
    const orphan = toEntity(
      {
        kind: 'pool',
        name: 'x',
        project: 'gone',
        version: 1,
        spec: { ...pool, name: 'x', project: 'gone' },
      },
      owners,
      'ai-gateway',
    )!;
    expect(orphan.spec!.owner).toBe('unknown');
  });
});
