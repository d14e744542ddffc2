import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { aiGatewayApiRef } from '../../api/AiGatewayApi';
import { fakeAiGatewayApi } from '../../testUtils/fakeAiGatewayApi';
import { ConnectCard } from './ConnectCard';
import { McpDefinitionContent } from './McpDefinitionContent';

const entity = (kind: string, name: string, spec: object = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: kind === 'mcpServer' ? 'API' : 'Resource',
  metadata: {
    name,
    annotations: { 'ai-gateway.io/kind': kind, 'ai-gateway.io/pool': 'prod' },
  },
  spec,
});
const object = (kind: string, name: string, spec: any, derived?: object) => ({
  kind,
  name,
  project: 'payments',
  version: 1,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  spec,
  ...(derived ? { derived } : {}),
});
const pool = {
  name: 'prod',
  project: 'payments',
  cluster: { name: 'eks', type: 'eks' },
  namespace: 'aigw',
  domains: {
    baseDomain: 'ai.example.com',
    separator: '.',
    subdomains: { api: 'api', mcp: 'mcp' },
  },
  delivery: { mode: 'agent' },
};
const active = {
  pool: 'prod',
  phase: 'Active',
  phaseSince: '',
  conditions: [],
};
const github = {
  name: 'github',
  project: 'payments',
  pool: 'prod',
  prefix: 'gh',
  transport: 'sse',
  source: { type: 'image', image: 'ghcr.io/github/mcp:1', port: 8080 },
  tools: { allow: ['get_issue'], deny: ['delete_repo'] },
};
const llm = {
  name: 'llm',
  project: 'payments',
  pool: 'prod',
  spec: {
    kind: 'ai',
    models: ['gpt-4o'],
    groups: [
      {
        providers: [
          {
            name: 'openai',
            type: 'openai',
            model: 'gpt-4o',
            weight: 1,
            credentialsSecretRef: { name: 'openai-key', key: 'sk' },
          },
        ],
      },
    ],
  },
};
const policy = (name: string, rest: object) =>
  object('policy', name, {
    name,
    project: 'payments',
    pool: 'prod',
    target: { kind: 'gateway', name: 'prod' },
    ...rest,
  });
const jwtPolicy = policy('sso', {
  jwtAuth: {
    issuer: 'https://sso.example.com',
    audiences: [],
    jwks: { url: 'https://sso.example.com/jwks' },
    mode: 'strict',
  },
  rateLimit: { unit: 'minute', requests: 60, perModel: false },
});
const keyPolicy = policy('keys', {
  target: { kind: 'backend', name: 'llm' },
  apiKeyAuth: { secretRef: { name: 'team-keys' }, mode: 'strict' },
});

const api = (target: any, policies: any[], status: any = active) =>
  fakeAiGatewayApi({
    getObject: async (plural: string) =>
      (plural === 'pools' ? object('pool', 'prod', pool) : target) as any,
    getPoolStatus: async () => status,
    listInPool: async (plural: string) => {
      if (plural !== 'policies') throw new Error(`unexpected ${plural}`);
      return policies;
    },
  });
const render = (children: JSX.Element, apiImpl: any, e: any) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiGatewayApiRef, apiImpl]]}>
      <EntityProvider entity={e}>{children}</EntityProvider>
    </TestApiProvider>,
  );
const codeOf = () => screen.getByTestId('snippet-code').textContent!;

describe('ConnectCard', () => {
  it('shows an MCP server: URL, the JWT it needs with the header, rules in words, tools and IDE snippets', async () => {
    await render(
      <ConnectCard />,
      api(
        object('mcpServer', 'github', github, {
          url: 'https://mcp.ai.example.com/gh/mcp',
        }),
        [jwtPolicy],
      ),
      entity('mcpServer', 'github'),
    );
    expect(await screen.findByTestId('connect-url')).toHaveTextContent(
      'https://mcp.ai.example.com/gh/mcp',
    );
    expect(screen.queryByTestId('connect-not-served')).not.toBeInTheDocument();
    const auth = screen.getByTestId('connect-auth');
    expect(auth).toHaveAttribute('data-auth', 'jwt');
    expect(auth).toHaveTextContent(
      'A JWT is required: a token issued by https://sso.example.com',
    );
    expect(auth).toHaveTextContent(
      'Header: Authorization: Bearer $AI_GATEWAY_TOKEN',
    );
    expect(screen.getByTestId('connect-policy')).toHaveTextContent(
      'Rate limit: 60 requests per minute, counted for the whole pool (policy sso (gateway level))',
    );
    expect(screen.getByTestId('connect-tools')).toHaveTextContent(
      'Allowed: get_issueDenied: delete_repo',
    );
    expect(
      screen.getByText(
        /speaks MCP Streamable HTTP to clients \(the server behind it uses sse\)/,
      ),
    ).toBeInTheDocument();

    // curl first, then each IDE agent in its tab.
    expect(codeOf()).toContain(
      "-H 'Accept: application/json, text/event-stream'",
    );
    expect(codeOf()).toContain('Authorization: Bearer $AI_GATEWAY_TOKEN');
    fireEvent.click(
      screen.getByRole('tab', { name: 'VS Code (.vscode/mcp.json)' }),
    );
    expect(JSON.parse(codeOf()).servers.github).toEqual({
      type: 'http',
      url: 'https://mcp.ai.example.com/gh/mcp',
      headers: { Authorization: 'Bearer ${input:ai-gateway-token}' },
    });
    fireEvent.click(
      screen.getByRole('tab', { name: 'Cursor (~/.cursor/mcp.json)' }),
    );
    expect(JSON.parse(codeOf()).mcpServers.github.url).toBe(
      'https://mcp.ai.example.com/gh/mcp',
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Claude Code' }));
    expect(codeOf()).toMatch(/^claude mcp add --transport http github /);
    // The tab panel is labelled by its tab; the copy button names what it copies.
    expect(
      screen.getByRole('tabpanel', { name: 'Claude Code' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy Claude Code' }),
    ).toBeInTheDocument();
  });

  it('shows an AI backend: OpenAI-compatible base URL, the API key as a variable and SDK calls, no secret', async () => {
    await render(
      <ConnectCard />,
      api(object('aiBackend', 'llm', llm), [keyPolicy]),
      entity('aiBackend', 'llm'),
    );
    expect(await screen.findByTestId('connect-url')).toHaveTextContent(
      'https://api.ai.example.com/llm/v1',
    );
    expect(screen.getByTestId('connect-auth')).toHaveAttribute(
      'data-auth',
      'api-key',
    );
    expect(screen.getByTestId('connect-auth')).toHaveTextContent(
      'one of the keys in Secret team-keys',
    );
    expect(
      screen.getByText(/routed by name at https:\/\/api\.ai\.example\.com\/v1/),
    ).toBeInTheDocument();
    expect(codeOf()).toContain(
      "'https://api.ai.example.com/llm/v1/chat/completions'",
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Python (openai)' }));
    expect(codeOf()).toContain('base_url="https://api.ai.example.com/llm/v1"');
    expect(codeOf()).toContain('api_key=os.environ["AI_GATEWAY_API_KEY"]');
    expect(codeOf()).toContain('model="gpt-4o"');
    fireEvent.click(screen.getByRole('tab', { name: 'TypeScript (openai)' }));
    expect(codeOf()).toContain('apiKey: process.env.AI_GATEWAY_API_KEY');
    // The provider's Secret (name or key) is the gateway's business, not the client's.
    const card = screen.getByTestId('connect-card');
    expect(card).not.toHaveTextContent('openai-key');
    expect(card).not.toHaveTextContent(/\bsk\b/);
    expect(screen.queryByTestId('connect-tools')).not.toBeInTheDocument();
  });

  it('says no credential is needed, and that calls fail while the pool is not served', async () => {
    await render(
      <ConnectCard />,
      api(object('aiBackend', 'llm', llm), [], {
        ...active,
        phase: 'Pending',
      }),
      entity('aiBackend', 'llm'),
    );
    expect(await screen.findByTestId('connect-auth')).toHaveAttribute(
      'data-auth',
      'none',
    );
    expect(screen.getByTestId('connect-policy')).toHaveTextContent(
      'No policy applies here.',
    );
    expect(codeOf()).not.toContain('Authorization');
    expect(screen.getByTestId('connect-not-served')).toHaveTextContent(
      'Calls fail until it is served: AI backend llm is registered; it is served once pool prod is applied. Now Pending',
    );
  });
});

describe('ConnectCard without the policies', () => {
  it('still gives the URL and snippets, and says the authentication is unknown', async () => {
    await render(
      <ConnectCard />,
      fakeAiGatewayApi({
        getObject: async (plural: string) =>
          (plural === 'pools'
            ? object('pool', 'prod', pool)
            : object('mcpServer', 'github', github, {
                url: 'https://mcp.ai.example.com/gh/mcp',
              })) as any,
        getPoolStatus: async () => active as any,
        listInPool: async () => {
          throw new Error('403 Forbidden');
        },
      }),
      entity('mcpServer', 'github'),
    );
    expect(await screen.findByTestId('connect-auth')).toHaveAttribute(
      'data-auth',
      'unknown',
    );
    expect(screen.getByTestId('connect-auth')).toHaveTextContent(
      'Unknown: the policies of pool prod could not be read',
    );
    expect(screen.queryByTestId('connect-policy')).not.toBeInTheDocument();
    expect(codeOf()).toContain("'https://mcp.ai.example.com/gh/mcp'");
    expect(codeOf()).not.toContain('Authorization');
  });
});

describe('McpDefinitionContent', () => {
  const definition = JSON.stringify(
    {
      url: 'https://mcp.ai.example.com/gh/mcp',
      transport: 'sse',
      clientTransport: 'streamable-http',
      pool: 'prod',
      tools: { allow: ['get_issue'], deny: [] },
    },
    null,
    2,
  );

  it('reads the definition in words with the live auth, and shows it raw', async () => {
    await render(
      <McpDefinitionContent />,
      api(undefined, [jwtPolicy]),
      entity('mcpServer', 'github', { type: 'mcp-server', definition }),
    );
    const readable = screen.getByTestId('definition-readable');
    expect(within(readable).getByTestId('definition-url')).toHaveTextContent(
      'https://mcp.ai.example.com/gh/mcp',
    );
    expect(readable).toHaveTextContent('MCP Streamable HTTP');
    expect(readable).toHaveTextContent('get_issue');
    expect(readable).toHaveTextContent('Denied toolsnone');
    expect(await screen.findByTestId('definition-auth')).toHaveTextContent(
      'A JWT is required: a token issued by https://sso.example.com',
    );
    expect(readable).toHaveTextContent('Rate limit: 60 requests per minute');
    expect(screen.getByTestId('definition-raw').textContent).toBe(definition);
  });

  it('shows a definition that is not JSON as it is', async () => {
    await render(
      <McpDefinitionContent />,
      api(undefined, []),
      entity('mcpServer', 'github', { definition: 'see remotes' }),
    );
    expect(screen.getByTestId('definition-readable')).toHaveTextContent(
      'not a JSON document',
    );
    expect(screen.getByTestId('definition-raw')).toHaveTextContent(
      'see remotes',
    );
  });
});
