import { useApi } from '@backstage/core-plugin-api';
import { budgetWindowAt } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/** A pool's spend in the window: US dollars and input plus output tokens, as far as reported. */
export type PoolSpend = { costUsd?: number; tokens?: number };

/** The fleet's spend this calendar month, or why there is none. */
export type FleetSpend =
  | { state: 'not-configured' }
  | { state: 'unavailable'; message: string }
  | {
      state: 'ok';
      /** Start of the month (UTC, ISO-8601). */
      from: string;
      /** By the pool as the gateway names itself: `<namespace>/<pool>`. */
      byGateway: Map<string, PoolSpend>;
    };

/** The key of a pool in `byGateway`. */
export const gatewayOf = (pool: { namespace: string; pool: string }) =>
  `${pool.namespace}/${pool.pool}`;

/**
 * Spend per pool this calendar month (UTC), in one usage query grouped by
 * pool; nothing is asked when no metrics source is configured. Apart from
 * the fleet itself, so the fleet shows while Prometheus is slow or down.
 */
export function useFleetSpend() {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async (): Promise<FleetSpend> => {
    // Without the status (e.g. an older control plane) the page shows no spend column.
    const status = await api
      .getUsageStatus()
      .catch(() => ({ configured: false }));
    if (!status.configured) return { state: 'not-configured' };
    const from = budgetWindowAt('monthly', new Date()).start.toISOString();
    try {
      const totals = await api.getUsageTotals({
        from,
        groupBy: 'pool',
        measures: 'costUsd,inputTokens,outputTokens',
      });
      const byGateway = new Map<string, PoolSpend>();
      // A caller who sees some projects only gets a row per pool and project: added up.
      for (const row of totals.rows) {
        const key = row.group.pool ?? '';
        const sum = byGateway.get(key) ?? {};
        const add = (now: number | undefined, more: number | undefined) =>
          more === undefined ? now : (now ?? 0) + more;
        const tokens =
          row.values.inputTokens === undefined &&
          row.values.outputTokens === undefined
            ? undefined
            : (row.values.inputTokens ?? 0) + (row.values.outputTokens ?? 0);
        byGateway.set(key, {
          costUsd: add(sum.costUsd, row.values.costUsd),
          tokens: add(sum.tokens, tokens),
        });
      }
      return { state: 'ok', from: totals.from, byGateway };
    } catch (error) {
      return {
        state: 'unavailable',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }, [api]);
}
