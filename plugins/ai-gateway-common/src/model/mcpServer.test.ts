import { mcpServerSchema } from './mcpServer';
import { issuesOf, validMcpServer } from './testFixtures';

const issues = (patch: object) =>
  issuesOf(mcpServerSchema, { ...validMcpServer, ...patch });
const image = validMcpServer.source;

describe('mcpServerSchema', () => {
  it('applies defaults and round-trips', () => {
    const server = mcpServerSchema.parse(validMcpServer);
    expect(server).toEqual({
      ...validMcpServer,
      source: { ...image, port: 8080, replicas: 1 },
      transport: 'streamable-http',
      tools: { allow: ['get_issue'], deny: [] },
    });
    expect(mcpServerSchema.parse(JSON.parse(JSON.stringify(server)))).toEqual(
      server,
    );
  });

  it('accepts a remote server with an auth reference', () => {
    const remote = {
      type: 'remote',
      url: 'https://mcp.example.com/sse',
      authSecretRef: { name: 'jira', key: 'token' },
    };
    expect(issues({ source: remote, transport: 'sse' })).toEqual([]);
    expect(
      issues({ source: { type: 'remote', url: 'ftp://mcp.example.com' } }),
    ).toEqual([
      {
        field: 'source.url',
        message:
          'must be an http:// or https:// URL such as https://example.com',
      },
    ]);
    expect(issues({ source: { type: 'remote' } })).toEqual([
      { field: 'source.url', message: 'is required' },
    ]);
  });

  it('names the source types', () => {
    expect(issues({ source: { type: 'helm' } })).toEqual([
      { field: 'source.type', message: 'must be one of: image, remote' },
    ]);
  });

  it('refuses a tool that is both allowed and denied', () => {
    expect(issues({ tools: { allow: ['a', 'b'], deny: ['c', 'b'] } })).toEqual([
      {
        field: 'tools.deny[1]',
        message: "tool 'b' is both allowed and denied",
      },
    ]);
  });

  it('keeps secrets out of env and names each secret variable once', () => {
    expect(
      issues({
        source: {
          ...image,
          env: { TOKEN: 'x' },
          secretEnv: [{ name: 'TOKEN', secretRef: { name: 's', key: 'k' } }],
        },
      }),
    ).toEqual([
      {
        field: 'source.secretEnv[0].name',
        message: 'TOKEN is set both in env and in secretEnv',
      },
    ]);
    const ref = { name: 's', key: 'k' };
    expect(
      issues({
        source: {
          ...image,
          env: {},
          secretEnv: [
            { name: 'A', secretRef: ref },
            { name: 'A', secretRef: ref },
          ],
        },
      }),
    ).toEqual([
      {
        field: 'source.secretEnv[1].name',
        message: 'A is set twice in secretEnv',
      },
    ]);
    // A secret value instead of a reference is refused.
    expect(
      issues({
        source: { ...image, secretEnv: [{ name: 'A', value: 'sk-123' }] },
      }),
    ).toEqual([
      { field: 'source.secretEnv[0].secretRef', message: 'is required' },
      { field: 'source.secretEnv[0].value', message: 'is not a known field' },
    ]);
  });

  it('refuses env values that look like secrets, naming the variable, never the value', () => {
    const token = `ghp_${'A1b2'.repeat(9)}`;
    const found = issues({
      source: {
        ...image,
        env: {
          GITHUB_HOST: 'github.com',
          UPSTREAM: token,
          DB_PASSWORD: 'Zq8vN2pL7xR4tK9m',
        },
      },
    });
    expect(found).toEqual([
      {
        field: 'source.env.UPSTREAM',
        message:
          'looks like a GitHub token; secret values are never accepted in plain text (they would be stored and rendered in the clear): put it in a Kubernetes Secret and reference it in secretEnv: [{ name: UPSTREAM, secretRef: { name, key } }]',
      },
      {
        field: 'source.env.DB_PASSWORD',
        message: expect.stringContaining(
          'looks like a generated secret in a field named like one (DB_PASSWORD)',
        ),
      },
    ]);
    expect(JSON.stringify(found)).not.toMatch(/A1b2A1b2|Zq8vN2pL7xR4tK9m/);
  });

  it('reaches a remote server by URL without credentials or a query', () => {
    const remote = (url: string) => ({ source: { type: 'remote', url } });
    const withPassword = issues(
      remote('https://bot:s3cr3t-pw@mcp.example.com/mcp'),
    );
    expect(withPassword).toEqual([
      {
        field: 'source.url',
        message: expect.stringContaining('reference it in authSecretRef'),
      },
    ]);
    expect(JSON.stringify(withPassword)).not.toContain('s3cr3t');
    expect(issues(remote('https://mcp.example.com/mcp?token=abc'))).toEqual([
      {
        field: 'source.url',
        message: expect.stringContaining('must not have a query or fragment'),
      },
    ]);
  });

  it('checks names, ports, replicas and resources', () => {
    expect(issues({ prefix: 'Git Hub' })[0].field).toBe('prefix');
    expect(issues({ source: { ...image, port: 0, replicas: 51 } })).toEqual([
      { field: 'source.port', message: 'must be at least 1' },
      { field: 'source.replicas', message: 'must be at most 50' },
    ]);
    expect(issues({ source: { ...image, env: { 'bad-name': 'x' } } })).toEqual([
      {
        field: 'source.env["bad-name"]',
        message:
          'is not a valid key: it must be an environment variable name such as API_URL',
      },
    ]);
    expect(
      issues({
        source: {
          ...image,
          resources: {
            requests: { memory: '1Gi' },
            limits: { memory: '256Mi' },
          },
        },
      }),
    ).toEqual([
      {
        field: 'source.resources.limits.memory',
        message: 'limits.memory (256Mi) must be at least requests.memory (1Gi)',
      },
    ]);
    expect(issues({ transport: 'websocket' })).toEqual([
      { field: 'transport', message: 'must be one of: streamable-http, sse' },
    ]);
  });
});
