import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  aiGatewayApiRef,
  type UsageRequest,
  type UsageStatus,
  type UsageTimeSeriesResponse,
  type UsageTotalsResponse,
} from '../api/AiGatewayApi';

/** The time ranges the usage views offer, shortest first. */
export const USAGE_RANGES = [
  { value: '1h', label: 'Last hour' },
  { value: '6h', label: 'Last 6 hours' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
] as const;
export type UsageRangeValue = (typeof USAGE_RANGES)[number]['value'];

export const rangeLabel = (range: UsageRangeValue) =>
  USAGE_RANGES.find(r => r.value === range)!.label.toLocaleLowerCase('en-US');

/** The filters of a usage view (the object or team it is about). */
export type UsageScope = Omit<
  UsageRequest,
  'range' | 'from' | 'to' | 'measures' | 'groupBy'
>;

/** One series query of a view: which measures, broken down by what. */
export type UsageSeriesQuery = { measures: string[]; groupBy?: string[] };

export type UsageData = {
  status: UsageStatus;
  /** Absent when no metrics source is configured. */
  totals?: UsageTotalsResponse;
  /** One per series query, in the order given. */
  series: UsageTimeSeriesResponse[];
};

/**
 * Usage of a scope over a range: whether a metrics source is configured,
 * totals of `totalMeasures` (one row per `totalsGroupBy` group), and the
 * series queries. Nothing but the status is asked when no source is
 * configured; a change of scope, range or queries asks again.
 */
export function useUsage(options: {
  scope: UsageScope;
  range: UsageRangeValue;
  totalMeasures: string[];
  totalsGroupBy?: string[];
  series?: UsageSeriesQuery[];
  /** Skip the requests (e.g. no team chosen yet). */
  skip?: boolean;
}) {
  const api = useApi(aiGatewayApiRef);
  const { scope, range, totalMeasures, totalsGroupBy, series, skip } = options;
  // One string that changes when anything asked changes (the arrays are new on every render).
  const key = JSON.stringify({
    scope,
    range,
    totalMeasures,
    totalsGroupBy,
    series,
    skip,
  });
  return useAsyncRetry(async (): Promise<UsageData | undefined> => {
    if (skip) return undefined;
    const status = await api.getUsageStatus(scope.pool);
    if (!status.configured) return { status, series: [] };
    const request = (measures: string[], groupBy?: string[]) => ({
      ...scope,
      range,
      measures: measures.join(','),
      ...(groupBy?.length ? { groupBy: groupBy.join(',') } : {}),
    });
    const [totals, ...rest] = await Promise.all([
      api.getUsageTotals(request(totalMeasures, totalsGroupBy)),
      ...(series ?? []).map(q =>
        api.getUsageTimeSeries(request(q.measures, q.groupBy)),
      ),
    ]);
    return { status, totals, series: rest };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
}

/** Counter totals of the rows added up (rows are groups; non-admins get one per project). */
export function sumOf(
  totals: UsageTotalsResponse | undefined,
  measure: string,
): number | undefined {
  const values = (totals?.rows ?? [])
    .map(r => r.values[measure])
    .filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** A percentile measure: its value when one row has it, the highest of several rows otherwise. */
export function worstOf(
  totals: UsageTotalsResponse | undefined,
  measure: string,
): number | undefined {
  const values = (totals?.rows ?? [])
    .map(r => r.values[measure])
    .filter((v): v is number => typeof v === 'number');
  return values.length ? Math.max(...values) : undefined;
}

/** Whether any counter in the totals is above zero. */
export function hasTraffic(totals: UsageTotalsResponse | undefined): boolean {
  return (totals?.rows ?? []).some(r =>
    Object.values(r.values).some(v => typeof v === 'number' && v > 0),
  );
}

/** A group's value as the views show it: teams without their `group:default/` prefix. */
export function groupLabel(group: Record<string, string>): string {
  const values = Object.entries(group).map(([dimension, value]) =>
    dimension === 'team' ? value.replace(/^group:default\//, '') : value,
  );
  return values.length ? values.join(' · ') : 'all';
}

/** One measure of a time series, one chart series per group. */
export function chartSeriesOf(
  series: UsageTimeSeriesResponse | undefined,
  measure: string,
): Array<{ key: string; label: string; values: Array<number | null> }> {
  return (series?.rows ?? [])
    .filter(row => row.values[measure])
    .map((row, i) => ({
      key: `s${i}`,
      label: groupLabel(row.group),
      values: row.values[measure]!,
    }));
}

/**
 * A ratio of two measures per step, all groups added up (e.g. errors over
 * requests): null where the denominator has no data or is zero.
 */
export function ratioOverTime(
  series: UsageTimeSeriesResponse | undefined,
  numerator: string,
  denominator: string,
): Array<number | null> {
  const sumAt = (measure: string, i: number) => {
    const values = (series?.rows ?? [])
      .map(r => r.values[measure]?.[i])
      .filter((v): v is number => typeof v === 'number');
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  return (series?.timestamps ?? []).map((_, i) => {
    const d = sumAt(denominator, i);
    return d ? (sumAt(numerator, i) ?? 0) / d : null;
  });
}
