import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { eventually } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  createPoolChangeFeed,
  LocalPoolChangeFeed,
  type PoolChangeFeed,
  type PoolChanges,
} from './PoolChangeFeed';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const heard = (feed: PoolChangeFeed) => {
  const changes: PoolChanges[] = [];
  feed.subscribe(c => changes.push(c));
  return changes;
};

describe('PoolChangeFeed', () => {
  it('is local (nobody else to tell) on SQLite', async () => {
    const knex = await databases.init('SQLITE_3');
    const feed = await createPoolChangeFeed({
      database: mockServices.database({ knex }),
      logger: mockServices.logger.mock(),
    });
    expect(feed).toBeInstanceOf(LocalPoolChangeFeed);
  });

  const postgres = databases
    .eachSupportedId()
    .filter(([id]) => id === 'POSTGRES_15');
  (postgres.length ? describe : describe.skip)('on PostgreSQL', () => {
    let feeds: PoolChangeFeed[] = [];
    const replica = async (knex: any) => {
      const feed = await createPoolChangeFeed({
        database: mockServices.database({ knex }),
        logger: mockServices.logger.mock(),
      });
      feeds.push(feed);
      return feed;
    };
    afterEach(async () => {
      await Promise.all(feeds.map(f => f.stop()));
      feeds = [];
    });

    it('tells every other replica which pools changed, within milliseconds, not the publisher itself', async () => {
      const knex = await databases.init('POSTGRES_15');
      const [a, b, c] = [
        await replica(knex),
        await replica(knex),
        await replica(knex),
      ];
      const [atA, atB, atC] = [heard(a), heard(b), heard(c)];
      const started = Date.now();
      await a.publish(['prod', 'prod', 'staging']);
      await eventually('both other replicas to hear', async () => {
        expect(atB).toEqual([['prod', 'staging']]);
        expect(atC).toEqual([['prod', 'staging']]);
        return true;
      });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(atA).toEqual([]);
      // Many pools at once are split to fit PostgreSQL's payload limit.
      const many = Array.from({ length: 250 }, (_, i) => `pool-${i}`);
      await b.publish(many);
      await eventually('250 pools to be heard', async () => {
        expect((atA as string[][]).flat().sort()).toEqual([...many].sort());
        return true;
      });
    });

    it('reconnects after losing its connection and reports that anything may have changed', async () => {
      const knex = await databases.init('POSTGRES_15');
      const [a, b] = [await replica(knex), await replica(knex)];
      const atB = heard(b);
      // What a failover or an idle-connection reaper does to the listener.
      await knex.raw(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where query like 'LISTEN aigw_pool_changes%' and pid <> pg_backend_pid()`,
      );
      await eventually('the reconnect', async () => atB.includes('all'));
      await a.publish(['prod']);
      await eventually('a change after the reconnect', async () => {
        expect(atB).toContainEqual(['prod']);
        return true;
      });
    });
  });
});
