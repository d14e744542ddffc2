import { budgetSchema, budgetWindowAt } from './budget';
import { issuesOf } from './testFixtures';

const valid = {
  name: 'payments-monthly',
  scope: { kind: 'team', name: 'team-payments' },
  window: 'monthly',
  limit: { usd: 500 },
};

describe('budgetSchema', () => {
  it('fills defaults and normalises the team and the thresholds', () => {
    expect(
      budgetSchema.parse({ ...valid, softThresholds: [0.9, 0.5, 0.9] }),
    ).toEqual({
      ...valid,
      scope: { kind: 'team', name: 'group:default/team-payments' },
      softThresholds: [0.5, 0.9],
      onExceeded: { kind: 'refuse' },
    });
    expect(budgetSchema.parse(valid).softThresholds).toEqual([0.8]);
    expect(
      budgetSchema.parse({
        ...valid,
        scope: { kind: 'aiBackend', name: 'llm' },
        limit: { tokens: 1_000_000 },
        onExceeded: { kind: 'downRoute', model: 'gpt-4o-mini' },
      }).onExceeded,
    ).toEqual({ kind: 'downRoute', model: 'gpt-4o-mini' });
  });

  it.each([
    [{ limit: {} }, 'limit', 'needs one of usd or tokens'],
    [
      { limit: { usd: 1, tokens: 2 } },
      'limit',
      'must have exactly one of usd or tokens, not both',
    ],
    [{ limit: { usd: 0 } }, 'limit.usd', 'must be greater than 0'],
    [{ limit: { usd: -5 } }, 'limit.usd', 'must be greater than 0'],
    [
      { limit: { tokens: 1.5 } },
      'limit.tokens',
      'must be a whole number of tokens',
    ],
    [
      { softThresholds: [1] },
      'softThresholds[0]',
      'must be less than 1 (the limit itself is the hard threshold)',
    ],
    [
      { softThresholds: [0] },
      'softThresholds[0]',
      'must be greater than 0 (a fraction of the limit, e.g. 0.8)',
    ],
    [{ window: 'yearly' }, 'window', 'must be one of: daily, weekly, monthly'],
    [
      { scope: { kind: 'cluster', name: 'x' } },
      'scope.kind',
      'must be one of: team, project, aiBackend',
    ],
    [
      { scope: { kind: 'team', name: 'user:default/bob' } },
      'scope.name',
      'must be a catalog group such as group:default/team-a, group:team-a or team-a',
    ],
    [
      { scope: { kind: 'project', name: 'Not A Name' } },
      'scope.name',
      'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
    ],
    [{ onExceeded: { kind: 'downRoute' } }, 'onExceeded.model', 'is required'],
    [
      { onExceeded: { kind: 'downRoute', model: 'gpt-*' } },
      'onExceeded.model',
      'must be one model name, without spaces or "*"',
    ],
    [{ extra: 1 }, '', undefined],
  ])('refuses %j naming %s', (change, field, message) => {
    const issues = issuesOf(budgetSchema, { ...valid, ...change });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({
      ...(field ? { field } : {}),
      ...(message ? { message } : {}),
    });
  });
});

describe('budgetWindowAt', () => {
  const at = new Date('2026-12-02T05:46:27Z'); // a Wednesday
  it.each([
    ['daily', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ['weekly', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    ['monthly', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ] as const)('%s: UTC calendar windows', (window, start, end) => {
    const w = budgetWindowAt(window, at);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual([start, end]);
  });

  it('starts weeks on Monday, also from a Sunday and at midnight', () => {
    const sunday = budgetWindowAt('weekly', new Date('2026-12-06T23:59:59Z'));
    expect(sunday.start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const monday = budgetWindowAt('weekly', new Date('2026-12-07T00:00:00Z'));
    expect(monday.start.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    const december = budgetWindowAt('monthly', new Date('2026-12-31T23:59Z'));
    expect(december.end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
