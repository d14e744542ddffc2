import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anAiBackend,
  startAiGatewayTestBackend,
  testUsers,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import type { BudgetState } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { actionContext, clientFor } from '../__testUtils__/actionTestUtils';
import { AiGatewayClient } from '../AiGatewayClient';
import {
  budgetOfInput,
  describeBudgetState,
  setBudget,
  setBudgetAction,
} from './setBudget';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const alice = testUsers.admin.ref;
const bob = testUsers.payments.ref;
const carol = testUsers.research.ref;
const quiet = { info: () => {} };

/** A project budget as a template's step sends it. */
const projectBudget = (extra: object = {}) => ({
  name: 'payments-daily',
  description: 'LLM spend of payments',
  scope: { kind: 'project', name: 'payments' },
  window: 'daily',
  limit: { usd: 50 },
  softThresholdsPercent: [80, 50],
  onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
  ...extra,
});

describe('ai-gateway:budget:set', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;
  let client: AiGatewayClient;

  beforeEach(async () => {
    t = await startAiGatewayTestBackend({
      databases,
      databaseId: 'SQLITE_3',
    });
    await t
      .api('admin')
      .create('/projects', aProject('payments', 'group:default/team-payments'));
    await t
      .api('admin')
      .create('/projects', aProject('research', 'group:default/team-research'));
    await t.api('payments').create('/pools', aPool('prod', 'payments'));
    await t
      .api('payments')
      .create('/ai-backends', anAiBackend('llm', 'payments', 'prod'));
    client = clientFor(t.backend.server);
  });

  afterEach(async () => {
    await t.backend.stop();
  });

  const run = async (
    input: Record<string, unknown>,
    userRef: string = bob,
    isDryRun = false,
  ) => {
    const context = actionContext({ input, userRef, isDryRun });
    await setBudgetAction({ client }).handler(context.ctx as any);
    return context;
  };
  const stored = async (name: string) =>
    (await t.api('admin').get(`/budgets/${name}`)).body;
  const budgetNames = async () =>
    (await t.api('admin').get('/budgets')).body.items.map(
      (b: { name: string }) => b.name,
    );

  it('creates the budget as the user, with thresholds in percent as fractions, and reports its window', async () => {
    const { outputs, logs } = await run(projectBudget());
    expect(outputs).toEqual({
      name: 'payments-daily',
      outcome: 'created',
      version: 1,
      scopeEntityRef: 'system:default/payments',
      statePath: '/budgets/payments-daily/state',
      state: expect.stringMatching(
        /^Limit \$50\.00 for \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC\); not evaluated yet in this window\. The owners are notified at 50 %, 80 % of it\.$/,
      ),
    });
    expect(await stored('payments-daily')).toMatchObject({
      version: 1,
      createdBy: bob,
      spec: {
        scope: { kind: 'project', name: 'payments' },
        limit: { usd: 50 },
        softThresholds: [0.5, 0.8],
        onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
      },
    });
    expect(logs.some(l => l.includes('Created budget payments-daily'))).toBe(
      true,
    );
  });

  it('replaces the budget of that name with the version it read', async () => {
    await run(projectBudget());
    const { outputs } = await run(
      projectBudget({
        window: 'monthly',
        limit: { tokens: 1_000_000 },
        softThresholdsPercent: undefined,
        onExceeded: undefined,
      }),
    );
    expect(outputs).toMatchObject({ outcome: 'updated', version: 2 });
    expect(outputs.state).toMatch(/^Limit 1,000,000 tokens for /);
    expect((await stored('payments-daily')).spec).toMatchObject({
      window: 'monthly',
      limit: { tokens: 1_000_000 },
      // Left out: the defaults, as when creating.
      softThresholds: [0.8],
      onExceeded: { kind: 'refuse' },
    });
    expect(await budgetNames()).toEqual(['payments-daily']);
  });

  it('reads the budget again once when someone else changed it in between (409)', async () => {
    await run(projectBudget());
    let raced = false;
    // Another user's change lands between this action's read and its PUT.
    const racing = Object.create(client) as AiGatewayClient;
    racing.call = (credentials, call) =>
      client.call(credentials, (api, o) =>
        call(
          new Proxy(api, {
            get(target, prop) {
              const value = Reflect.get(target, prop);
              if (prop !== 'updateBudget' || raced) {
                return typeof value === 'function' ? value.bind(target) : value;
              }
              return async (...args: any[]) => {
                raced = true;
                await t.api('admin').put('/budgets/payments-daily', {
                  ...budgetOfInput(projectBudget()),
                  description: 'changed meanwhile',
                  version: 1,
                });
                return value.apply(target, args);
              };
            },
          }),
          o,
        ),
      );
    const logs: string[] = [];
    const result = await setBudget({
      client: racing,
      credentials: mockCredentials.user(bob),
      budget: budgetOfInput(projectBudget({ limit: { usd: 75 } })),
      logger: { info: m => logs.push(m) },
    });
    expect(raced).toBe(true);
    expect(result).toMatchObject({ outcome: 'updated' });
    expect(result.budget.version).toBe(3);
    expect((await stored('payments-daily')).spec).toMatchObject({
      limit: { usd: 75 },
      description: 'LLM spend of payments',
    });
    expect(logs).toContain(
      'Budget payments-daily changed while it was being replaced (version 1 → 2); replacing that version',
    );
  });

  it('writes nothing in a dry run, and says whether it would create or replace', async () => {
    const dry = await run(projectBudget(), bob, true);
    expect(dry.outputs).toMatchObject({
      outcome: 'created',
      state: 'Dry run: the budget would be created; nothing was written.',
    });
    expect(dry.outputs.version).toBeUndefined();
    expect(await budgetNames()).toEqual([]);

    await run(projectBudget());
    const again = await run(projectBudget({ limit: { usd: 1 } }), bob, true);
    expect(again.outputs.outcome).toBe('updated');
    expect((await stored('payments-daily')).spec.limit).toEqual({ usd: 50 });
  });

  it('refuses bad input before writing, naming the field in the form’s words, also in a dry run', async () => {
    for (const isDryRun of [false, true]) {
      const error = await run(
        projectBudget({ limit: { usd: 5, tokens: 10 }, window: 'yearly' }),
        bob,
        isDryRun,
      ).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        'Check these fields of the form: Window (window): must be one of: daily, weekly, monthly; Limit (limit): must have exactly one of usd or tokens, not both',
      );
      expect(error.stack).toBe(`InputError: ${error.message}`);
    }
    const percent = await run(
      projectBudget({ softThresholdsPercent: [80, 100] }),
    ).catch(e => e);
    expect(percent.message).toBe(
      'Check these fields of the form: Notify the owners at (softThresholdsPercent[1]): must be a percent of the limit between 0 and 100, e.g. 80 (the limit itself is the hard threshold)',
    );
    const both = await run(projectBudget({ softThresholds: [0.5] })).catch(
      e => e,
    );
    expect(both.issues).toEqual([
      expect.objectContaining({ field: 'softThresholdsPercent' }),
    ]);
    expect(await budgetNames()).toEqual([]);
  });

  it("surfaces the control plane's 4xx with the field: a scope that names nothing (422), a body it refuses (400)", async () => {
    const missing = await run(
      projectBudget({ scope: { kind: 'aiBackend', name: 'nope' } }),
    ).catch(e => e);
    expect(missing.name).toBe('InputError');
    expect(missing.message).toBe(
      'Check these fields of the form: Team, project or AI backend (scope.name): names no AI backend that exists',
    );
    // Sent as is, without the action's own validation.
    const refused = await setBudget({
      client,
      credentials: mockCredentials.user(bob),
      budget: { ...budgetOfInput(projectBudget()), limit: { usd: -1 } },
      logger: quiet,
    }).catch(e => e);
    expect(refused.name).toBe('InputError');
    expect(refused.message).toMatch(
      /^Check these fields of the form: Limit \(US dollars\) \(limit\.usd\): must be greater than 0/,
    );
    expect(await budgetNames()).toEqual([]);
  });

  it("lets only platform admins set a team's budget, and outputs the group", async () => {
    const team = projectBudget({
      name: 'payments-monthly',
      scope: { kind: 'team', name: 'team-payments' },
      window: 'monthly',
      limit: { usd: 500 },
    });
    await expect(run(team, bob)).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining(
        'You are not allowed to create budgets of teams (only platform admins may)',
      ),
    });
    expect(await budgetNames()).toEqual([]);
    const { outputs } = await run(team, alice);
    expect(outputs).toMatchObject({
      outcome: 'created',
      scopeEntityRef: 'group:default/team-payments',
    });
  });

  it('sets an AI backend budget; a name taken by a budget the user may not see is a field to change', async () => {
    const { outputs } = await run(
      projectBudget({
        name: 'llm-weekly',
        scope: { kind: 'aiBackend', name: 'llm' },
        window: 'weekly',
      }),
    );
    expect(outputs.scopeEntityRef).toBe('resource:default/llm');
    const error = await run(
      projectBudget({
        name: 'llm-weekly',
        scope: { kind: 'project', name: 'research' },
      }),
      carol,
    ).catch(e => e);
    expect(error.message).toBe(
      'Check these fields of the form: Budget name (name): is taken by a budget you may not see; choose another name',
    );
    expect((await stored('llm-weekly')).spec.scope.name).toBe('llm');
  });
});

describe('describeBudgetState', () => {
  const budget = budgetOfInput(projectBudget());
  const state = (extra: Partial<BudgetState>): BudgetState => ({
    budget: 'payments-daily',
    windowStart: '2026-12-02T00:00:00.000Z',
    windowEnd: '2026-12-03T00:00:00.000Z',
    spent: 20,
    limit: 50,
    unit: 'usd',
    fraction: 0.4,
    notifiedThresholds: [],
    evaluatedAt: '2026-12-02T10:00:00.000Z',
    ...extra,
  });

  it('says what was spent of the limit, and when it is exceeded what happens to the traffic', () => {
    expect(describeBudgetState(budget, state({}))).toBe(
      '$20.00 of $50.00 spent (40 %) in 2026-12-02 to 2026-12-03 (UTC). The owners are notified at 50 %, 80 % of it.',
    );
    expect(
      describeBudgetState(
        budget,
        state({
          spent: 51,
          fraction: 1.02,
          exceededSince: '2026-12-02T09:00:00.000Z',
        }),
      ),
    ).toBe(
      '$51.00 of $50.00 spent (102 %) in 2026-12-02 to 2026-12-03 (UTC). Exceeded since 2026-12-02T09:00:00.000Z: its LLM requests go to gpt-4o-mini (MCP calls are refused) until the window ends.',
    );
  });

  it('says why usage could not be read, and which models are not counted', () => {
    expect(
      describeBudgetState(budget, state({ error: 'no Prometheus configured' })),
    ).toBe(
      'Limit $50.00 for 2026-12-02 to 2026-12-03 (UTC). Usage could not be read: no Prometheus configured. The owners are notified at 50 %, 80 % of it.',
    );
    expect(
      describeBudgetState(budget, state({ unpricedModels: ['local-llama'] })),
    ).toMatch(/ Not counted \(no price\): local-llama\.$/);
  });
});
