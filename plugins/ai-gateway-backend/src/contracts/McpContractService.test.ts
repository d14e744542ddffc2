import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AiGatewayStore } from '../database/AiGatewayStore';
import { ResourceService, type Caller } from '../service/ResourceService';
import type { McpContractReader } from './McpContractReader';
import { McpContractService } from './McpContractService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The scheduled drift check's credentials: a pool's configured gateway
 * Authorization goes to that pool's gateway and nowhere else.
 */
describe('McpContractService scheduled check', () => {
  async function setUp(connectVia: 'target' | 'gateway') {
    const knex = await databases.init('SQLITE_3');
    const store = await AiGatewayStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const auditor = mockServices.auditor.mock({
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    });
    const resources = new ResourceService({
      store,
      permissions: mockServices.permissions(),
      auditor,
    });
    const caller: Caller = {
      credentials: mockCredentials.user('user:default/alice'),
      actor: 'user:default/alice',
    };
    await resources.create(
      'project',
      aProject('payments', 'group:default/team-payments'),
      caller,
    );
    await resources.create('pool', aPool('guarded', 'payments'), caller);
    await resources.create('pool', aPool('open', 'payments'), caller);
    // vendor is a remote server; github and jira run in their pools.
    const image = (name: string) => ({
      source: { type: 'image', image: `ghcr.io/example/${name}:1`, port: 8080 },
    });
    await resources.create(
      'mcpServer',
      anMcpServer('vendor', 'payments', 'guarded', {
        source: { type: 'remote', url: 'https://vendor.example/mcp' },
      }),
      caller,
    );
    await resources.create(
      'mcpServer',
      anMcpServer('github', 'payments', 'guarded', image('github')),
      caller,
    );
    await resources.create(
      'mcpServer',
      anMcpServer('jira', 'payments', 'open', image('jira')),
      caller,
    );
    const reads: Array<{ url: string; authorization?: string }> = [];
    const reader = {
      read: async (url: string, options: { authorization?: string } = {}) => {
        reads.push({ url, authorization: options.authorization });
        return { tools: [], resources: [], prompts: [] };
      },
    } as unknown as McpContractReader;
    const contracts = new McpContractService({
      store,
      resources,
      reader,
      connectVia,
      gatewayAuthorization: pool =>
        pool === 'guarded' ? 'Bearer check-token' : undefined,
      logger: mockServices.logger.mock(),
    });
    return { contracts, reads };
  }

  it('sends the pool’s gateway credentials to its gateway, not to a remote server read directly', async () => {
    const { contracts, reads } = await setUp('target');
    const results = await contracts.checkAll();
    expect(results.map(r => [r.server, r.error])).toEqual(
      expect.arrayContaining([
        ['vendor', undefined],
        ['github', undefined],
        ['jira', undefined],
      ]),
    );
    const sent = Object.fromEntries(
      reads.map(r => [new URL(r.url).pathname, r.authorization]),
    );
    expect(sent).toEqual({
      // The remote itself: no gateway credentials.
      '/mcp': undefined,
      // Through the guarded pool's gateway: its credentials.
      '/github/mcp': 'Bearer check-token',
      // Through a pool without configured credentials: none.
      '/jira/mcp': undefined,
    });
  });

  it('sends them for every server of the pool when every server is read through its gateway', async () => {
    const { contracts, reads } = await setUp('gateway');
    await contracts.checkAll();
    expect(
      reads
        .map(r => [new URL(r.url).pathname, r.authorization])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['/github/mcp', 'Bearer check-token'],
      ['/jira/mcp', undefined],
      ['/vendor/mcp', 'Bearer check-token'],
    ]);
  });
});
