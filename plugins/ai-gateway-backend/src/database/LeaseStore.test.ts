import { TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { AiGatewayStore } from './AiGatewayStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('LeaseStore on %s', databaseId => {
  async function leases() {
    const knex = await databases.init(databaseId);
    const store = await AiGatewayStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return store.leases();
  }

  it('gives a lease to one holder at a time, and again once released or expired', async () => {
    const store = await leases();
    const first = await store.tryAcquire('reconcile:prod', 60_000);
    expect(first).toBeDefined();
    expect(await store.tryAcquire('reconcile:prod', 60_000)).toBeUndefined();
    expect(await store.tryAcquire('reconcile:other', 60_000)).toBeDefined();
    await store.release(first!);
    const second = await store.tryAcquire('reconcile:prod', 1);
    expect(second).toBeDefined();
    await new Promise(r => setTimeout(r, 20));
    // Expired: a crashed holder does not block the pool for ever.
    const third = await store.tryAcquire('reconcile:prod', 60_000);
    expect(third).toBeDefined();
    expect(await store.renew(second!, 60_000)).toBe(false);
    expect(await store.renew(third!, 60_000)).toBe(true);
  });

  it('runs concurrent work under one key one at a time, renewing a long holder', async () => {
    const store = await leases();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(i =>
        store.withLease(
          'demo-data',
          // A TTL of 1 s renewed every 333 ms: a loaded CI machine stalled
          // for 90 ms once, which let a 90 ms lease expire mid-work.
          { ttlMs: 1_000, waitMs: 30_000, retryMs: 20 },
          async () => {
            running++;
            most = Math.max(most, running);
            // Longer than the TTL: only renewal keeps the others out.
            await new Promise(r => setTimeout(r, 1_500));
            order.push(i);
            running--;
          },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives up with a 503 when the lease stays taken', async () => {
    const store = await leases();
    await store.tryAcquire('reconcile:prod', 60_000);
    await expect(
      store.withLease(
        'reconcile:prod',
        { ttlMs: 60_000, waitMs: 50, retryMs: 10 },
        async () => 'ran',
      ),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });
});
