import {
  aiGatewayKinds,
  catalogEntityRef,
  resourceKindOfPlural,
  resourceKinds,
  type ResourceKind,
} from './resourceKinds';
import {
  fullPool,
  validAiBackend,
  validMcpServer,
  validPolicy,
  validProject,
} from './testFixtures';

const examples: Record<ResourceKind, object> = {
  project: validProject,
  pool: fullPool,
  mcpServer: validMcpServer,
  aiBackend: validAiBackend,
  policy: validPolicy,
};

describe('resourceKinds', () => {
  it('describes the five kinds in dependency order', () => {
    expect(aiGatewayKinds.map(k => [k.kind, k.plural, k.title])).toEqual([
      ['project', 'projects', 'Project'],
      ['pool', 'pools', 'Pool'],
      ['mcpServer', 'mcp-servers', 'MCP server'],
      ['aiBackend', 'ai-backends', 'AI backend'],
      ['policy', 'policies', 'Policy'],
    ]);
    expect(Object.keys(resourceKinds)).toEqual(aiGatewayKinds.map(k => k.kind));
    expect(resourceKindOfPlural('mcp-servers')).toBe('mcpServer');
    expect(resourceKindOfPlural('routes')).toBeUndefined();
  });

  it.each(Object.keys(examples) as ResourceKind[])(
    'round-trips a valid %s',
    kind => {
      const { schema } = resourceKinds[kind];
      const stored = schema.parse(examples[kind]);
      expect(schema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    },
  );

  it.each(Object.keys(examples) as ResourceKind[])(
    'every %s schema rejects unknown fields',
    kind => {
      expect(
        resourceKinds[kind].schema.safeParse({
          ...examples[kind],
          password: 'x',
        }).success,
      ).toBe(false);
    },
  );
});

describe('catalogEntityRef', () => {
  it('names entities as the entity provider does', () => {
    expect(catalogEntityRef('pool', 'prod')).toBe('resource:default/prod');
    expect(catalogEntityRef('mcpServer', 'github')).toBe('api:default/github');
    expect(catalogEntityRef('project', 'payments')).toBe(
      'system:default/payments',
    );
    expect(catalogEntityRef('policy', 'budget')).toBeUndefined();
  });
});
