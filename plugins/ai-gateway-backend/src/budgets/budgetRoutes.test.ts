import { TestDatabases } from '@backstage/backend-test-utils';
import {
  aPool,
  aProject,
  anAiBackend,
  startAiGatewayTestBackend,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const teamBudget = {
  name: 'payments-monthly',
  scope: { kind: 'team', name: 'group:default/team-payments' },
  window: 'monthly',
  limit: { usd: 500 },
};
const projectBudget = {
  name: 'payments-daily',
  scope: { kind: 'project', name: 'payments' },
  window: 'daily',
  limit: { tokens: 1_000_000 },
  softThresholds: [0.5, 0.9],
};

describe('budget routes', () => {
  let t: Awaited<ReturnType<typeof startAiGatewayTestBackend>>;

  beforeAll(async () => {
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
  });

  afterAll(async () => {
    await t.backend.stop();
  });

  it('lets platform admins set a team budget, and its members read it, not change it', async () => {
    const denied = await t.api('payments').post('/budgets', teamBudget);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You are not allowed to create budgets of teams (only platform admins may)',
    );

    const created = await t.api('admin').post('/budgets', teamBudget);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(
      '/api/ai-gateway/budgets/payments-monthly',
    );
    expect(created.body).toMatchObject({
      kind: 'budget',
      name: 'payments-monthly',
      version: 1,
      createdBy: 'user:default/alice',
      spec: {
        ...teamBudget,
        softThresholds: [0.8],
        onExceeded: { kind: 'refuse' },
      },
    });
    const audit = t.auditEvents.filter(e => e.eventId === 'budget-mutate');
    expect(audit.map(e => [e.meta?.actionType, e.outcome])).toEqual([
      ['create', 'fail'],
      ['create', 'success'],
    ]);

    const read = await t.api('payments').get('/budgets/payments-monthly');
    expect(read.status).toBe(200);
    expect(read.body.spec.limit).toEqual({ usd: 500 });
    // Not a member of the team: as if it did not exist.
    expect(
      (await t.api('research').get('/budgets/payments-monthly')).status,
    ).toBe(404);
    expect((await t.api('research').get('/budgets')).body.items).toEqual([]);

    const update = await t.api('payments').put('/budgets/payments-monthly', {
      ...teamBudget,
      limit: { usd: 5000 },
      version: 1,
    });
    expect(update.status).toBe(403);
    expect(
      (await t.api('payments').delete('/budgets/payments-monthly')).status,
    ).toBe(403);
  });

  it("lets a project's owners manage its budgets and AI backend budgets, with optimistic concurrency", async () => {
    const created = await t.api('payments').post('/budgets', projectBudget);
    expect(created.status).toBe(201);
    const backend = await t.api('payments').post('/budgets', {
      name: 'llm-weekly',
      scope: { kind: 'aiBackend', name: 'llm' },
      window: 'weekly',
      limit: { tokens: 10 },
      onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
    });
    expect(backend.status).toBe(201);
    expect(
      (
        await t
          .api('research')
          .post('/budgets', { ...projectBudget, name: 'x' })
      ).status,
    ).toBe(403);

    const names = (r: { body: { items: Array<{ name: string }> } }) =>
      r.body.items.map(i => i.name);
    expect(names(await t.api('payments').get('/budgets'))).toEqual([
      'llm-weekly',
      'payments-daily',
      'payments-monthly',
    ]);
    expect(names(await t.api('admin').get('/budgets'))).toEqual([
      'llm-weekly',
      'payments-daily',
      'payments-monthly',
    ]);

    const updated = await t.api('payments').put('/budgets/payments-daily', {
      ...projectBudget,
      limit: { tokens: 2 },
      version: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 2,
      spec: { limit: { tokens: 2 } },
    });
    const stale = await t
      .api('payments')
      .put('/budgets/payments-daily', { ...projectBudget, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.issues).toEqual([
      {
        field: 'version',
        message:
          'is not the current version (2); read the budget again and reapply your change',
      },
    ]);
    const duplicate = await t.api('payments').post('/budgets', projectBudget);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.issues[0].field).toBe('name');

    const state = await t.api('payments').get('/budgets/payments-daily/state');
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      budget: 'payments-daily',
      spent: 0,
      limit: 2,
      unit: 'tokens',
      fraction: 0,
      notifiedThresholds: [],
    });
    expect(Date.parse(state.body.windowEnd)).toBeGreaterThan(
      Date.parse(state.body.windowStart),
    );
    expect(
      (await t.api('research').get('/budgets/payments-daily/state')).status,
    ).toBe(404);

    const deleted = await t.api('payments').delete('/budgets/payments-daily');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: 'payments-daily' });
    expect(
      (await t.api('payments').get('/budgets/payments-daily')).status,
    ).toBe(404);
  });

  it.each([
    [{ ...projectBudget, name: 'b1', limit: {} }, 'limit'],
    [{ ...projectBudget, name: 'b2', limit: { usd: -1 } }, 'limit.usd'],
    [{ ...projectBudget, name: 'b3', window: 'hourly' }, 'window'],
    [
      { ...projectBudget, name: 'b4', softThresholds: [1.5] },
      'softThresholds[0]',
    ],
    [
      { ...projectBudget, name: 'b5', scope: { kind: 'pool', name: 'prod' } },
      'scope.kind',
    ],
    [{ ...projectBudget, name: 'B 6' }, 'name'],
  ])(
    'refuses bad input with a 400 naming the field (%#)',
    async (body, field) => {
      const res = await t.api('admin').post('/budgets', body);
      expect(res.status).toBe(400);
      expect(res.body.error.issues.map((i: any) => i.field)).toContain(field);
    },
  );

  it('answers 422 for a scope that names nothing, 400 for an update without a version', async () => {
    const missing = await t.api('admin').post('/budgets', {
      ...projectBudget,
      name: 'ghost',
      scope: { kind: 'project', name: 'ghost' },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues).toEqual([
      { field: 'scope.name', message: 'names no project that exists' },
    ]);
    const noVersion = await t
      .api('admin')
      .put('/budgets/payments-monthly', teamBudget);
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.issues[0].field).toBe('version');
    const renamed = await t.api('admin').put('/budgets/payments-monthly', {
      ...teamBudget,
      name: 'other',
      version: 1,
    });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.issues[0].field).toBe('name');
    const unknown = await t.api('admin').get('/budgets/nothing-here/state');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.issues).toEqual([
      {
        field: 'name',
        message: 'names no object you can see (or none at all)',
      },
    ]);
  });
});
