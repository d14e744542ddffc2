/**
 * PromQL building blocks. Every label value that reaches a query goes
 * through {@link labelMatcher}, so a value cannot change the query.
 */

/** A PromQL string literal: double-quoted, with `\` and `"` (and line breaks) escaped. */
export function quotePromQL(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')}"`;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `name="value"` (or `name=~"re"` with `op`), refusing label names PromQL would not parse. */
export function labelMatcher(
  name: string,
  value: string,
  op: '=' | '!=' | '=~' | '!~' = '=',
): string {
  if (!LABEL_NAME.test(name)) {
    throw new Error(`not a Prometheus label name: ${name}`);
  }
  return `${name}${op}${quotePromQL(value)}`;
}

/** `metric{a="x",b="y"}`. */
export function selector(metric: string, matchers: string[]): string {
  return `${metric}{${matchers.join(',')}}`;
}

/** `by (a, b)`; `by ()` sums everything into one group. */
export function byClause(labels: string[]): string {
  return `by (${labels.join(', ')})`;
}

/** Where a window is evaluated: at fixed instants (a total) or at every step of a range query. */
export type WindowAt =
  | { kind: 'instant'; startSeconds: number; endSeconds: number }
  | { kind: 'step'; stepMs: number };

/**
 * How much a counter grew in a window, per series, exactly.
 *
 * PromQL's `increase()` extrapolates from the first and last sample in the
 * window to its edges, so a total over a window is not a whole number of
 * tokens, and the traffic between the last sample before the window and the
 * first one in it is guessed. Instead, per series: the last sample in the
 * window minus the last sample at or before its start (`@ start` or
 * `offset`), or minus 0 for a series born in the window (agentgateway
 * creates a series at its first request, so its first sample already counts
 * that request). A series whose counter reset in the window (a gateway
 * container restarted in place) falls back to `increase()`, the best
 * Prometheus can do across a reset. Windows that tile a range give sums
 * that add up to the total of the range.
 */
export function counterIncrease(series: string, at: WindowAt): string {
  const range =
    at.kind === 'instant'
      ? `[${Math.round((at.endSeconds - at.startSeconds) * 1000)}ms] @ ${
          at.endSeconds
        }`
      : `[${at.stepMs}ms]`;
  const before =
    at.kind === 'instant'
      ? `${series} @ ${at.startSeconds}`
      : `${series} offset ${at.stepMs}ms`;
  const last = `last_over_time(${series}${range})`;
  return `(((${last} - (${before} or ${last} * 0)) unless (resets(${series}${range}) > 0)) or increase(${series}${range}))`;
}

/** `increase()` of a histogram's buckets in the window, for `histogram_quantile`. */
export function bucketIncrease(series: string, at: WindowAt): string {
  const range =
    at.kind === 'instant'
      ? `[${Math.round((at.endSeconds - at.startSeconds) * 1000)}ms] @ ${
          at.endSeconds
        }`
      : `[${at.stepMs}ms]`;
  return `increase(${series}${range})`;
}

/** Steps a chart's resolution snaps to, in seconds. */
const NICE_STEPS = [
  1,
  5,
  15,
  30,
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
];

/**
 * The step of a time series over `rangeSeconds`: the smallest nice step
 * (1 s … 1 day) giving at most `maxPoints` points, and never finer than
 * `minStepSeconds` (below the scrape interval every point would repeat).
 */
export function chooseStepSeconds(
  rangeSeconds: number,
  maxPoints: number,
  minStepSeconds = 1,
): number {
  const wanted = Math.max(rangeSeconds / maxPoints, minStepSeconds);
  return NICE_STEPS.find(s => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
}
