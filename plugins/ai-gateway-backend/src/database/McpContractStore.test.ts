import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  contractHash,
  riskClass,
  type McpContract,
} from '../contracts/contract';
import { AiGatewayStore } from './AiGatewayStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const contractWith = (...tools: string[]): McpContract => ({
  tools: tools.map(name => ({
    name,
    inputSchema: { type: 'object' },
    annotations: { readOnlyHint: true, openWorldHint: false },
  })),
  resources: [],
  prompts: [],
});
const seen = (contract: McpContract) => ({
  contract,
  hash: contractHash(contract),
  riskClass: riskClass(contract),
});

describe.each(databases.eachSupportedId())(
  'McpContractStore on %s',
  databaseId => {
    async function contracts() {
      const knex = await databases.init(databaseId);
      const store = await AiGatewayStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return store.mcpContracts();
    }

    it('adds a row only when the hash changes, and keeps when it was last checked', async () => {
      const store = await contracts();
      const t0 = new Date('2026-12-03T10:00:00Z');
      const t1 = new Date('2026-12-03T11:00:00Z');
      const t2 = new Date('2026-12-03T12:00:00Z');
      const a = seen(contractWith('search'));
      const b = seen(contractWith('search', 'lookup'));

      const first = await store.recordContract('github', a, t0);
      expect(first).toMatchObject({ changed: true, snapshot: { seq: 1 } });
      expect(first.previous).toBeUndefined();

      const again = await store.recordContract('github', a, t1);
      expect(again.changed).toBe(false);
      expect(await store.latest('github')).toEqual({
        server: 'github',
        seq: 1,
        hash: a.hash,
        contract: a.contract,
        riskClass: 'read-only',
        observedAt: t0.toISOString(),
        lastCheckedAt: t1.toISOString(),
      });

      const drift = await store.recordContract('github', b, t2);
      expect(drift.changed).toBe(true);
      expect(drift.previous).toMatchObject({ seq: 1, hash: a.hash });
      expect(drift.snapshot).toMatchObject({ seq: 2, hash: b.hash });

      const history = await store.history('github', {
        limit: 10,
        withContracts: 1,
      });
      expect(history.map(s => [s.seq, s.hash, Boolean(s.contract)])).toEqual([
        [2, b.hash, true],
        [1, a.hash, false],
      ]);
      expect(await store.latest('gitlab')).toBeUndefined();

      // No MCP server of that name exists (this test creates none).
      expect(await store.deleteOrphans()).toBe(2);
      expect(await store.latest('github')).toBeUndefined();
    });

    it('records a failed check on the newest row and clears it on success', async () => {
      const store = await contracts();
      const t0 = new Date('2026-12-03T10:00:00Z');
      const t1 = new Date('2026-12-03T11:00:00Z');
      // Never reached yet: a row without a contract.
      await store.recordError('jira', 'HTTP 401', t0);
      expect(await store.latest('jira')).toEqual({
        server: 'jira',
        seq: 1,
        observedAt: t0.toISOString(),
        lastCheckedAt: t0.toISOString(),
        error: 'HTTP 401',
      });
      expect(await store.history('jira', { limit: 10 })).toEqual([]);

      // The first contract takes that row.
      const a = seen(contractWith('search'));
      const first = await store.recordContract('jira', a, t1);
      expect(first).toMatchObject({ changed: true, snapshot: { seq: 1 } });
      expect((await store.latest('jira'))?.error).toBeUndefined();

      await store.recordError('jira', 'timed out', t1);
      expect(await store.latest('jira')).toMatchObject({
        seq: 1,
        hash: a.hash,
        error: 'timed out',
      });
      await store.recordContract('jira', a, t1);
      expect((await store.latest('jira'))?.error).toBeUndefined();
    });

    it('records a change once when replicas check at the same time', async () => {
      const store = await contracts();
      const now = new Date('2026-12-03T10:00:00Z');
      const a = seen(contractWith('search'));
      const b = seen(contractWith('delete'));
      await store.recordContract('slack', a, now);
      const results = await Promise.all([
        store.recordContract('slack', b, now),
        store.recordContract('slack', b, now),
        store.recordContract('slack', b, now),
      ]);
      expect(results.filter(r => r.changed)).toHaveLength(1);
      expect(
        (await store.history('slack', { limit: 10 })).map(s => s.hash),
      ).toEqual([b.hash, a.hash]);
    });
  },
);
