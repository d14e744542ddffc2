import type { AddressInfo } from 'node:net';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
  testUsers,
  type TestUser,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/* eslint-disable @typescript-eslint/no-require-imports */
// Required, not imported: Jest runs CommonJS, and the portal's backend
// (packages/backend) is what depends on these two packages.
const { actionsRegistryServiceFactory, actionsServiceFactory } =
  require('@backstage/backend-defaults/alpha') as typeof import('@backstage/backend-defaults/alpha');
const mcpActionsPlugin = (
  require('@backstage/plugin-mcp-actions-backend') as typeof import('@backstage/plugin-mcp-actions-backend')
).default;
/* eslint-enable @typescript-eslint/no-require-imports */

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: any;
};

/**
 * The whole path an agent takes: an MCP client, the mcp-actions backend, the
 * actions service and registry (real, over HTTP), and the ai-gateway plugin.
 */
describe('the AI Gateway actions as MCP tools', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let url: URL;
  const clients: Client[] = [];

  const connect = async (user: TestUser) => {
    const client = new Client({ name: 'ai-gateway-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: {
          headers: {
            Authorization: `Bearer ${mockCredentials.user.token(
              testUsers[user].ref,
            )}`,
          },
        },
      }),
    );
    clients.push(client);
    return client;
  };

  const call = async (
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ) =>
    (await client.callTool({
      name: `ai-gateway.${name}`,
      arguments: args,
    })) as ToolResult;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
      ],
      config: {
        backend: { actions: { pluginSources: ['ai-gateway'] } },
        mcpActions: { name: 'AI Gateway' },
      },
    });
    const { port } = t.backend.server.address() as AddressInfo;
    url = new URL(`http://localhost:${port}/api/mcp-actions/v1`);
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await t?.backend.stop();
  });

  it('lists the tools with their annotations', async () => {
    const client = await connect('payments');
    expect(client.getServerVersion()?.name).toBe('AI Gateway');
    const { tools } = await client.listTools();
    const annotations = Object.fromEntries(
      tools.map(tool => [
        tool.name,
        [
          tool.annotations?.readOnlyHint,
          tool.annotations?.destructiveHint,
          tool.annotations?.idempotentHint,
        ],
      ]),
    );
    expect(annotations).toEqual({
      'ai-gateway.list-pools': [true, false, true],
      'ai-gateway.describe-pool': [true, false, true],
      'ai-gateway.get-pool-manifests': [true, false, true],
      'ai-gateway.deploy-mcp-server': [false, false, false],
      'ai-gateway.register-ai-backend': [false, false, false],
      'ai-gateway.attach-policy': [false, false, false],
      'ai-gateway.set-budget': [false, false, true],
    });
    const deploy = tools.find(
      tool => tool.name === 'ai-gateway.deploy-mcp-server',
    );
    expect(Object.keys(deploy?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'project', 'pool', 'prefix', 'source']),
    );
  });

  it('lists pools and deploys an MCP server as the REST API would', async () => {
    const client = await connect('payments');

    const pools = await call(client, 'list-pools', {});
    expect(pools.isError).toBeFalsy();
    const fleet = await t.api('payments').get('/fleet');
    expect(
      pools.structuredContent.pools.map((p: any) => [p.name, p.phase]),
    ).toEqual(fleet.body.items.map((p: any) => [p.pool, p.phase]));
    expect(JSON.parse(pools.content[0].text!)).toEqual(pools.structuredContent);

    const deployed = await call(
      client,
      'deploy-mcp-server',
      anMcpServer('github', 'payments', 'prod'),
    );
    expect(deployed.isError).toBeFalsy();
    const rest = await t.api('payments').get('/mcp-servers/github');
    expect(rest.body.createdBy).toBe(testUsers.payments.ref);
    expect(deployed.structuredContent).toMatchObject({
      name: 'github',
      pool: 'prod',
      url: rest.body.derived.url,
      served: false,
      poolPhase: 'Pending',
    });

    const again = await call(
      client,
      'deploy-mcp-server',
      anMcpServer('github', 'payments', 'prod'),
    );
    expect(again.isError).toBe(true);
    expect(again.content[0].text).toBe(
      "ConflictError: MCP server 'github' already exists",
    );

    const invalid = await call(client, 'deploy-mcp-server', {
      ...anMcpServer('broken', 'payments', 'prod'),
      prefix: 'Not A Label',
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.content[0].text).toMatch(
      /^InputError: Invalid MCP server: prefix: /,
    );
  });

  it('refuses a user without permission as the REST API does', async () => {
    const client = await connect('outsider');
    const pools = await call(client, 'list-pools', {});
    expect(pools.structuredContent).toEqual({ pools: [] });

    const denied = await call(
      client,
      'deploy-mcp-server',
      anMcpServer('intruder', 'payments', 'prod'),
    );
    const rest = await t
      .api('outsider')
      .post('/mcp-servers', anMcpServer('intruder', 'payments', 'prod'));
    expect(rest.status).toBe(403);
    expect(denied.isError).toBe(true);
    expect(denied.content[0].text).toBe(
      `NotAllowedError: ${rest.body.error.message}`,
    );
    expect((await t.api('admin').get('/mcp-servers/intruder')).status).toBe(
      404,
    );
  });

  it('offers the destructive tools only to holders of ai-gateway.actions.destructive', async () => {
    const destructive = [
      'ai-gateway.remove-mcp-server',
      'ai-gateway.remove-ai-backend',
      'ai-gateway.detach-policy',
    ];
    const admin = await connect('admin');
    const adminTools = (await admin.listTools()).tools;
    expect(
      adminTools
        .filter(tool => tool.annotations?.destructiveHint)
        .map(tool => [tool.name, tool.annotations?.idempotentHint]),
    ).toEqual(destructive.map(name => [name, true]));

    // The project's own team may delete from the portal, but its agents are
    // neither offered nor allowed the destructive tools by default.
    await t
      .api('payments')
      .create('/mcp-servers', anMcpServer('scratch', 'payments', 'prod'));
    const member = await connect('payments');
    const memberTools = (await member.listTools()).tools.map(tool => tool.name);
    expect(memberTools).toContain('ai-gateway.deploy-mcp-server');
    expect(memberTools.filter(name => destructive.includes(name))).toEqual([]);
    const refused = await call(member, 'remove-mcp-server', {
      name: 'scratch',
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toMatch(/NotFoundError: .*not found/);
    expect((await t.api('payments').get('/mcp-servers/scratch')).status).toBe(
      200,
    );

    const removed = await call(admin, 'remove-mcp-server', { name: 'scratch' });
    expect(removed.isError).toBeFalsy();
    expect(removed.structuredContent).toMatchObject({
      name: 'scratch',
      pool: 'prod',
      removed: [{ kind: 'mcpServer', name: 'scratch' }],
      applied: false,
      poolPhase: 'Pending',
    });
    expect(removed.structuredContent.state).toMatch(
      /^MCP server scratch is deleted; pool prod stops serving it once the change is applied\./,
    );
    expect((await t.api('payments').get('/mcp-servers/scratch')).status).toBe(
      404,
    );
    // The team reads who deleted its server, though it is gone.
    const events = await t.api('payments').get('/mcp-servers/scratch/events');
    expect(
      events.body.items.map((e: any) => [e.action, e.actor]),
    ).toContainEqual(['deleted', testUsers.admin.ref]);

    const again = await call(admin, 'remove-mcp-server', { name: 'scratch' });
    expect(again.isError).toBe(true);
    expect(again.content[0].text).toMatch(/^NotFoundError: /);
  });

  it('refuses a caller without a token', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {},
      }),
    });
    expect(response.status).toBe(401);
  });
});
