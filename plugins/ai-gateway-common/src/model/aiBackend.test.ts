import { aiBackendSchema } from './aiBackend';
import { mcpServerSchema } from './mcpServer';
import { policySchema } from './policy';
import { projectSchema } from './project';
import { formatZodIssues } from './validation';

const fieldsOf = (schema: { safeParse: Function }, input: unknown) => {
  const r = schema.safeParse(input, { reportInput: true });
  return r.success ? [] : formatZodIssues(r.error);
};

const ai = (providers: object[][], extra: object = {}) => ({
  name: 'llm',
  project: 'p',
  pool: 'pool',
  spec: { kind: 'ai', groups: providers.map(p => ({ providers: p })), ...extra },
});
const openai = { name: 'openai', type: 'openai', credentialsSecretRef: { name: 'openai', key: 'api-key' } };

describe('aiBackendSchema', () => {
  it('keeps provider groups in priority order with weights', () => {
    const b = aiBackendSchema.parse(ai([[openai, { name: 'claude', type: 'anthropic', weight: 30, credentialsSecretRef: { name: 'a', key: 'k' } }], [{ name: 'br', type: 'bedrock', region: 'eu-west-1' }]]));
    expect(b.spec.kind === 'ai' && b.spec.groups.map(g => g.providers.map(p => [p.name, p.weight]))).toEqual([
      [['openai', 1], ['claude', 30]],
      [['br', 1]],
    ]);
  });

  it('names the field of each provider rule', () => {
    expect(fieldsOf(aiBackendSchema, ai([[{ name: 'o', type: 'openai' }]]))).toEqual([
      { field: 'spec.groups[0].providers[0].credentialsSecretRef', message: 'credentialsSecretRef is required for openai (a reference to the Secret holding the API key)' },
    ]);
    expect(fieldsOf(aiBackendSchema, ai([[{ name: 'c', type: 'custom' }]]))[0].field).toBe('spec.groups[0].providers[0].baseUrl');
    expect(fieldsOf(aiBackendSchema, ai([[{ ...openai, weight: 101 }]]))[0]).toEqual({ field: 'spec.groups[0].providers[0].weight', message: 'must be at most 100' });
    expect(fieldsOf(aiBackendSchema, ai([[openai], [openai]]))[0].message).toMatch(/provider name 'openai' is used twice/);
    expect(fieldsOf(aiBackendSchema, ai([[{ ...openai, apiKey: 'sk-live' }]]))[0].field).toBe('spec.groups[0].providers[0].apiKey');
    expect(fieldsOf(aiBackendSchema, ai([]))[0].field).toBe('spec.groups');
  });

  it('validates static backends: host and port, or a service', () => {
    const stat = (spec: object) => ({ name: 's', project: 'p', pool: 'q', spec: { kind: 'static', ...spec } });
    expect(fieldsOf(aiBackendSchema, stat({ host: 'api.internal', port: 443 }))).toEqual([]);
    expect(fieldsOf(aiBackendSchema, stat({ service: { name: 'svc', port: 80 } }))).toEqual([]);
    expect(fieldsOf(aiBackendSchema, stat({}))[0].message).toMatch(/exactly one of/);
    expect(fieldsOf(aiBackendSchema, stat({ host: 'api.internal' }))[0]).toEqual({ field: 'spec.port', message: 'host and port are both required for a static host backend' });
  });
});

describe('mcpServerSchema', () => {
  const server = { name: 'github', project: 'p', pool: 'q', prefix: 'github', source: { type: 'remote', url: 'https://x.example.com/mcp' } };
  it('defaults the transport and tool lists', () => {
    expect(mcpServerSchema.parse(server)).toMatchObject({ transport: 'streamable-http', tools: { allow: [], deny: [] } });
  });
  it('refuses a tool both allowed and denied, and secrets in env', () => {
    expect(fieldsOf(mcpServerSchema, { ...server, tools: { allow: ['a'], deny: ['a'] } })).toEqual([{ field: 'tools.deny[0]', message: "tool 'a' is both allowed and denied" }]);
    const image = { type: 'image', image: 'ghcr.io/x/y:1', env: { TOKEN: 'x' }, secretEnv: [{ name: 'TOKEN', secretRef: { name: 's', key: 'k' } }] };
    expect(fieldsOf(mcpServerSchema, { ...server, source: image })[0]).toEqual({ field: 'source.secretEnv[0].name', message: 'TOKEN is set both in env and in secretEnv' });
    expect(fieldsOf(mcpServerSchema, { ...server, prefix: 'Git Hub' })[0].field).toBe('prefix');
    expect(fieldsOf(mcpServerSchema, { ...server, source: { type: 'remote', url: 'ftp://x' } })[0].field).toBe('source.url');
  });
});

describe('policySchema', () => {
  const p = { name: 'p', project: 'x', pool: 'y', target: { kind: 'backend', name: 'llm' } };
  it('needs at least one policy kind', () => {
    expect(fieldsOf(policySchema, p)[0].message).toMatch(/a policy needs at least one of: jwtAuth, apiKeyAuth/);
  });
  it('checks rate limits, prompt guard regexes and CEL', () => {
    expect(fieldsOf(policySchema, { ...p, rateLimit: { unit: 'minute' } })[0]).toEqual({ field: 'rateLimit.requests', message: 'a rate limit needs requests or tokens per unit' });
    expect(fieldsOf(policySchema, { ...p, rateLimit: { unit: 'minute', tokens: 1000, models: { 'gpt-4o': 500 } } })).toEqual([]);
    const guard = fieldsOf(policySchema, { ...p, promptGuard: { request: { regex: [{ name: 'bad', pattern: '([a-z' }] } } });
    expect(guard[0].field).toBe('promptGuard.request.regex[0].pattern');
    expect(guard[0].message).toMatch(/is not a valid regular expression/);
    expect(fieldsOf(policySchema, { ...p, authorization: { cel: [] } })[0].field).toBe('authorization.cel');
    expect(fieldsOf(policySchema, { ...p, target: { kind: 'listener', name: 'x' }, retries: { attempts: 1 } })[0].field).toBe('target.kind');
  });
});

describe('projectSchema', () => {
  it('normalises owner refs', () => {
    expect(projectSchema.parse({ name: 'a', owner: 'team-a' }).owner).toBe('group:default/team-a');
    expect(projectSchema.parse({ name: 'a', owner: 'group:ops/Team-A' }).owner).toBe('group:ops/team-a');
    expect(fieldsOf(projectSchema, { name: 'a', owner: 'user:default/bob' })[0].field).toBe('owner');
  });
});
