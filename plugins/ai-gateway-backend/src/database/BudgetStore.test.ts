import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { budgetSchema } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayStore } from './AiGatewayStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const aBudget = (name: string, tokens = 1000) =>
  budgetSchema.parse({
    name,
    scope: { kind: 'team', name: 'team-a' },
    window: 'monthly',
    limit: { tokens },
  });

const DEC = Date.parse('2026-12-01T00:00:00Z');
const JAN = Date.parse('2027-01-01T00:00:00Z');
const FEB = Date.parse('2027-02-01T00:00:00Z');

describe.each(databases.eachSupportedId())('BudgetStore on %s', databaseId => {
  async function budgets() {
    const knex = await databases.init(databaseId);
    const store = await AiGatewayStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return store.budgets();
  }
  const now = new Date('2026-12-15T12:00:00Z');

  it('stores budgets with versions, and updates only the version read', async () => {
    const store = await budgets();
    const created = await store.insert(aBudget('b'), 'user:default/a', now);
    expect(created).toMatchObject({ name: 'b', version: 1 });
    expect(await store.get('b')).toEqual(created);
    const later = new Date(now.getTime() + 1000);
    const updated = await store.update(
      aBudget('b', 5),
      1,
      'user:default/c',
      later,
    );
    expect(updated).toMatchObject({
      outcome: 'updated',
      budget: {
        version: 2,
        updatedBy: 'user:default/c',
        createdBy: 'user:default/a',
        updatedAt: later.toISOString(),
        spec: { limit: { tokens: 5 } },
      },
    });
    expect(await store.update(aBudget('b', 6), 1, 'x', later)).toEqual({
      outcome: 'conflict',
      currentVersion: 2,
    });
    expect(await store.update(aBudget('b', 6), 1e12, 'x', later)).toEqual({
      outcome: 'conflict',
      currentVersion: 2,
    });
    expect(await store.update(aBudget('nope'), 1, 'x', later)).toEqual({
      outcome: 'missing',
    });
    await store.insert(aBudget('a'), 'x', now);
    expect((await store.listAll()).map(b => b.name)).toEqual(['a', 'b']);
    // A second budget of the same name is not stored (the service answers 409).
    expect(await store.insert(aBudget('a', 7), 'y', now)).toBeUndefined();
    expect((await store.get('a'))?.spec.limit).toEqual({ tokens: 1000 });
  });

  it('keeps one state per window: spend, thresholds notified once, exceeded once', async () => {
    const store = await budgets();
    await store.insert(aBudget('b'), 'x', now);
    const window = {
      budget: 'b',
      windowStart: DEC,
      windowEnd: JAN,
      limit: 1000,
      unit: 'tokens' as const,
    };
    const first = await store.recordSpend({
      ...window,
      spent: 800,
      evaluatedAt: now.getTime(),
      details: { unpricedModels: ['m'] },
    });
    expect(first).toEqual({
      ...window,
      spent: 800,
      notifiedThresholds: [],
      evaluatedAt: now.getTime(),
      details: { unpricedModels: ['m'] },
    });
    // Two replicas that read the same state: one of them records the threshold.
    const claims = await Promise.all([
      store.markNotified(first, [0.8]),
      store.markNotified(first, [0.8]),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Recording spend again keeps what was notified.
    const second = await store.recordSpend({ ...window, spent: 1200 });
    expect(second).toMatchObject({ spent: 1200, notifiedThresholds: [0.8] });
    expect(second.details).toBeUndefined();

    expect(await store.setExceeded('b', DEC, now.getTime())).toBe(true);
    expect(await store.setExceeded('b', DEC, now.getTime() + 5)).toBe(false);
    expect((await store.getState('b', DEC))?.exceededSince).toBe(now.getTime());
    expect((await store.exceededAt(now.getTime())).map(s => s.budget)).toEqual([
      'b',
    ]);
    expect(await store.exceededAt(JAN)).toEqual([]);

    // The next window starts fresh; the old one is found to be lifted.
    await store.recordSpend({
      ...window,
      windowStart: JAN,
      windowEnd: FEB,
      spent: 1,
    });
    expect(await store.getState('b', JAN)).toMatchObject({
      notifiedThresholds: [],
    });
    expect(
      (await store.exceededBefore('b', JAN)).map(s => s.windowStart),
    ).toEqual([DEC]);
    expect(await store.setExceeded('b', DEC, undefined)).toBe(true);
    expect(await store.setExceeded('b', DEC, undefined)).toBe(false);
    expect(await store.exceededBefore('b', JAN)).toEqual([]);

    expect(await store.delete('b')).toBe(true);
    expect(await store.getState('b', JAN)).toBeUndefined();
    expect(await store.delete('b')).toBe(false);
  });
});
