/**
 * What the portal asks about usage: totals and time series of tokens, cost,
 * requests, errors and latency, grouped and filtered by the dimensions the
 * gateways label their metrics with.
 */

import {
  usageDimensions,
  type UsageDimensionName,
  type UsageMeasureName,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * What a usage row is grouped or filtered by (the REST API's list, one list
 * for both): `pool` is the pool as the gateway names itself
 * (`<namespace>/<pool>`); `team` a catalog group ref; `model`, `mcpServer`
 * and `tool` apply to LLM and MCP measures only; `route` is the
 * `<namespace>/<HTTPRoute>` that served the request.
 */
export type UsageDimension = UsageDimensionName;

export const USAGE_DIMENSIONS: readonly UsageDimension[] = usageDimensions;

/**
 * What is measured (the REST API's list). Token and cost measures are LLM
 * traffic; latencies are seconds; `errors` are requests answered with a 5xx.
 */
export type UsageMeasure = UsageMeasureName;

/** The pool whose gateway served the traffic (chooses the Prometheus of its cluster). */
export interface UsagePoolRef {
  name: string;
  namespace: string;
  cluster: string;
}

export interface UsageQuery {
  /** Start of the window (exclusive). */
  start: Date;
  /** End of the window (inclusive). */
  end: Date;
  measures: UsageMeasure[];
  /** Dimensions to group rows by; none gives one row. */
  groupBy?: UsageDimension[];
  /** Only the traffic of this pool (and only its cluster's Prometheus is asked). */
  pool?: UsagePoolRef;
  /** Only rows with these values (the pool dimension comes from `pool`). */
  filter?: Partial<Record<Exclude<UsageDimension, 'pool'>, string>>;
}

export interface UsageTotalsRow {
  /** The value of each `groupBy` dimension. */
  group: Partial<Record<UsageDimension, string>>;
  /** Each measure asked for that has data for this group. */
  values: Partial<Record<UsageMeasure, number>>;
}

export interface UsageTotals {
  start: Date;
  end: Date;
  rows: UsageTotalsRow[];
}

export interface UsageTimeSeriesRow {
  group: Partial<Record<UsageDimension, string>>;
  /** One value per timestamp; null where the measure has no data at that step. */
  values: Partial<Record<UsageMeasure, Array<number | null>>>;
}

export interface UsageTimeSeries {
  start: Date;
  end: Date;
  stepSeconds: number;
  /**
   * The end of each step (ms since the epoch); a point is the usage in the
   * step before it, so the points of a counter measure add up to its total
   * over the series' window (`start` to the last timestamp).
   */
  timestamps: number[];
  rows: UsageTimeSeriesRow[];
}

/** Whether usage can be read, and if not, what to configure. */
export type UsageSourceStatus =
  | { configured: true; prometheusUrls: string[] }
  | { configured: false; message: string };

/** Usage of the gateways, read from their metrics. */
export interface UsageService {
  /** Where usage of the pool (or of every pool) is read from, or what to configure. */
  getStatus(pool?: UsagePoolRef): UsageSourceStatus;
  /** Totals over the window, exact for counters (see `counterIncrease`). */
  getTotals(query: UsageQuery): Promise<UsageTotals>;
  /** Per step over the window; the step follows from the range and the maximum number of points. */
  getTimeSeries(
    query: UsageQuery & { maxPoints?: number },
  ): Promise<UsageTimeSeries>;
}
