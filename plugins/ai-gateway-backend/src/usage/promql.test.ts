import {
  chooseStepSeconds,
  counterIncrease,
  labelMatcher,
  quotePromQL,
} from './promql';

describe('promql', () => {
  it('escapes label values so they cannot change the query', () => {
    expect(quotePromQL('a"b')).toBe('"a\\"b"');
    expect(quotePromQL('a\\"} or vector(1) #')).toBe(
      '"a\\\\\\"} or vector(1) #"',
    );
    expect(quotePromQL('x\ny')).toBe('"x\\ny"');
    expect(labelMatcher('team', 'group:default/a')).toBe(
      'team="group:default/a"',
    );
    expect(labelMatcher('status', '5..', '=~')).toBe('status=~"5.."');
  });

  it('refuses label names PromQL would not parse', () => {
    expect(() => labelMatcher('team"}', 'x')).toThrow(
      'not a Prometheus label name',
    );
  });

  it('reads a window as the difference of two instants, falling back to increase() across resets', () => {
    expect(
      counterIncrease('m{a="b"}', {
        kind: 'instant',
        startSeconds: 100,
        endSeconds: 160.5,
      }),
    ).toBe(
      '(((last_over_time(m{a="b"}[60500ms] @ 160.5) - (m{a="b"} @ 100 or last_over_time(m{a="b"}[60500ms] @ 160.5) * 0)) unless (resets(m{a="b"}[60500ms] @ 160.5) > 0)) or increase(m{a="b"}[60500ms] @ 160.5))',
    );
    expect(counterIncrease('m', { kind: 'step', stepMs: 60000 })).toBe(
      '(((last_over_time(m[60000ms]) - (m offset 60000ms or last_over_time(m[60000ms]) * 0)) unless (resets(m[60000ms]) > 0)) or increase(m[60000ms]))',
    );
  });

  it('chooses a nice step that keeps the points under the maximum', () => {
    const hour = 3600;
    expect(chooseStepSeconds(hour, 200, 15)).toBe(30);
    expect(chooseStepSeconds(24 * hour, 200, 15)).toBe(900);
    expect(chooseStepSeconds(30 * 24 * hour, 200, 15)).toBe(6 * hour);
    expect(chooseStepSeconds(90 * 24 * hour, 200, 15)).toBe(12 * hour);
    expect(chooseStepSeconds(90 * 24 * hour, 50, 15)).toBe(2 * 86400);
    expect(chooseStepSeconds(60, 600, 15)).toBe(15);
    for (const range of [hour, 7 * 24 * hour, 90 * 24 * hour]) {
      expect(range / chooseStepSeconds(range, 200, 15)).toBeLessThanOrEqual(
        200,
      );
    }
  });
});
