import { TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  aPool,
  aProject,
  McpRegistryTestServer,
  startAiGatewayTestBackend,
  testUsers,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { actionContext, clientFor } from '../__testUtils__/actionTestUtils';
import { AiGatewayClient } from '../AiGatewayClient';
import { importMcpServerAction, secretRefsByName } from './importMcpServer';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const bob = testUsers.payments.ref;
const carol = testUsers.research.ref;

const weather = {
  name: 'io.github.example/weather',
  description: 'Forecasts for any city.',
  version: '1.4.0',
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://weather.example.com/mcp',
      headers: [{ name: 'Authorization', isRequired: true, isSecret: true }],
    },
  ],
};

const tickets = {
  name: 'io.github.example/tickets',
  description: 'Files tickets.',
  version: '0.9.1',
  packages: [
    {
      registryType: 'oci',
      identifier: 'ghcr.io/example/tickets-mcp:0.9.1',
      transport: { type: 'streamable-http', url: 'http://localhost:3001/mcp' },
      environmentVariables: [
        { name: 'TRACKER_URL', default: 'https://tracker.example.com' },
        { name: 'TRACKER_TOKEN', isRequired: true, isSecret: true },
      ],
    },
  ],
};

const localFiles = {
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

// An entry kept in the software catalog: an API entity defined by a server.json.
const docsSearchEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'docs-search-mcp', namespace: 'default' },
  spec: {
    type: 'mcp-server',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
    definition: JSON.stringify({
      name: 'io.example.docs/search',
      description: 'Searches the engineering handbook.',
      version: '2.1.0',
      remotes: [
        { type: 'streamable-http', url: 'https://docs-mcp.example.com/mcp' },
      ],
    }),
  },
};

describe('ai-gateway:mcp-server:import', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let registry: McpRegistryTestServer;
  let client: AiGatewayClient;

  beforeAll(async () => {
    registry = await McpRegistryTestServer.start([
      weather,
      tickets,
      localFiles,
    ]);
  });
  afterAll(async () => {
    await registry.stop();
  });

  beforeEach(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [catalogServiceMock.factory({ entities: [docsSearchEntity] })],
      config: {
        aiGateway: {
          mcpRegistry: { sources: [{ name: 'company', url: registry.url }] },
        },
      },
    });
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t
      .api('admin')
      .create('/projects', aProject('research', 'group:default/team-research'));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
    client = clientFor(t.backend.server);
  });

  afterEach(async () => {
    await t.backend.stop();
  });

  const run = async (
    input: Record<string, unknown>,
    options: { userRef?: string; isDryRun?: boolean } = {},
  ) => {
    const context = actionContext({
      input: { project: 'payments', pool: 'prod', wait: false, ...input },
      userRef: options.userRef ?? bob,
      isDryRun: options.isDryRun,
    });
    await importMcpServerAction({ client, pollMs: 50 }).handler(
      context.ctx as any,
    );
    return context;
  };
  const mcpServerNames = async () =>
    (await t.api('admin').get('/mcp-servers')).body.items.map(
      (s: { name: string }) => s.name,
    );

  it('deploys an entry of a source, with the secret refs of the form, after a dry run that creates nothing', async () => {
    const input = {
      source: 'company',
      serverName: 'io.github.example/weather',
      secretRefs: [
        {
          variable: 'Authorization',
          secretRef: { name: 'weather', key: 'token' },
        },
      ],
    };
    const dry = await run(input, { isDryRun: true });
    expect(dry.outputs).toMatchObject({
      name: 'weather',
      url: expect.stringMatching(/^https:\/\/.+\/weather\/mcp$/),
      served: false,
      state: expect.stringMatching(/^Dry run: MCP server weather would be/),
    });
    expect(await mcpServerNames()).toEqual([]);

    const { outputs, logs } = await run(input);
    expect(outputs).toMatchObject({
      name: 'weather',
      entityRef: 'api:default/weather',
      poolEntityRef: 'resource:default/prod',
      serverName: 'io.github.example/weather',
      version: '1.4.0',
      served: false,
      poolPhase: 'Pending',
    });
    expect(logs.some(l => l.includes('io.github.example/weather@1.4.0'))).toBe(
      true,
    );
    const stored = (await t.api('admin').get('/mcp-servers/weather')).body;
    expect(stored).toMatchObject({
      createdBy: bob,
      spec: {
        prefix: 'weather',
        transport: 'streamable-http',
        source: {
          type: 'remote',
          url: 'https://weather.example.com/mcp',
          authSecretRef: { name: 'weather', key: 'token' },
        },
      },
    });

    // A retried task carries on instead of failing on its own object.
    const again = await run(input);
    expect(again.outputs.name).toBe('weather');
    expect(
      again.logs.some(l => l.includes('created by an earlier attempt')),
    ).toBe(true);
  });

  it("deploys an entry kept in the catalog, which the gateway's own registry then lists with its gateway URL", async () => {
    const { outputs } = await run({
      source: 'catalog',
      serverName: 'io.example.docs/search',
    });
    expect(outputs).toMatchObject({
      name: 'search',
      serverName: 'io.example.docs/search',
      version: '2.1.0',
    });
    expect(
      (await t.api('payments').get('/mcp-servers/search')).body.spec.source,
    ).toEqual({ type: 'remote', url: 'https://docs-mcp.example.com/mcp' });

    const listed = await t
      .api('payments')
      .get('/v0.1/servers?search=search&version=latest');
    expect(listed.status).toBe(200);
    expect(
      listed.body.servers.map((e: any) => [e.server.name, e.server.remotes]),
    ).toEqual([
      [
        'io.backstage.ai-gateway/search',
        [{ type: 'streamable-http', url: outputs.url }],
      ],
    ]);
  });

  it('deploys a server.json given directly, with secret refs by name and values', async () => {
    const { outputs } = await run({
      serverJson: tickets,
      name: 'tracker',
      secretRefs: { TRACKER_TOKEN: { name: 'tracker', key: 'token' } },
      values: { TRACKER_URL: 'https://tracker.internal' },
    });
    expect(outputs).toMatchObject({ name: 'tracker', version: '0.9.1' });
    expect(
      (await t.api('admin').get('/mcp-servers/tracker')).body.spec.source,
    ).toEqual({
      type: 'image',
      image: 'ghcr.io/example/tickets-mcp:0.9.1',
      port: 3001,
      replicas: 1,
      env: { TRACKER_URL: 'https://tracker.internal' },
      secretEnv: [
        { name: 'TRACKER_TOKEN', secretRef: { name: 'tracker', key: 'token' } },
      ],
    });
  });

  it('names the field at fault and creates nothing', async () => {
    await expect(
      run({ source: 'company', serverName: 'io.github.example/weather' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      issues: [expect.objectContaining({ field: 'secretRefs.Authorization' })],
    });
    await expect(
      run({ source: 'company', serverName: 'io.github.example/nope' }),
    ).rejects.toMatchObject({
      issues: [
        {
          field: 'serverName',
          message: expect.stringContaining('is not an entry'),
        },
      ],
    });
    await expect(
      run({ source: 'company', serverName: 'io.github.example/local-files' }),
    ).rejects.toThrow(/cannot be deployed: .*registryType is npm/);
    await expect(run({})).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'serverName' })],
    });
    await expect(
      run({ source: 'company', serverName: 'x/y', serverJson: weather }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'serverJson' })],
    });
    await expect(run({ source: 'other', serverName: 'x/y' })).rejects.toThrow(
      /No MCP registry source 'other'/,
    );
    expect(await mcpServerNames()).toEqual([]);
  });

  it('fails for a user who may not deploy to the pool, creating nothing', async () => {
    await expect(
      run(
        {
          serverJson: weather,
          secretRefs: { Authorization: { name: 'weather', key: 'token' } },
        },
        { userRef: carol },
      ),
    ).rejects.toThrow();
    expect(await mcpServerNames()).toEqual([]);
  });
});

describe('secretRefsByName', () => {
  it('takes an object by name or the list a form gives, naming duplicates', () => {
    const ref = { name: 's', key: 'k' };
    expect(secretRefsByName({ A: ref })).toEqual({
      refs: { A: ref },
      issues: [],
    });
    expect(
      secretRefsByName([
        { variable: 'A', secretRef: ref },
        { variable: 'A', secretRef: ref },
        { secretRef: ref },
      ]),
    ).toEqual({
      refs: { A: ref },
      issues: [
        { field: 'secretRefs[1].variable', message: 'is A a second time' },
        {
          field: 'secretRefs[2].variable',
          message: 'is required: the name of the variable or header',
        },
      ],
    });
  });
});
