import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { RendererRegistry } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  aPool,
  aProject,
  anAiBackend,
  anMcpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { AiGatewayStore } from '../database/AiGatewayStore';
import { PoolDeliveryService } from '../delivery/PoolDeliveryService';
import { ResourceService, type Caller } from '../service/ResourceService';
import type {
  UsageQuery,
  UsageService,
  UsageTotals,
} from '../usage/UsageService';
import { BudgetEvaluator } from './BudgetEvaluator';
import { BudgetService } from './BudgetService';
import { ModelPrices } from './modelPrices';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * A usage service with known numbers: per team (or project, or route),
 * the token counts and reported cost of each model.
 */
class FakeUsage implements UsageService {
  readonly queries: UsageQuery[] = [];
  /** filter value (team, project or route) -> rows by model. */
  readonly usage = new Map<
    string,
    Array<{
      model: string;
      inputTokens: number;
      outputTokens: number;
      costUsd?: number;
    }>
  >();

  getStatus() {
    return { configured: true as const, prometheusUrls: ['http://fake'] };
  }

  async getTotals(query: UsageQuery): Promise<UsageTotals> {
    this.queries.push(query);
    const key =
      query.filter?.team ?? query.filter?.project ?? query.filter?.route ?? '';
    return {
      start: query.start,
      end: query.end,
      rows: (this.usage.get(key) ?? []).map(u => ({
        group: { model: u.model },
        values: {
          inputTokens: u.inputTokens,
          outputTokens: u.outputTokens,
          ...(u.costUsd !== undefined && query.measures.includes('costUsd')
            ? { costUsd: u.costUsd }
            : {}),
        },
      })),
    };
  }

  async getTimeSeries(): Promise<never> {
    throw new Error('not used by budgets');
  }
}

const PAYMENTS = 'group:default/team-payments';
const SEARCH = 'group:default/team-search';

describe.each(databases.eachSupportedId())(
  'budget evaluation on %s',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const store = await AiGatewayStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const auditor = mockServices.auditor.mock({
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      });
      const permissions = mockServices.permissions();
      const resources = new ResourceService({ store, permissions, auditor });
      const caller: Caller = {
        credentials: mockCredentials.user('user:default/alice'),
        actor: 'user:default/alice',
      };
      for (const [name, owner] of [
        ['payments', PAYMENTS],
        ['search', SEARCH],
      ]) {
        await resources.create('project', aProject(name, owner), caller);
      }
      for (const [pool, project] of [
        ['pay-a', 'payments'],
        ['pay-b', 'payments'],
        ['pay-empty', 'payments'],
        ['search-a', 'search'],
      ]) {
        await resources.create('pool', aPool(pool, project), caller);
      }
      await resources.create(
        'aiBackend',
        anAiBackend('pay-llm', 'payments', 'pay-a'),
        caller,
      );
      await resources.create(
        'mcpServer',
        anMcpServer('github', 'payments', 'pay-b'),
        caller,
      );
      await resources.create(
        'aiBackend',
        anAiBackend('search-llm', 'search', 'search-a'),
        caller,
      );

      let now = new Date('2026-12-15T12:00:00Z');
      const clock = () => now;
      const usage = new FakeUsage();
      const notifications = { send: jest.fn(async () => {}) };
      const rendered: string[][] = [];
      const budgets = new BudgetService({ store, permissions, auditor, clock });
      const delivery = new PoolDeliveryService({
        store,
        resources,
        budgets,
        registry: new RendererRegistry([]),
        renderOptions: { controlPlaneUrl: 'http://control-plane' },
        clusters: { clusters: [], kubeConfig: () => undefined },
        logger: mockServices.logger.mock(),
        clock,
      });
      const evaluator = new BudgetEvaluator({
        store,
        usage,
        prices: new ModelPrices({
          'gpt-4o': { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 },
        }),
        notifications,
        onPoolsChanged: pools => {
          rendered.push(pools);
          delivery.renderAgain(pools);
        },
        logger: mockServices.logger.mock(),
        clock,
      });
      return {
        store,
        budgets,
        delivery,
        evaluator,
        usage,
        notifications,
        rendered,
        caller,
        setNow: (at: string) => {
          now = new Date(at);
        },
      };
    }

    const refusalsOf = async (delivery: PoolDeliveryService, pool: string) =>
      (await delivery.desiredState(pool))?.budgetRefusals;

    it('notifies once at a soft threshold, refuses exactly the team’s pools at the limit, and lifts it in the next window', async () => {
      const t = await setUp();
      await t.budgets.create(
        {
          name: 'payments-monthly',
          scope: { kind: 'team', name: 'team-payments' },
          window: 'monthly',
          limit: { tokens: 1000 },
        },
        t.caller,
      );
      const spend = (team: string, tokens: number) =>
        t.usage.usage.set(team, [
          { model: 'gpt-4o', inputTokens: tokens - 100, outputTokens: 100 },
        ]);
      spend(SEARCH, 5000); // another team's spend counts for nothing here

      spend(PAYMENTS, 790);
      await t.evaluator.evaluateAll();
      expect(t.notifications.send).not.toHaveBeenCalled();
      expect(t.usage.queries[0]).toMatchObject({
        start: new Date('2026-12-01T00:00:00Z'),
        end: new Date('2026-12-15T12:00:00Z'),
        filter: { team: PAYMENTS },
        groupBy: ['model'],
      });
      expect(await t.budgets.state('payments-monthly', t.caller)).toMatchObject(
        {
          spent: 790,
          limit: 1000,
          unit: 'tokens',
          fraction: 0.79,
          notifiedThresholds: [],
          windowStart: '2026-12-01T00:00:00.000Z',
          windowEnd: '2027-01-01T00:00:00.000Z',
        },
      );

      spend(PAYMENTS, 800);
      await t.evaluator.evaluateAll();
      await t.evaluator.evaluateAll();
      expect(t.notifications.send).toHaveBeenCalledTimes(1);
      expect(t.notifications.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: PAYMENTS },
        payload: expect.objectContaining({
          title: 'Budget payments-monthly is at 80 %',
          topic: 'ai-gateway-budget',
          link: '/catalog/default/group/team-payments',
        }),
      });
      expect(t.rendered).toEqual([]);
      expect(await refusalsOf(t.delivery, 'pay-a')).toBeUndefined();

      spend(PAYMENTS, 1000);
      await t.evaluator.evaluateAll();
      await t.evaluator.evaluateAll();
      // Rendered again once: the pools holding the team's objects only.
      expect(t.rendered).toEqual([['pay-a', 'pay-b']]);
      const until = '2027-01-01T00:00:00.000Z';
      expect(await refusalsOf(t.delivery, 'pay-a')).toEqual([
        {
          budget: 'payments-monthly',
          scope: { kind: 'team', name: PAYMENTS },
          aiBackends: ['pay-llm'],
          mcpServers: [],
          action: { kind: 'refuse' },
          message: `Budget payments-monthly of ${PAYMENTS} is spent until ${until}`,
          until,
        },
      ]);
      expect(await refusalsOf(t.delivery, 'pay-b')).toEqual([
        expect.objectContaining({ aiBackends: [], mcpServers: ['github'] }),
      ]);
      expect(await refusalsOf(t.delivery, 'pay-empty')).toBeUndefined();
      expect(await refusalsOf(t.delivery, 'search-a')).toBeUndefined();
      expect(
        (await t.budgets.state('payments-monthly', t.caller)).exceededSince,
      ).toBe('2026-12-15T12:00:00.000Z');
      // One more notification: the limit (the 80 % one is not repeated).
      expect(t.notifications.send).toHaveBeenCalledTimes(2);
      expect(t.notifications.send).toHaveBeenLastCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Budget payments-monthly is spent',
            severity: 'critical',
          }),
        }),
      );

      // A new window: the refusal is lifted and the pools rendered again.
      t.setNow('2027-01-01T00:00:20Z');
      spend(PAYMENTS, 10);
      await t.evaluator.evaluateAll();
      expect(t.rendered).toEqual([
        ['pay-a', 'pay-b'],
        ['pay-a', 'pay-b'],
      ]);
      expect(await refusalsOf(t.delivery, 'pay-a')).toBeUndefined();
      expect(await refusalsOf(t.delivery, 'pay-b')).toBeUndefined();
      expect(await t.budgets.state('payments-monthly', t.caller)).toMatchObject(
        {
          spent: 10,
          notifiedThresholds: [],
          windowStart: '2027-01-01T00:00:00.000Z',
        },
      );
      expect(
        (await t.budgets.state('payments-monthly', t.caller)).exceededSince,
      ).toBeUndefined();
    });

    it('costs USD budgets by agentgateway’s cost where reported, else the price table, and lists unpriced models', async () => {
      const t = await setUp();
      await t.budgets.create(
        {
          name: 'search-daily',
          scope: { kind: 'project', name: 'search' },
          window: 'daily',
          limit: { usd: 10 },
          onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
        },
        t.caller,
      );
      t.usage.usage.set('search', [
        // Priced by agentgateway: its cost, not the table's.
        {
          model: 'claude',
          inputTokens: 1_000_000,
          outputTokens: 0,
          costUsd: 3,
        },
        // 1M input at 2.5 + 0.5M output at 10 = 7.5
        { model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 500_000 },
        { model: 'mystery', inputTokens: 1000, outputTokens: 1000 },
      ]);
      const [result] = await t.evaluator.evaluateAll();
      expect(result.spent).toBeCloseTo(10.5, 9);
      const state = await t.budgets.state('search-daily', t.caller);
      expect(state).toMatchObject({
        unit: 'usd',
        unpricedModels: ['mystery'],
        windowStart: '2026-12-15T00:00:00.000Z',
        windowEnd: '2026-12-16T00:00:00.000Z',
      });
      expect(state.exceededSince).toBeDefined();
      expect(await refusalsOf(t.delivery, 'search-a')).toEqual([
        expect.objectContaining({
          budget: 'search-daily',
          aiBackends: ['search-llm'],
          action: { kind: 'downRoute', model: 'gpt-4o-mini' },
        }),
      ]);
      expect(await refusalsOf(t.delivery, 'pay-a')).toBeUndefined();
      // The project's owner is notified.
      expect(t.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: SEARCH },
        }),
      );
    });

    it('reads an AI backend’s spend from its route in its pool, and lifts a refusal when the limit is raised', async () => {
      const t = await setUp();
      const created = await t.budgets.create(
        {
          name: 'pay-llm-weekly',
          scope: { kind: 'aiBackend', name: 'pay-llm' },
          window: 'weekly',
          limit: { tokens: 100 },
        },
        t.caller,
      );
      t.usage.usage.set('aigw-pay-a/ai-pay-llm', [
        { model: 'gpt-4o', inputTokens: 150, outputTokens: 0 },
      ]);
      await t.evaluator.evaluateAll();
      expect(t.usage.queries[0]).toMatchObject({
        // 2026-12-15 is a Tuesday: the week began on Monday the 14th.
        start: new Date('2026-12-14T00:00:00Z'),
        pool: { name: 'pay-a', namespace: 'aigw-pay-a', cluster: 'prod-eu' },
        filter: { route: 'aigw-pay-a/ai-pay-llm' },
      });
      expect(await refusalsOf(t.delivery, 'pay-a')).toEqual([
        expect.objectContaining({ aiBackends: ['pay-llm'], mcpServers: [] }),
      ]);
      expect(await refusalsOf(t.delivery, 'pay-b')).toBeUndefined();

      await t.budgets.update(
        'pay-llm-weekly',
        { ...created.spec, limit: { tokens: 1000 } },
        created.version,
        t.caller,
      );
      await t.evaluator.evaluateAll();
      expect(await refusalsOf(t.delivery, 'pay-a')).toBeUndefined();
      expect(t.rendered).toEqual([['pay-a'], ['pay-a']]);
    });

    it('records why it could not read usage, without failing the other budgets', async () => {
      const t = await setUp();
      for (const name of ['a-broken', 'b-fine']) {
        await t.budgets.create(
          {
            name,
            scope: { kind: 'project', name: 'payments' },
            window: 'daily',
            limit: { tokens: 10 },
          },
          t.caller,
        );
      }
      const getTotals = t.usage.getTotals.bind(t.usage);
      let calls = 0;
      t.usage.getTotals = async q => {
        if (calls++ === 0) throw new Error('Prometheus is down');
        return getTotals(q);
      };
      const results = await t.evaluator.evaluateAll();
      expect(results.map(r => [r.budget, r.error])).toEqual([
        ['a-broken', 'Could not read usage: Prometheus is down'],
        ['b-fine', undefined],
      ]);
      expect((await t.budgets.state('a-broken', t.caller)).error).toBe(
        'Could not read usage: Prometheus is down',
      );
    });
  },
);
