import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { McpContractStore } from '../database/McpContractStore';
import { contractHash, riskClass, type McpContract } from './contract';
import { mcpRiskByPool } from './fleetMcpRisk';

jest.setTimeout(60_000);

// One query for the whole fleet (a join on the newest snapshot): both dialects.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const destructive: McpContract = {
  tools: [
    {
      name: 'delete_repo',
      inputSchema: { type: 'object' },
      annotations: { destructiveHint: true },
    },
  ],
  resources: [],
  prompts: [],
};

const readOnly: McpContract = {
  tools: [
    {
      name: 'list_repos',
      inputSchema: { type: 'object' },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
  ],
  resources: [],
  prompts: [],
};

describe('mcpRiskByPool', () => {
  it('counts each class, and servers without a contract as unobserved', () => {
    expect(
      mcpRiskByPool([
        { server: 'b', pool: 'prod', riskClass: 'destructive' },
        { server: 'a', pool: 'prod', riskClass: 'destructive' },
        { server: 'c', pool: 'prod', riskClass: 'open-world' },
        { server: 'd', pool: 'lab', riskClass: 'additive' },
        { server: 'e', pool: 'lab', riskClass: 'read-only' },
        { server: 'f', pool: 'lab' },
      ]),
    ).toEqual(
      new Map([
        [
          'prod',
          {
            destructive: 2,
            openWorld: 1,
            additive: 0,
            readOnly: 0,
            unobserved: 0,
            destructiveServers: ['a', 'b'],
          },
        ],
        [
          'lab',
          {
            destructive: 0,
            openWorld: 0,
            additive: 1,
            readOnly: 1,
            unobserved: 1,
            destructiveServers: [],
          },
        ],
      ]),
    );
  });
});

/**
 * The fleet's MCP risk per pool, from the newest contract of each server:
 * a destructive contract shows on its own pool only, and the fleet answers
 * without the field when the contracts cannot be read.
 */
describe.each(databases.eachSupportedId())(
  'MCP risk in the fleet on %s',
  databaseId => {
    let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

    beforeAll(async () => {
      t = await startAiGatewayTestBackend({
        databases,
        databaseId,
      });
      const admin = t.api('admin');
      await admin.create(
        '/projects',
        aProject('payments', 'group:default/team-payments'),
      );
      await admin.create(
        '/projects',
        aProject('research', 'group:default/team-research'),
      );
      await admin.create('/pools', aPool('prod', 'payments'));
      await admin.create('/pools', aPool('lab', 'research'));
      await admin.create('/pools', aPool('empty', 'payments'));
      await admin.create(
        '/mcp-servers',
        anMcpServer('github', 'payments', 'prod'),
      );
      await admin.create(
        '/mcp-servers',
        anMcpServer('docs', 'research', 'lab'),
      );
      await admin.create(
        '/mcp-servers',
        anMcpServer('wiki', 'research', 'lab'),
      );
    });

    afterAll(async () => {
      await t.backend.stop();
    });

    async function observe(server: string, contract: McpContract, at: Date) {
      await new McpContractStore(t.knex).recordContract(
        server,
        {
          hash: contractHash(contract),
          contract,
          riskClass: riskClass(contract),
        },
        at,
      );
    }

    it('counts a destructive contract on its pool, not on the others', async () => {
      // github was read-only, then turned destructive: the newest counts.
      await observe('github', readOnly, new Date('2026-12-01T10:00:00Z'));
      await observe('github', destructive, new Date('2026-12-01T11:00:00Z'));
      await observe('docs', readOnly, new Date('2026-12-01T11:00:00Z'));
      // wiki failed its only check: not observed.
      await new McpContractStore(t.knex).recordError(
        'wiki',
        'connection refused',
        new Date('2026-12-01T11:00:00Z'),
      );

      const res = await t.api('admin').get('/fleet');
      expect(res.status).toBe(200);
      const byPool = Object.fromEntries(
        res.body.items.map((e: any) => [e.pool, e.mcpRisk]),
      );
      expect(byPool.prod).toEqual({
        destructive: 1,
        openWorld: 0,
        additive: 0,
        readOnly: 0,
        unobserved: 0,
        destructiveServers: ['github'],
      });
      expect(byPool.lab).toEqual({
        destructive: 0,
        openWorld: 0,
        additive: 0,
        readOnly: 1,
        unobserved: 1,
        destructiveServers: [],
      });
      expect(byPool.empty).toEqual({
        destructive: 0,
        openWorld: 0,
        additive: 0,
        readOnly: 0,
        unobserved: 0,
        destructiveServers: [],
      });

      // Readers see their own pools only.
      const mine = await t.api('research').get('/fleet');
      expect(
        mine.body.items.map((e: any) => [e.pool, e.mcpRisk.destructive]),
      ).toEqual([['lab', 0]]);
    });

    it('answers without the field when the contracts cannot be read', async () => {
      await t.knex.schema.renameTable(
        'aigw_mcp_contract_snapshots',
        'aigw_mcp_contract_snapshots_away',
      );
      try {
        const res = await t.api('admin').get('/fleet');
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(3);
        for (const entry of res.body.items) {
          expect(entry).not.toHaveProperty('mcpRisk');
          expect(entry.counts).toBeDefined();
        }
      } finally {
        await t.knex.schema.renameTable(
          'aigw_mcp_contract_snapshots_away',
          'aigw_mcp_contract_snapshots',
        );
      }
    });
  },
);
