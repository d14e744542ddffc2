import { policySchema, type PolicyInput } from '../model/policy';
import { effectivePolicy } from './effectivePolicy';
import {
  aiBackendSnippets,
  authRequirement,
  exampleModel,
  mcpSnippets,
  policyInWords,
} from './clientAccess';

const policy = (name: string, rest: Partial<PolicyInput>) =>
  policySchema.parse({
    name,
    project: 'payments',
    pool: 'prod',
    target: { kind: 'gateway', name: 'prod' },
    ...rest,
  });
const jwt = policy('sso', {
  jwtAuth: {
    issuer: 'https://sso.example.com',
    audiences: ['mcp'],
    jwks: { url: 'https://sso.example.com/jwks' },
  },
});
const keys = policy('keys', {
  target: { kind: 'backend', name: 'llm' },
  apiKeyAuth: { secretRef: { name: 'team-keys' } },
});
const limits = policy('limits', {
  rateLimit: { unit: 'minute', requests: 100 },
  retries: { attempts: 2 },
  timeouts: { requestSeconds: 30 },
});
const at = (target: string, ...policies: ReturnType<typeof policy>[]) =>
  effectivePolicy(policies, { level: 'backend', target });

/** Every Authorization value in a snippet is a variable reference, never a value. */
const bearerValues = (code: string) =>
  [...code.matchAll(/Bearer ([^"'\s,]+)/g)].map(m => m[1]);

describe('authRequirement', () => {
  it('says a JWT is required, by whom, and the header', () => {
    const auth = authRequirement(at('github', jwt));
    expect(auth).toMatchObject({
      kind: 'jwt',
      required: true,
      header: 'Authorization',
      envVar: 'AI_GATEWAY_TOKEN',
      from: 'policy sso (gateway level)',
    });
    expect(auth.summary).toBe(
      'A JWT is required: a token issued by https://sso.example.com for audience mcp, sent as "Authorization: Bearer <token>".',
    );
  });

  it('says an API key is required where the backend policy asks for one, and nothing elsewhere', () => {
    const auth = authRequirement(at('llm', keys, limits));
    expect(auth).toMatchObject({ kind: 'api-key', required: true });
    expect(auth.summary).toContain('one of the keys in Secret team-keys');
    expect(authRequirement(at('other', keys, limits))).toEqual({
      kind: 'none',
      summary:
        'No credential is needed: no policy asks for a JWT or an API key.',
    });
  });

  it('treats a permissive JWT rule as no credential', () => {
    const open = policy('open', {
      jwtAuth: {
        issuer: 'https://sso.example.com',
        jwks: { url: 'https://sso.example.com/jwks' },
        mode: 'permissive',
      },
    });
    expect(authRequirement(at('x', open)).kind).toBe('none');
  });
});

describe('policyInWords', () => {
  it('reads each section as a sentence with its source', () => {
    const words = policyInWords(at('llm', keys, limits));
    expect(words.map(w => w.text)).toEqual([
      expect.stringMatching(/^An API key is required/),
      'Rate limit: 100 requests per minute, counted for the whole pool',
      'Retried up to 2 times on 502, 503 and 504 (first wait 250 ms, doubling)',
      'Timeout: 30 s for the whole request',
    ]);
    expect(words[1].from).toBe('policy limits (gateway level)');
  });
});

describe('mcpSnippets', () => {
  const url = 'https://mcp.ai.example.com/gh/mcp';

  it('gives curl initialize, VS Code, Cursor and Claude Code with the token as a variable', () => {
    const snippets = mcpSnippets(
      'github',
      url,
      authRequirement(at('github', jwt)),
    );
    expect(snippets.map(s => s.id)).toEqual([
      'curl',
      'vscode',
      'cursor',
      'claude',
    ]);
    const [curl, vscode, cursor, claude] = snippets;
    expect(curl.code).toContain(`-X POST '${url}'`);
    expect(curl.code).toContain(
      "-H 'Accept: application/json, text/event-stream'",
    );
    expect(curl.code).toContain('"method":"initialize"');
    expect(JSON.parse(vscode.code)).toEqual({
      inputs: [
        {
          type: 'promptString',
          id: 'ai-gateway-token',
          description: 'JWT for github',
          password: true,
        },
      ],
      servers: {
        github: {
          type: 'http',
          url,
          headers: { Authorization: 'Bearer ${input:ai-gateway-token}' },
        },
      },
    });
    expect(JSON.parse(cursor.code)).toEqual({
      mcpServers: {
        github: {
          url,
          headers: { Authorization: 'Bearer ${env:AI_GATEWAY_TOKEN}' },
        },
      },
    });
    expect(claude.code).toBe(
      `claude mcp add --transport http github ${url} \\\n  --header "Authorization: Bearer $AI_GATEWAY_TOKEN"`,
    );
    for (const s of snippets)
      for (const value of bearerValues(s.code))
        expect(value).toMatch(/^\$(AI_GATEWAY_TOKEN|\{(input|env):[\w-]+\})$/);
  });

  it('sends no header when no credential is needed', () => {
    const snippets = mcpSnippets('github', url, authRequirement([]));
    for (const s of snippets) expect(s.code).not.toContain('Authorization');
    expect(JSON.parse(snippets[1].code)).toEqual({
      servers: { github: { type: 'http', url } },
    });
  });
});

describe('AI backends', () => {
  it('gives curl, Python and TypeScript OpenAI calls with the key as a variable', () => {
    const base = 'https://api-ai.example.com/llm/v1';
    const snippets = aiBackendSnippets(
      base,
      'gpt-4o',
      authRequirement(at('llm', keys)),
    );
    const [curl, python, ts] = snippets;
    expect(curl.code).toContain(`'${base}/chat/completions'`);
    expect(curl.code).toContain('Authorization: Bearer $AI_GATEWAY_API_KEY');
    expect(python.code).toContain(`base_url="${base}"`);
    expect(python.code).toContain('api_key=os.environ["AI_GATEWAY_API_KEY"]');
    expect(python.code).toContain('model="gpt-4o"');
    expect(ts.code).toContain(`baseURL: '${base}'`);
    expect(ts.code).toContain('apiKey: process.env.AI_GATEWAY_API_KEY');

    const open = aiBackendSnippets(base, 'gpt-4o', authRequirement([]));
    expect(open[0].code).not.toContain('Authorization');
    expect(open[1].code).toContain('api_key="unused"');
  });

  it('asks for an exact served model, else the upstream model', () => {
    expect(exampleModel({ models: ['gpt-4o*', 'gpt-4o-mini'] })).toBe(
      'gpt-4o-mini',
    );
    expect(
      exampleModel({
        models: [],
        groups: [{ providers: [{ model: 'claude' }] }],
      }),
    ).toBe('claude');
    expect(exampleModel({ models: ['*'] })).toBe('MODEL_NAME');
  });
});
