import {
  aiBackendSchema,
  modelPatternsOverlap,
  parseModelPattern,
} from './aiBackend';
import { issuesOf, openai, validAiBackend } from './testFixtures';

const ai = (groups: object[][], extra: object = {}) => ({
  ...validAiBackend,
  spec: {
    kind: 'ai',
    groups: groups.map(providers => ({ providers })),
    ...extra,
  },
});
const issues = (input: object) => issuesOf(aiBackendSchema, input);

describe('aiBackendSchema: ai', () => {
  it('keeps provider groups in priority order, and round-trips', () => {
    const backend = aiBackendSchema.parse(validAiBackend);
    expect(
      backend.spec.kind === 'ai' &&
        backend.spec.groups.map(g => g.providers.map(p => [p.name, p.weight])),
    ).toEqual([
      [
        ['openai', 1],
        ['claude', 1],
      ],
      [['bedrock', 1]],
    ]);
    expect(aiBackendSchema.parse(JSON.parse(JSON.stringify(backend)))).toEqual(
      backend,
    );
  });

  it('requires credentials except for workload identity and custom providers', () => {
    expect(issues(ai([[{ name: 'o', type: 'openai' }]]))).toEqual([
      {
        field: 'spec.groups[0].providers[0].credentialsSecretRef',
        message:
          'credentialsSecretRef is required for openai providers (a reference to the Secret holding its API key)',
      },
    ]);
    expect(issues(ai([[{ name: 'g', type: 'gemini' }]]))[0].field).toBe(
      'spec.groups[0].providers[0].credentialsSecretRef',
    );
    expect(
      issues(ai([[{ name: 'b', type: 'bedrock', region: 'eu-west-1' }]])),
    ).toEqual([]);
    expect(
      issues(
        ai([
          [
            {
              name: 'v',
              type: 'vertex-ai',
              gcpProject: 'p',
              location: 'europe-west4',
            },
          ],
        ]),
      ),
    ).toEqual([]);
    expect(
      issues(
        ai([
          [
            {
              name: 'c',
              type: 'custom',
              baseUrl: 'http://vllm.models.svc:8000/v1',
            },
          ],
        ]),
      ),
    ).toEqual([]);
  });

  it('requires the fields each provider type needs', () => {
    expect(issues(ai([[{ name: 'c', type: 'custom' }]]))).toEqual([
      {
        field: 'spec.groups[0].providers[0].baseUrl',
        message:
          'baseUrl is required for custom providers (the OpenAI-compatible endpoint)',
      },
    ]);
    expect(
      issues(
        ai([
          [
            {
              name: 'az',
              type: 'azure-openai',
              credentialsSecretRef: { name: 'az', key: 'k' },
            },
          ],
        ]),
      ).map(i => i.field),
    ).toEqual([
      'spec.groups[0].providers[0].baseUrl',
      'spec.groups[0].providers[0].deployment',
    ]);
    expect(issues(ai([[openai], [{ name: 'b', type: 'bedrock' }]]))).toEqual([
      {
        field: 'spec.groups[1].providers[0].region',
        message:
          'region is required for bedrock providers (the AWS region, e.g. eu-central-1)',
      },
    ]);
  });

  it('refuses fields of another provider type', () => {
    expect(
      issues(ai([[{ ...openai, region: 'us-east-1', deployment: 'x' }]])),
    ).toEqual([
      {
        field: 'spec.groups[0].providers[0].region',
        message: 'region applies only to bedrock providers, not openai',
      },
      {
        field: 'spec.groups[0].providers[0].deployment',
        message:
          'deployment applies only to azure-openai providers, not openai',
      },
    ]);
  });

  it('refuses an API key value', () => {
    const found = issues(ai([[{ ...openai, apiKey: 'sk-live-123' }]]));
    expect(found).toHaveLength(1);
    expect(found[0].field).toBe('spec.groups[0].providers[0].apiKey');
    expect(found[0].message).toMatch(/secret values are never accepted/);
  });

  it('refuses weights agentgateway cannot render, saying why', () => {
    expect(issues(ai([[{ ...openai, weight: 1 }]]))).toEqual([]);
    const found = issues(ai([[openai, { ...openai, name: 'b', weight: 30 }]]));
    expect(found).toEqual([
      {
        field: 'spec.groups[0].providers[1].weight',
        message: expect.stringContaining(
          'agentgateway shares traffic among the providers of a group by their health and latency, not by weight',
        ),
      },
    ]);
    expect(issues(ai([[{ ...openai, weight: 101 }]]))[0]).toEqual({
      field: 'spec.groups[0].providers[0].weight',
      message: 'must be at most 100',
    });
  });

  it('serves exact model names and patterns with one * first or last', () => {
    for (const models of [
      ['anthropic/*'],
      ['*-latest'],
      ['*'],
      ['gpt-4o', 'gpt-4o*'],
    ]) {
      expect({ models, issues: issues(ai([[openai]], { models })) }).toEqual({
        models,
        issues: [],
      });
    }
    for (const model of ['gpt-*-mini', 'a**', '*a*', '**']) {
      expect(issues(ai([[openai]], { models: ['ok', model] }))).toEqual([
        {
          field: 'spec.models[1]',
          message: expect.stringContaining(
            "must be an exact name, or one '*' first or last",
          ),
        },
      ]);
    }
  });

  it('asks a provider for one exact model', () => {
    expect(issues(ai([[{ ...openai, model: 'gpt-*' }]]))).toEqual([
      {
        field: 'spec.groups[0].providers[0].model',
        message: expect.stringContaining('must be one model name'),
      },
    ]);
    const azure = {
      name: 'azure',
      type: 'azure-openai',
      baseUrl: 'https://corp.openai.azure.com',
      deployment: 'gpt-4o-mini',
      credentialsSecretRef: { name: 'azure', key: 'api-key' },
    };
    expect(issues(ai([[azure]]))).toEqual([]);
    expect(issues(ai([[{ ...azure, model: 'gpt-4o' }]]))).toEqual([
      {
        field: 'spec.groups[0].providers[0].model',
        message:
          'does not apply to azure-openai providers: the deployment decides the model (set deployment)',
      },
    ]);
  });

  it('takes a base URL agentgateway can reach, without credentials in it', () => {
    const custom = (baseUrl: string) =>
      ai([[{ name: 'vllm', type: 'custom', baseUrl }]]);
    expect(issues(custom('http://vllm.models:8000/v1'))).toEqual([]);
    const withPassword = issues(
      custom('https://admin:hunter2-secret@vllm.example.com/v1'),
    );
    expect(withPassword).toEqual([
      {
        field: 'spec.groups[0].providers[0].baseUrl',
        message: expect.stringContaining(
          'secret values are never accepted in plain text',
        ),
      },
    ]);
    expect(JSON.stringify(withPassword)).not.toContain('hunter2');
    expect(issues(custom('https://vllm.example.com/v1?key=abc'))).toEqual([
      {
        field: 'spec.groups[0].providers[0].baseUrl',
        message: expect.stringContaining('must not have a query or fragment'),
      },
    ]);
  });

  it('checks unique names and models', () => {
    expect(issues(ai([[openai], [openai]]))).toEqual([
      {
        field: 'spec.groups[1].providers[0].name',
        message:
          "provider name 'openai' is used twice; provider names must be unique within a backend",
      },
    ]);
    expect(issues(ai([[openai]], { models: ['gpt-4o', 'gpt-4o'] }))).toEqual([
      { field: 'spec.models[1]', message: "model 'gpt-4o' is listed twice" },
    ]);
    expect(issues(ai([]))).toEqual([
      {
        field: 'spec.groups',
        message: 'an AI backend needs at least one provider group',
      },
    ]);
    expect(issues(ai([[]]))).toEqual([
      {
        field: 'spec.groups[0].providers',
        message: 'a group needs at least one provider',
      },
    ]);
    expect(issues(ai([[{ ...openai, type: 'mistral' }]]))).toEqual([
      {
        field: 'spec.groups[0].providers[0].type',
        message:
          'must be one of: openai, anthropic, bedrock, azure-openai, gemini, vertex-ai, custom',
      },
    ]);
  });
});

describe('model patterns', () => {
  it('parses the forms agentgateway can match', () => {
    expect(parseModelPattern('gpt-4o')).toEqual({
      kind: 'exact',
      name: 'gpt-4o',
    });
    expect(parseModelPattern('anthropic/*')).toEqual({
      kind: 'prefix',
      prefix: 'anthropic/',
    });
    expect(parseModelPattern('*-latest')).toEqual({
      kind: 'suffix',
      suffix: '-latest',
    });
    expect(parseModelPattern('*')).toEqual({ kind: 'any' });
    expect(parseModelPattern('a*b')).toBeUndefined();
    expect(parseModelPattern('*a*')).toBeUndefined();
  });

  it('tells when one model can match two patterns', () => {
    const overlapping: Array<[string, string]> = [
      ['gpt-4o', 'gpt-4o'],
      ['gpt-4o', 'gpt-*'],
      ['gpt-*', 'gpt-4*'],
      ['*-mini', '*4o-mini'],
      ['gpt-*', '*-mini'],
      ['*', 'anything'],
    ];
    const apart: Array<[string, string]> = [
      ['gpt-4o', 'gpt-4o-mini'],
      ['gpt-*', 'claude-*'],
      ['*-mini', '*-max'],
      ['claude-3', 'gpt-*'],
    ];
    for (const [a, b] of overlapping) {
      expect([a, b, modelPatternsOverlap(a, b)]).toEqual([a, b, true]);
      expect([b, a, modelPatternsOverlap(b, a)]).toEqual([b, a, true]);
    }
    for (const [a, b] of apart) {
      expect([a, b, modelPatternsOverlap(a, b)]).toEqual([a, b, false]);
      expect([b, a, modelPatternsOverlap(b, a)]).toEqual([b, a, false]);
    }
  });
});

describe('aiBackendSchema: other kinds', () => {
  const spec = (s: object) => ({ ...validAiBackend, spec: s });

  it('names the kinds', () => {
    expect(issues(spec({ kind: 'grpc' }))).toEqual([
      {
        field: 'spec.kind',
        message: 'must be one of: ai, static, dynamic-forward-proxy, mcp',
      },
    ]);
  });

  it('needs exactly one of host and port, or service, for static backends', () => {
    expect(
      issues(spec({ kind: 'static', host: 'api.internal', port: 443 })),
    ).toEqual([]);
    expect(
      issues(spec({ kind: 'static', service: { name: 'svc', port: 80 } })),
    ).toEqual([]);
    expect(issues(spec({ kind: 'static' }))).toEqual([
      {
        field: 'spec.host',
        message:
          'a static backend needs exactly one of: host and port, or service',
      },
    ]);
    expect(
      issues(
        spec({
          kind: 'static',
          host: 'a.internal',
          port: 1,
          service: { name: 's', port: 80 },
        }),
      ),
    ).toEqual([
      {
        field: 'spec.service',
        message:
          'a static backend needs exactly one of: host and port, or service (not both)',
      },
    ]);
    expect(issues(spec({ kind: 'static', host: 'api.internal' }))).toEqual([
      {
        field: 'spec.port',
        message: 'host and port are both required for a static host backend',
      },
    ]);
  });

  it('accepts a dynamic forward proxy with nothing else', () => {
    expect(issues(spec({ kind: 'dynamic-forward-proxy' }))).toEqual([]);
    expect(issues(spec({ kind: 'dynamic-forward-proxy', host: 'x' }))).toEqual([
      { field: 'spec.host', message: 'is not a known field' },
    ]);
  });

  it('checks MCP targets', () => {
    expect(
      issues(
        spec({
          kind: 'mcp',
          targets: [
            { name: 'gh', mcpServer: 'github' },
            { name: 'x', host: 'x.internal', port: 80, path: '/mcp' },
          ],
        }),
      ),
    ).toEqual([]);
    expect(issues(spec({ kind: 'mcp', targets: [{ name: 'gh' }] }))).toEqual([
      {
        field: 'spec.targets[0].host',
        message: 'a target needs exactly one of: host and port, or mcpServer',
      },
    ]);
    expect(
      issues(
        spec({
          kind: 'mcp',
          targets: [{ name: 'gh', mcpServer: 'github', host: 'x' }],
        }),
      ),
    ).toEqual([
      {
        field: 'spec.targets[0].mcpServer',
        message: 'a target needs exactly one of: host and port, or mcpServer',
      },
    ]);
    expect(
      issues(
        spec({ kind: 'mcp', targets: [{ name: 'x', host: 'x.internal' }] }),
      ),
    ).toEqual([
      {
        field: 'spec.targets[0].port',
        message: 'host and port are both required for a host target',
      },
    ]);
    expect(
      issues(
        spec({
          kind: 'mcp',
          targets: [
            { name: 'a', mcpServer: 'a' },
            { name: 'a', mcpServer: 'b' },
          ],
        }),
      ),
    ).toEqual([
      {
        field: 'spec.targets[1].name',
        message: "target name 'a' is used twice",
      },
    ]);
    expect(issues(spec({ kind: 'mcp', targets: [] }))).toEqual([
      {
        field: 'spec.targets',
        message: 'an MCP backend needs at least one target',
      },
    ]);
  });
});
