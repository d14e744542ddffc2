import { TestDatabases } from '@backstage/backend-test-utils';
import { budgetWindowAt } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { BudgetStore } from '../database/BudgetStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The fleet's budget state per pool, read from the database: an exceeded
 * budget shows on the pools serving its scope only, and the fleet answers
 * while the configured Prometheus does not.
 */
describe('budget state in the fleet', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  beforeAll(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      // Nothing listens there: usage is configured but Prometheus is down.
      config: {
        aiGateway: { metrics: { prometheus: { url: 'http://127.0.0.1:9' } } },
      },
    });
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t
      .api('admin')
      .create('/projects', aProject('research', 'group:default/team-research'));
    await t.api('admin').create('/pools', aPool('prod', 'payments'));
    await t.api('admin').create('/pools', aPool('lab', 'research'));
    await t.api('admin').create('/pools', aPool('empty', 'payments'));
    await t
      .api('admin')
      .create('/ai-backends', anAiBackend('llm', 'payments', 'prod'));
    await t
      .api('admin')
      .create('/mcp-servers', anMcpServer('github', 'research', 'lab'));
    await t.api('admin').create('/budgets', {
      name: 'payments-monthly',
      scope: { kind: 'team', name: 'group:default/team-payments' },
      window: 'monthly',
      limit: { usd: 500 },
      onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
    });
    await t.api('admin').create('/budgets', {
      name: 'research-daily',
      scope: { kind: 'project', name: 'research' },
      window: 'daily',
      limit: { tokens: 1000 },
      softThresholds: [0.5, 0.9],
    });
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  /** Records spend in the budget's current window, as the evaluator would. */
  async function spend(
    budget: string,
    window: 'daily' | 'monthly',
    spent: number,
    limit: number,
    exceeded: boolean,
  ) {
    const store = new BudgetStore(t.knex);
    const { start, end } = budgetWindowAt(window, new Date());
    await store.recordSpend({
      budget,
      windowStart: start.getTime(),
      windowEnd: end.getTime(),
      spent,
      limit,
      unit: window === 'monthly' ? 'usd' : 'tokens',
      evaluatedAt: Date.now(),
    });
    if (exceeded) await store.setExceeded(budget, start.getTime(), Date.now());
    return end;
  }

  it('shows an exceeded budget on the pools serving its scope, not on others', async () => {
    const until = await spend('payments-monthly', 'monthly', 612, 500, true);
    await spend('research-daily', 'daily', 600, 1000, false);

    const res = await t.api('admin').get('/fleet');
    expect(res.status).toBe(200);
    const byPool = Object.fromEntries(
      res.body.items.map((e: any) => [e.pool, e.budgets]),
    );
    expect(byPool.prod).toEqual({
      total: 1,
      exceeded: [
        {
          budget: 'payments-monthly',
          scope: { kind: 'team', name: 'group:default/team-payments' },
          action: 'downRoute',
          model: 'gpt-4o-mini',
          until: until.toISOString(),
        },
      ],
      pastSoftThreshold: 0,
    });
    // Research's budget is at 60 %: past its 50 % threshold, not exceeded.
    expect(byPool.lab).toEqual({
      total: 1,
      exceeded: [],
      pastSoftThreshold: 1,
    });
    // A pool serving nothing is covered by no budget.
    expect(byPool.empty).toEqual({
      total: 0,
      exceeded: [],
      pastSoftThreshold: 0,
    });

    // Readers of a pool see its budget state; other pools are not listed.
    const mine = await t.api('research').get('/fleet');
    expect(mine.body.items.map((e: any) => [e.pool, e.budgets.total])).toEqual([
      ['lab', 1],
    ]);
  });

  it('answers while the configured Prometheus is down', async () => {
    const res = await t.api('payments').get('/fleet');
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: any) => e.pool).sort()).toEqual([
      'empty',
      'prod',
    ]);
    const usage = await t.api('payments').get('/usage/status');
    expect(usage.body).toEqual({ configured: true });
  });
});
