import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AiGatewayStore } from './AiGatewayStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'PoolStatusStore on %s',
  databaseId => {
    it('saves a status only over the generation it was derived from', async () => {
      const knex = await databases.init(databaseId);
      const store = await AiGatewayStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const statuses = store.poolStatus();
      const now = new Date();
      const status = (phase: 'Pending' | 'Active' | 'Stale') => ({
        pool: 'prod',
        phase,
        phaseSince: now.toISOString(),
        conditions: [],
        desiredRevision: 'sha256:1',
      });
      // Two replicas derive from "no status yet": one insert wins.
      const first = await Promise.all([
        statuses.save(status('Pending'), undefined, now),
        statuses.save(status('Active'), undefined, now),
      ]);
      expect(first.filter(Boolean)).toHaveLength(1);
      const stored = (await statuses.get('prod'))!;
      expect(stored.generation).toBe(1);
      // Both derive from generation 1; the second must derive again.
      expect(await statuses.save(status('Active'), stored, now)).toBe(true);
      expect(await statuses.save(status('Stale'), stored, now)).toBe(false);
      expect(await statuses.get('prod')).toMatchObject({
        phase: 'Active',
        generation: 2,
      });
      // A sync request does not disturb the generation.
      await statuses.request('prod', 'sync', now);
      expect(await statuses.save(status('Stale'), { generation: 2 }, now)).toBe(
        true,
      );
    });
  },
);
