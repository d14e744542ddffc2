import { USAGE_UNKNOWN_LABEL_VALUE } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  dimensionLabel,
  dimensionMatcher,
  MEASURES,
  type MeasureSource,
} from './measures';
import pLimit from 'p-limit';
import type { PrometheusClient, PrometheusSample } from './PrometheusClient';
import {
  bucketIncrease,
  byClause,
  chooseStepSeconds,
  counterIncrease,
  labelMatcher,
  selector,
  type WindowAt,
} from './promql';
import {
  USAGE_DIMENSIONS,
  type UsageDimension,
  type UsageMeasure,
  type UsagePoolRef,
  type UsageQuery,
  type UsageService,
  type UsageSourceStatus,
  type UsageTimeSeries,
  type UsageTimeSeriesRow,
  type UsageTotals,
  type UsageTotalsRow,
} from './UsageService';
import {
  ClosedWindowCache,
  windowPieces,
  type TimeWindow,
} from './windowPieces';

/** The longest window a query may cover. */
export const MAX_USAGE_RANGE_MS = 90 * 86_400_000;
/** Prometheus refuses more than 11,000 points per series; charts need far fewer. */
const MAX_POINTS_LIMIT = 2000;
/** Totals over longer windows are added up from pieces (whole hours and days). */
const PIECES_ABOVE_MS = 6 * 3_600_000;
/**
 * How long after a piece ends its samples are taken as final: scrapes (and
 * remote writes) land late, so a just-ended hour is read again for a while.
 */
const CLOSED_AFTER_MS = 10 * 60_000;
/** Queries in flight to Prometheus per backend replica. */
const QUERY_CONCURRENCY = 4;

export interface PrometheusUsageServiceOptions {
  /** The Prometheus of pools whose cluster has none of its own. */
  global?: PrometheusClient;
  /** Per cluster name (`aiGateway.metrics.clusters`). */
  clusters?: Record<string, PrometheusClient>;
  /** Points of a time series when the caller gives no maximum (default 200). */
  defaultMaxPoints?: number;
  /** The finest step of a time series, e.g. the scrape interval (default 15 s). */
  minStepSeconds?: number;
  /** Samples of closed pieces of windows kept in memory (default 200,000). */
  closedWindowCacheSamples?: number;
  /** The clock (tests). */
  now?: () => number;
}

type GroupKey = string;
type Group = Partial<Record<UsageDimension, string>>;

/**
 * Usage read from Prometheus. A query about one pool asks the Prometheus of
 * the pool's cluster (or the global one); a query about every pool asks each
 * configured Prometheus and adds up their answers. Latency percentiles are
 * computed here from the histograms' buckets (added up across sources), with
 * the interpolation of PromQL's `histogram_quantile`.
 */
export class PrometheusUsageService implements UsageService {
  readonly #global?: PrometheusClient;
  readonly #clusters: Record<string, PrometheusClient>;
  readonly #defaultMaxPoints: number;
  readonly #minStepSeconds: number;
  readonly #closedWindows: ClosedWindowCache<PrometheusSample>;
  readonly #now: () => number;
  readonly #limit = pLimit(QUERY_CONCURRENCY);

  constructor(options: PrometheusUsageServiceOptions) {
    this.#global = options.global;
    this.#clusters = options.clusters ?? {};
    this.#defaultMaxPoints = options.defaultMaxPoints ?? 200;
    this.#minStepSeconds = options.minStepSeconds ?? 15;
    this.#closedWindows = new ClosedWindowCache({
      maxSamples: options.closedWindowCacheSamples ?? 200_000,
    });
    this.#now = options.now ?? Date.now;
  }

  getStatus(pool?: UsagePoolRef): UsageSourceStatus {
    const sources = this.#sources(pool);
    if (sources.length === 0) {
      return {
        configured: false,
        message: pool
          ? `No Prometheus is configured for cluster ${pool.cluster}: set aiGateway.metrics.prometheus.url, or aiGateway.metrics.clusters.${pool.cluster}.prometheus.url`
          : 'No Prometheus is configured: set aiGateway.metrics.prometheus.url (or aiGateway.metrics.clusters.<cluster>.prometheus.url)',
      };
    }
    return { configured: true, prometheusUrls: sources.map(s => s.url) };
  }

  async getTotals(query: UsageQuery): Promise<UsageTotals> {
    const sources = this.#requireSources(query);
    const groupBy = query.groupBy ?? [];
    const start = query.start.getTime();
    const end = query.end.getTime();
    const pieces =
      end - start > PIECES_ABOVE_MS
        ? windowPieces(start, end)
        : [{ start, end }];
    const rows = new Map<GroupKey, UsageTotalsRow>();
    const rowOf = (group: Group) => {
      const key = JSON.stringify(group);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { group, values: {} }));
      return row;
    };
    await Promise.all(
      query.measures.map(async measure => {
        const source = MEASURES[measure];
        const answers = await Promise.all(
          pieces.flatMap(piece =>
            sources.map(s =>
              this.#queryPiece(s, measure, source, query, piece),
            ),
          ),
        );
        if (source.kind === 'counter') {
          for (const sample of answers.flat()) {
            const row = rowOf(groupOf(sample.metric, measure, groupBy));
            row.values[measure] = tidy(
              (row.values[measure] ?? 0) + sample.value,
            );
          }
          return;
        }
        const buckets = new Map<GroupKey, { group: Group; le: Bucket[] }>();
        for (const sample of answers.flat()) {
          const group = groupOf(sample.metric, measure, groupBy);
          const key = JSON.stringify(group);
          const entry = buckets.get(key) ?? { group, le: [] };
          buckets.set(key, entry);
          addBucket(entry.le, sample.metric.le, sample.value);
        }
        for (const { group, le } of buckets.values()) {
          const value = histogramQuantile(source.quantile, le);
          if (value !== undefined) rowOf(group).values[measure] = value;
        }
      }),
    );
    return {
      start: query.start,
      end: query.end,
      rows: sortRows([...rows.values()]),
    };
  }

  async getTimeSeries(
    query: UsageQuery & { maxPoints?: number },
  ): Promise<UsageTimeSeries> {
    const sources = this.#requireSources(query);
    const maxPoints = query.maxPoints ?? this.#defaultMaxPoints;
    if (
      !Number.isInteger(maxPoints) ||
      maxPoints < 1 ||
      maxPoints > MAX_POINTS_LIMIT
    ) {
      throw new InputError(
        `maxPoints must be a whole number from 1 to ${MAX_POINTS_LIMIT}`,
      );
    }
    const groupBy = query.groupBy ?? [];
    const rangeMs = query.end.getTime() - query.start.getTime();
    // A window shorter than the nice step gets one point covering it whole.
    const stepSeconds = Math.min(
      chooseStepSeconds(
        rangeMs / 1000,
        maxPoints,
        Math.min(this.#minStepSeconds, rangeMs / 1000),
      ),
      Math.max(1, Math.floor(rangeMs / 1000)),
    );
    const stepMs = stepSeconds * 1000;
    const count = Math.max(1, Math.floor(rangeMs / stepMs));
    const first = query.start.getTime() + stepMs;
    const timestamps = Array.from(
      { length: count },
      (_, i) => first + i * stepMs,
    );
    const last = timestamps[timestamps.length - 1];
    const at: WindowAt = { kind: 'step', stepMs };
    const indexOf = (t: number) => Math.round((t * 1000 - first) / stepMs);

    const rows = new Map<GroupKey, UsageTimeSeriesRow>();
    const rowOf = (group: Group) => {
      const key = JSON.stringify(group);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { group, values: {} }));
      return row;
    };
    await Promise.all(
      query.measures.map(async measure => {
        const source = MEASURES[measure];
        const expr = this.#expression(measure, source, query, at);
        const answers = await Promise.all(
          sources.map(s =>
            s.queryRange(expr, new Date(first), new Date(last), stepSeconds),
          ),
        );
        if (source.kind === 'counter') {
          for (const series of answers.flat()) {
            const row = rowOf(groupOf(series.metric, measure, groupBy));
            const points = (row.values[measure] ??= new Array(count).fill(
              null,
            ));
            for (const [t, v] of series.values) {
              const i = indexOf(t);
              if (i >= 0 && i < count) points[i] = tidy((points[i] ?? 0) + v);
            }
          }
          return;
        }
        const buckets = new Map<
          GroupKey,
          { group: Group; steps: Bucket[][] }
        >();
        for (const series of answers.flat()) {
          const group = groupOf(series.metric, measure, groupBy);
          const key = JSON.stringify(group);
          const entry = buckets.get(key) ?? {
            group,
            steps: Array.from({ length: count }, () => []),
          };
          buckets.set(key, entry);
          for (const [t, v] of series.values) {
            const i = indexOf(t);
            if (i >= 0 && i < count)
              addBucket(entry.steps[i], series.metric.le, v);
          }
        }
        for (const { group, steps } of buckets.values()) {
          rowOf(group).values[measure] = steps.map(
            le => histogramQuantile(source.quantile, le) ?? null,
          );
        }
      }),
    );
    return {
      start: query.start,
      end: query.end,
      stepSeconds,
      timestamps,
      rows: sortRows([...rows.values()]),
    };
  }

  /**
   * The totals of one piece of a window from one Prometheus; a piece that
   * has closed is answered once and then from memory.
   */
  async #queryPiece(
    prometheus: PrometheusClient,
    measure: UsageMeasure,
    source: MeasureSource,
    query: UsageQuery,
    piece: TimeWindow,
  ): Promise<PrometheusSample[]> {
    const expr = this.#expression(measure, source, query, {
      kind: 'instant',
      startSeconds: piece.start / 1000,
      endSeconds: piece.end / 1000,
    });
    const closed = piece.end <= this.#now() - CLOSED_AFTER_MS;
    const key = `${prometheus.url}\n${expr}`;
    const cached = closed ? this.#closedWindows.get(key) : undefined;
    if (cached) return cached;
    const answer = await this.#limit(() =>
      prometheus.query(expr, new Date(piece.end)),
    );
    if (closed) this.#closedWindows.set(key, answer);
    return answer;
  }

  #sources(pool?: UsagePoolRef): PrometheusClient[] {
    if (pool) {
      const source = this.#clusters[pool.cluster] ?? this.#global;
      return source ? [source] : [];
    }
    const all = [
      ...(this.#global ? [this.#global] : []),
      ...Object.values(this.#clusters),
    ];
    // Clusters that share one Prometheus (or the global one) are asked once.
    return [...new Map(all.map(s => [s.url, s])).values()];
  }

  #requireSources(query: UsageQuery): PrometheusClient[] {
    validate(query);
    const status = this.getStatus(query.pool);
    if (!status.configured) throw new ServiceUnavailableError(status.message);
    return this.#sources(query.pool);
  }

  #expression(
    measure: UsageMeasure,
    source: MeasureSource,
    query: UsageQuery,
    at: WindowAt,
  ): string {
    const matchers: string[] =
      source.kind === 'counter'
        ? source.matchers.map(([name, value, op]) =>
            labelMatcher(name, value, op),
          )
        : [];
    const extra = new Set<UsageDimension>();
    const labelFor = (dimension: UsageDimension, field: string) => {
      const label = dimensionLabel(measure, dimension);
      if (!label) {
        throw new InputError(
          `${field} ${dimension} does not apply to measure ${measure}`,
        );
      }
      extra.add(dimension);
      return label;
    };
    if (query.pool) {
      matchers.push(
        labelMatcher(
          labelFor('pool', 'pool'),
          `${query.pool.namespace}/${query.pool.name}`,
        ),
      );
    }
    for (const [dimension, value] of Object.entries(query.filter ?? {})) {
      if (value === undefined) continue;
      matchers.push(
        labelMatcher(
          labelFor(dimension as UsageDimension, `filter.${dimension}`),
          value,
        ),
      );
    }
    const groupLabels = (query.groupBy ?? []).map(d => labelFor(d, 'groupBy'));
    for (const dimension of extra) {
      const matcher = dimensionMatcher(dimension);
      if (matcher) matchers.push(labelMatcher(...matcher));
    }
    if (source.kind === 'counter') {
      return `sum ${byClause(groupLabels)} (${counterIncrease(
        selector(source.series, matchers),
        at,
      )})`;
    }
    return `sum ${byClause(['le', ...groupLabels])} (${bucketIncrease(
      selector(`${source.histogram}_bucket`, matchers),
      at,
    )})`;
  }
}

function validate(query: UsageQuery) {
  const start = query.start?.getTime();
  const end = query.end?.getTime();
  if (!Number.isFinite(start)) throw new InputError('start must be a time');
  if (!Number.isFinite(end)) throw new InputError('end must be a time');
  if (end <= start) throw new InputError('end must be after start');
  if (end - start > MAX_USAGE_RANGE_MS) {
    throw new InputError('the range from start to end must be at most 90 days');
  }
  if (!query.measures?.length) {
    throw new InputError('measures must name at least one measure');
  }
  for (const measure of query.measures) {
    if (!(measure in MEASURES)) {
      throw new InputError(`measures: unknown measure ${measure}`);
    }
  }
  for (const dimension of query.groupBy ?? []) {
    if (!USAGE_DIMENSIONS.includes(dimension)) {
      throw new InputError(`groupBy: unknown dimension ${dimension}`);
    }
  }
  for (const [dimension, value] of Object.entries(query.filter ?? {})) {
    if (
      !USAGE_DIMENSIONS.includes(dimension as UsageDimension) ||
      dimension === 'pool'
    ) {
      throw new InputError(`filter: unknown dimension ${dimension}`);
    }
    if (value !== undefined && (typeof value !== 'string' || !value)) {
      throw new InputError(`filter.${dimension} must be a non-empty string`);
    }
  }
}

function groupOf(
  metric: Record<string, string>,
  measure: UsageMeasure,
  groupBy: UsageDimension[],
): Group {
  const group: Group = {};
  for (const dimension of groupBy) {
    // A series without the label (e.g. from before attribution was set up).
    group[dimension] =
      metric[dimensionLabel(measure, dimension)!] ?? USAGE_UNKNOWN_LABEL_VALUE;
  }
  return group;
}

/** Float noise off sums of decimal amounts (costs): micro-units are plenty. */
function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function sortRows<T extends { group: Group }>(rows: T[]): T[] {
  return rows.sort((a, b) =>
    JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)),
  );
}

type Bucket = { le: number; count: number };

function addBucket(buckets: Bucket[], le: string | undefined, count: number) {
  if (le === undefined || Number.isNaN(count)) return;
  const bound = le === '+Inf' ? Infinity : Number(le);
  const existing = buckets.find(b => b.le === bound);
  if (existing) existing.count += count;
  else buckets.push({ le: bound, count });
}

/**
 * The q-quantile of cumulative histogram buckets, as PromQL's
 * `histogram_quantile` computes it: linear interpolation inside the bucket
 * the rank falls in; the highest finite bound when it falls in `+Inf`.
 * Undefined when there were no observations.
 */
export function histogramQuantile(
  q: number,
  buckets: Bucket[],
): number | undefined {
  const sorted = buckets.map(b => ({ ...b })).sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity) {
    return undefined;
  }
  // Cumulative counts from increase() can dip by float error; keep them monotonic.
  for (let i = 1; i < sorted.length; i++) {
    sorted[i].count = Math.max(sorted[i].count, sorted[i - 1].count);
  }
  const total = sorted[sorted.length - 1].count;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  const i = sorted.findIndex(b => b.count >= rank);
  if (i === sorted.length - 1) return sorted[sorted.length - 2].le;
  const upper = sorted[i].le;
  // Below the first bucket PromQL assumes 0 as the lower bound (if the bound is positive).
  let lower = i === 0 ? 0 : sorted[i - 1].le;
  if (i === 0 && upper <= 0) lower = upper;
  const below = i === 0 ? 0 : sorted[i - 1].count;
  const inBucket = sorted[i].count - below;
  if (inBucket <= 0) return upper;
  return lower + ((upper - lower) * (rank - below)) / inBucket;
}
