import { TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { stringify as toYaml } from 'yaml';
import {
  McpRegistryTestServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

/**
 * The MCP registries users deploy from, through the real backend against a
 * registry on 127.0.0.1 that speaks the official API.
 */
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const weather = {
  name: 'io.github.example/weather',
  title: 'Weather',
  description: 'Forecasts for any city.',
  version: '1.4.0',
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://weather.example.com/mcp',
      headers: [
        {
          name: 'Authorization',
          description: 'Bearer token',
          isRequired: true,
          isSecret: true,
        },
      ],
    },
  ],
};

const ociServer = {
  name: 'io.github.example/tickets',
  description: 'Reads and files tickets in the issue tracker.',
  version: '0.9.1',
  packages: [
    {
      registryType: 'oci',
      identifier: 'ghcr.io/example/tickets-mcp:0.9.1',
      transport: { type: 'streamable-http', url: 'http://localhost:3001/mcp' },
      environmentVariables: [
        { name: 'TRACKER_URL', default: 'https://tracker.example.com' },
        { name: 'LOG_LEVEL', description: 'Log level' },
        { name: 'TRACKER_TOKEN', isRequired: true, isSecret: true },
        { name: 'WEBHOOK_SECRET', isSecret: true },
      ],
    },
  ],
};

const stdioServer = {
  name: 'io.github.example/local-files',
  description: 'Reads files on the local disk.',
  version: '1.0.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@example/files-mcp',
      version: '1.0.0',
      transport: { type: 'stdio' },
    },
  ],
};

/** An API entity of the catalog defined by `definition`. */
const apiEntity = (
  name: string,
  type: string,
  definition: string,
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, lifecycle: 'production', owner: 'team-payments', definition },
});

const catalogEntities = [
  apiEntity('weather', 'mcp-server', JSON.stringify(weather)),
  apiEntity('tickets', 'mcp-server', toYaml(ociServer)),
  // A deployment the suite itself put in the catalog: not an entry.
  apiEntity('github', 'mcp-server', '{"name":"github","url":"https://x"}', {
    'ai-gateway.io/kind': 'mcpServer',
  }),
  apiEntity('notes', 'mcp-server', 'tools: [read_notes]'),
  apiEntity('petstore', 'openapi', JSON.stringify(stdioServer)),
];

describe('MCP registry source routes', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let registry: McpRegistryTestServer;

  beforeAll(async () => {
    registry = await McpRegistryTestServer.start([
      weather,
      ociServer,
      stdioServer,
      // Not a server.json: no description, a name without "/".
      { name: 'broken', version: '1' },
    ]);
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [catalogServiceMock.factory({ entities: catalogEntities })],
      config: {
        aiGateway: {
          mcpRegistry: {
            sources: [
              {
                name: 'company',
                url: `${registry.url}/`,
                headers: { Authorization: 'Bearer registry-token' },
                timeoutSeconds: 1,
              },
              { name: 'nowhere', url: 'http://127.0.0.1:1' },
            ],
          },
        },
      },
    });
  });

  afterAll(async () => {
    await t.backend.stop();
    await registry.stop();
  });

  beforeEach(() => {
    registry.fault = undefined;
  });

  it('lists the configured sources without their headers', async () => {
    const res = await t.api('payments').get('/mcp-registry/sources');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sources: [
        { name: 'company', url: registry.url },
        { name: 'nowhere', url: 'http://127.0.0.1:1' },
        {
          name: 'catalog',
          url: 'catalog:API?type=mcp-server',
          title:
            'Software catalog (API entities of type mcp-server defined by a server.json)',
        },
      ],
    });
  });

  it("lists the catalog's API entities defined by a server.json, in JSON or YAML", async () => {
    const res = await t
      .api('payments')
      .get('/mcp-registry/sources/catalog/servers');
    expect(res.status).toBe(200);
    // notes is no server.json; github is the suite's own; petstore no mcp-server.
    expect(res.body.invalid).toBe(1);
    expect(res.body.servers.map((e: any) => [e.server.name, e.kind])).toEqual([
      ['io.github.example/tickets', 'package'],
      ['io.github.example/weather', 'remote'],
    ]);
    expect(res.body.servers[1]).toMatchObject({
      server: weather,
      importable: true,
      secrets: [expect.objectContaining({ name: 'Authorization' })],
    });

    const search = await t
      .api('payments')
      .get('/mcp-registry/sources/catalog/servers?search=WEATH&limit=1');
    expect(search.body.servers.map((e: any) => e.server.name)).toEqual([
      'io.github.example/weather',
    ]);
    const first = await t
      .api('payments')
      .get('/mcp-registry/sources/catalog/servers?limit=1');
    expect(first.body.nextCursor).toBe('1');
    const second = await t
      .api('payments')
      .get('/mcp-registry/sources/catalog/servers?limit=1&cursor=1');
    expect(second.body.servers.map((e: any) => e.server.name)).toEqual([
      'io.github.example/weather',
    ]);
    expect(second.body.nextCursor).toBeUndefined();
    const bad = await t
      .api('payments')
      .get('/mcp-registry/sources/catalog/servers?cursor=x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("cursor 'x'");
  });

  it('lists the latest entries, importable or with the reason, dropping invalid ones', async () => {
    const res = await t
      .api('payments')
      .get('/mcp-registry/sources/company/servers');
    expect(res.status).toBe(200);
    expect(res.body.invalid).toBe(1);
    expect(res.body.nextCursor).toBeUndefined();
    const byName = Object.fromEntries(
      res.body.servers.map((e: any) => [e.server.name, e]),
    );
    expect(Object.keys(byName)).toEqual([
      'io.github.example/local-files',
      'io.github.example/tickets',
      'io.github.example/weather',
    ]);
    expect(byName['io.github.example/weather']).toEqual({
      server: weather,
      importable: true,
      kind: 'remote',
      secrets: [
        {
          name: 'Authorization',
          in: 'header',
          description: 'Bearer token',
          required: true,
        },
      ],
      values: [],
    });
    expect(byName['io.github.example/tickets']).toMatchObject({
      importable: true,
      kind: 'package',
      secrets: [
        expect.objectContaining({ name: 'TRACKER_TOKEN', required: true }),
        expect.objectContaining({ name: 'WEBHOOK_SECRET', required: false }),
      ],
      values: [expect.objectContaining({ name: 'LOG_LEVEL', required: false })],
    });
    expect(byName['io.github.example/local-files'].importable).toBe(false);
    expect(byName['io.github.example/local-files'].reason).toMatch(
      /serverJson\.packages\[0\]\.registryType is npm/,
    );
    // The registry is asked for latest versions, with the source's headers.
    const last = registry.requests[registry.requests.length - 1];
    expect(last.url).toContain('version=latest');
    expect(last.headers.authorization).toBe('Bearer registry-token');
  });

  it('passes search, limit and the cursor to the registry', async () => {
    const first = await t
      .api('payments')
      .get('/mcp-registry/sources/company/servers?search=example&limit=2');
    expect(first.body.servers.map((e: any) => e.server.name)).toEqual([
      'io.github.example/local-files',
      'io.github.example/tickets',
    ]);
    expect(first.body.nextCursor).toBe('io.github.example/tickets');
    const second = await t
      .api('payments')
      .get(
        `/mcp-registry/sources/company/servers?search=example&limit=2&cursor=${encodeURIComponent(
          first.body.nextCursor,
        )}`,
      );
    expect(second.body.servers.map((e: any) => e.server.name)).toEqual([
      'io.github.example/weather',
    ]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('is 404 naming an unknown source', async () => {
    const res = await t
      .api('payments')
      .get('/mcp-registry/sources/nope/servers');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("'nope'");
    expect(res.body.error.message).toContain('company, nowhere, catalog');
  });

  it('is 503 naming the URL when the registry cannot be reached or answers badly', async () => {
    const unreachable = await t
      .api('payments')
      .get('/mcp-registry/sources/nowhere/servers');
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.error.message).toContain('http://127.0.0.1:1');

    for (const fault of [
      { status: 500 },
      { notJson: true as const },
      { body: { items: [] } },
      { delayMs: 1500 },
    ]) {
      registry.fault = fault;
      const res = await t
        .api('payments')
        .get('/mcp-registry/sources/company/servers');
      expect({ fault, status: res.status }).toEqual({ fault, status: 503 });
      expect(res.body.error.message).toContain(registry.url);
    }
    registry.fault = { delayMs: 1500 };
    const slow = await t
      .api('payments')
      .get('/mcp-registry/sources/company/servers');
    expect(slow.body.error.message).toContain('did not answer within 1 s');
  });

  it('refuses a limit over 100, naming it', async () => {
    const res = await t
      .api('payments')
      .get('/mcp-registry/sources/company/servers?limit=101');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('limit');
  });
});
