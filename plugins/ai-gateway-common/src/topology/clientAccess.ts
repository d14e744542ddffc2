import type { Policy } from '../model/policy';
import type { EffectiveSection } from './effectivePolicy';

/**
 * What a client must send to pass the effective policy's authentication. The
 * gateway reads JWTs and API keys alike from `Authorization: Bearer …`.
 *
 * @public
 */
export type AuthRequirement =
  /** unknown: the pool's policies could not be read. */
  | { kind: 'none' | 'unknown'; summary: string }
  | {
      kind: 'jwt' | 'api-key';
      /** strict: rejected without it; optional: checked only when sent. */
      required: boolean;
      summary: string;
      header: 'Authorization';
      /** The environment variable the snippets read the credential from. */
      envVar: string;
      /** Where the rule comes from, e.g. "policy mcp-auth (gateway level)". */
      from: string;
    };

/**
 * The header every snippet sends, with a placeholder instead of the value.
 *
 * @public
 */
export const AUTH_HEADER = 'Authorization';

const sourceOf = (section: EffectiveSection) =>
  `policy ${section.from.policy} (${section.from.level} level)`;

const listInWords = (items: string[]) =>
  items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * The authentication the effective policy asks of a client, in words.
 *
 * @public
 */
export function authRequirement(sections: EffectiveSection[]): AuthRequirement {
  const jwt = sections.find(s => s.section === 'jwtAuth');
  const apiKey = sections.find(s => s.section === 'apiKeyAuth');
  if (jwt) {
    const value = jwt.value as NonNullable<Policy['jwtAuth']>;
    if (value.mode !== 'permissive') {
      const audiences = value.audiences.length
        ? ` for audience ${listInWords(value.audiences)}`
        : '';
      const required = value.mode === 'strict';
      return {
        kind: 'jwt',
        required,
        header: AUTH_HEADER,
        envVar: 'AI_GATEWAY_TOKEN',
        from: sourceOf(jwt),
        summary: `${
          required
            ? 'A JWT is required'
            : 'A JWT is optional (checked when sent)'
        }: a token issued by ${
          value.issuer
        }${audiences}, sent as "${AUTH_HEADER}: Bearer <token>".${
          apiKey
            ? ' An API key is also configured; ask the owner which the gateway expects.'
            : ''
        }`,
      };
    }
  }
  if (apiKey) {
    const value = apiKey.value as NonNullable<Policy['apiKeyAuth']>;
    const required = value.mode === 'strict';
    const where = value.secretRef
      ? `Secret ${value.secretRef.name}`
      : 'the Secrets labelled for it';
    return {
      kind: 'api-key',
      required,
      header: AUTH_HEADER,
      envVar: 'AI_GATEWAY_API_KEY',
      from: sourceOf(apiKey),
      summary: `${
        required
          ? 'An API key is required'
          : 'An API key is optional (checked when sent)'
      }: one of the keys in ${where} in the pool's namespace (ask the project's owner for one), sent as "${AUTH_HEADER}: Bearer <key>".`,
    };
  }
  return {
    kind: 'none',
    summary: jwt
      ? 'No credential is needed: the JWT rule is permissive and never rejects a request.'
      : 'No credential is needed: no policy asks for a JWT or an API key.',
  };
}

const UNIT_NAMES: Record<string, string> = {
  second: 'second',
  minute: 'minute',
  hour: 'hour',
  day: 'day',
};

/**
 * One readable line per section of the effective policy.
 *
 * @public
 */
export function policyInWords(
  sections: EffectiveSection[],
): Array<{ section: string; text: string; from: string }> {
  return sections.map(s => ({
    section: s.section,
    from: sourceOf(s),
    text: sectionInWords(s),
  }));
}

function sectionInWords(s: EffectiveSection): string {
  switch (s.section) {
    case 'jwtAuth':
    case 'apiKeyAuth':
      return authRequirement([s]).summary;
    case 'authorization': {
      const v = s.value as NonNullable<Policy['authorization']>;
      return `${
        v.action === 'allow' ? 'Allowed only when' : 'Denied when'
      } ${v.cel.map(c => `\`${c}\``).join(' or ')}`;
    }
    case 'rateLimit': {
      const v = s.value as NonNullable<Policy['rateLimit']>;
      const unit = UNIT_NAMES[v.unit] ?? v.unit;
      const base =
        v.requests !== undefined
          ? `${v.requests} requests per ${unit}`
          : `${v.tokens} LLM tokens per ${unit}`;
      const models = Object.entries(v.models ?? {});
      const perModel = models.length
        ? `; ${models.map(([m, n]) => `${m}: ${n} per ${unit}`).join(', ')}${
            v.perModel ? ' (each model counted separately)' : ''
          }`
        : '';
      return `Rate limit: ${base}, counted for the whole pool${perModel}`;
    }
    case 'promptGuard': {
      const v = s.value as NonNullable<Policy['promptGuard']>;
      const side = (
        name: string,
        g: NonNullable<NonNullable<Policy['promptGuard']>['request']>,
      ) =>
        `${name} ${
          g.action === 'mask' ? 'masked' : 'rejected'
        } when they contain ${listInWords([
          ...g.builtins,
          ...g.regex.map(r => r.name),
        ])}`;
      return `Prompt guard: ${[
        v.request && side('requests', v.request),
        v.response && side('responses', v.response),
      ]
        .filter(Boolean)
        .join('; ')}`;
    }
    case 'retries': {
      const v = s.value as NonNullable<Policy['retries']>;
      return `Retried up to ${v.attempts} times on ${listInWords(
        v.retryOn.map(String),
      )} (first wait ${v.backoffMs} ms, doubling)`;
    }
    case 'timeouts': {
      const v = s.value as NonNullable<Policy['timeouts']>;
      return `Timeout: ${[
        v.requestSeconds !== undefined &&
          `${v.requestSeconds} s for the whole request`,
        v.backendRequestSeconds !== undefined &&
          `${v.backendRequestSeconds} s per attempt`,
      ]
        .filter(Boolean)
        .join(', ')}`;
    }
    case 'headers': {
      const v = s.value as NonNullable<Policy['headers']>;
      const parts: string[] = [];
      for (const side of ['request', 'response'] as const) {
        const ops = v[side];
        if (!ops) continue;
        const names = [
          ...Object.keys(ops.set ?? {}).map(n => `sets ${n}`),
          ...Object.keys(ops.add ?? {}).map(n => `adds ${n}`),
          ...(ops.remove ?? []).map(n => `removes ${n}`),
        ];
        if (names.length) parts.push(`${side}: ${names.join(', ')}`);
      }
      return `Headers: ${parts.join('; ') || 'none changed'}`;
    }
    default:
      return `${s.section}: ${JSON.stringify(s.value)}`;
  }
}

const hasCredential = (
  auth: AuthRequirement,
): auth is Extract<AuthRequirement, { kind: 'jwt' | 'api-key' }> =>
  auth.kind === 'jwt' || auth.kind === 'api-key';

/** The Authorization header with the credential as an environment variable reference. */
const headerLine = (auth: AuthRequirement, envRef: (name: string) => string) =>
  auth.kind === 'jwt' || auth.kind === 'api-key'
    ? `Bearer ${envRef(auth.envVar)}`
    : undefined;

/** @public */
export type Snippet = {
  id: string;
  title: string;
  language: string;
  code: string;
};

/**
 * How to call an MCP server through the gateway: the gateway speaks
 * Streamable HTTP to clients (whatever the server behind it speaks), so
 * every client config is of type http.
 *
 * @public
 */
export function mcpSnippets(
  name: string,
  url: string,
  auth: AuthRequirement,
): Snippet[] {
  const curlAuth = !hasCredential(auth)
    ? ''
    : `  -H "${AUTH_HEADER}: Bearer $${auth.envVar}" \\\n`;
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1.0' },
    },
  });
  const curl = `curl -sS -X POST '${url}' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Accept: application/json, text/event-stream' \\\n${curlAuth}  -d '${initialize}'`;

  const inputId = 'ai-gateway-token';
  const vscodeHeader = headerLine(auth, () => `\${input:${inputId}}`);
  const vscode = {
    ...(vscodeHeader
      ? {
          inputs: [
            {
              type: 'promptString',
              id: inputId,
              description: `${
                auth.kind === 'jwt' ? 'JWT' : 'API key'
              } for ${name}`,
              password: true,
            },
          ],
        }
      : {}),
    servers: {
      [name]: {
        type: 'http',
        url,
        ...(vscodeHeader ? { headers: { [AUTH_HEADER]: vscodeHeader } } : {}),
      },
    },
  };
  const cursorHeader = headerLine(auth, v => `\${env:${v}}`);
  const cursor = {
    mcpServers: {
      [name]: {
        url,
        ...(cursorHeader ? { headers: { [AUTH_HEADER]: cursorHeader } } : {}),
      },
    },
  };
  const claude = `claude mcp add --transport http ${name} ${url}${
    !hasCredential(auth)
      ? ''
      : ` \\\n  --header "${AUTH_HEADER}: Bearer $${auth.envVar}"`
  }`;
  return [
    { id: 'curl', title: 'curl (initialize)', language: 'bash', code: curl },
    {
      id: 'vscode',
      title: 'VS Code (.vscode/mcp.json)',
      language: 'json',
      code: JSON.stringify(vscode, null, 2),
    },
    {
      id: 'cursor',
      title: 'Cursor (~/.cursor/mcp.json)',
      language: 'json',
      code: JSON.stringify(cursor, null, 2),
    },
    { id: 'claude', title: 'Claude Code', language: 'bash', code: claude },
  ];
}

/**
 * How to call an LLM (ai) backend with OpenAI-compatible clients.
 *
 * @public
 */
export function aiBackendSnippets(
  baseUrl: string,
  model: string,
  auth: AuthRequirement,
): Snippet[] {
  // The OpenAI SDKs always send their api_key as "Authorization: Bearer":
  // the gateway's credential goes there; without one, any non-empty text.
  const keyPy = !hasCredential(auth)
    ? '"unused"'
    : `os.environ["${auth.envVar}"]`;
  const keyTs = !hasCredential(auth)
    ? "'unused'"
    : `process.env.${auth.envVar}`;
  const curlAuth = !hasCredential(auth)
    ? ''
    : `  -H "${AUTH_HEADER}: Bearer $${auth.envVar}" \\\n`;
  const body = JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  return [
    {
      id: 'curl',
      title: 'curl',
      language: 'bash',
      code: `curl -sS '${baseUrl}/chat/completions' \\\n  -H 'Content-Type: application/json' \\\n${curlAuth}  -d '${body}'`,
    },
    {
      id: 'python',
      title: 'Python (openai)',
      language: 'python',
      code: `import os\nfrom openai import OpenAI\n\nclient = OpenAI(\n    base_url="${baseUrl}",\n    api_key=${keyPy},\n)\nreply = client.chat.completions.create(\n    model="${model}",\n    messages=[{"role": "user", "content": "Hello"}],\n)\nprint(reply.choices[0].message.content)`,
    },
    {
      id: 'typescript',
      title: 'TypeScript (openai)',
      language: 'typescript',
      code: `import OpenAI from 'openai';\n\nconst client = new OpenAI({\n  baseURL: '${baseUrl}',\n  apiKey: ${keyTs},\n});\nconst reply = await client.chat.completions.create({\n  model: '${model}',\n  messages: [{ role: 'user', content: 'Hello' }],\n});\nconsole.log(reply.choices[0].message.content);`,
    },
  ];
}

/**
 * The model a snippet asks for: the first exact served model, else the first provider's.
 *
 * @public
 */
export function exampleModel(spec: {
  models?: string[];
  groups?: Array<{ providers: Array<{ model?: string }> }>;
}): string {
  const exact = (spec.models ?? []).find(m => !m.includes('*'));
  if (exact) return exact;
  const upstream = spec.groups?.[0]?.providers.find(p => p.model)?.model;
  return upstream ?? 'MODEL_NAME';
}
