import { useApi } from '@backstage/core-plugin-api';
import {
  topologyTraffic,
  type NodeTraffic,
  type Topology,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/** The window the topology's request and error rates are over. */
export const TRAFFIC_WINDOW_MS = 5 * 60_000;

/** Request and error rates per topology node, or why there are none. */
export type PoolTraffic =
  | { state: 'not-configured' }
  | { state: 'unavailable'; message: string }
  | { state: 'ok'; byNode: Map<string, NodeTraffic> };

/**
 * The request rate and error rate of the pool's gateway, MCP servers and AI
 * backends over the last 5 minutes: one usage query of the pool grouped by
 * route, none when no metrics source is configured. Never fails: the
 * topology is drawn without rates when usage cannot be read.
 */
export function usePoolTraffic(
  pool: string | undefined,
  topology: Topology | undefined,
) {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async (): Promise<PoolTraffic | undefined> => {
    if (!pool || !topology) return undefined;
    const status = await api
      .getUsageStatus(pool)
      .catch(() => ({ configured: false }));
    if (!status.configured) return { state: 'not-configured' };
    const to = new Date();
    try {
      const totals = await api.getUsageTotals({
        from: new Date(to.getTime() - TRAFFIC_WINDOW_MS).toISOString(),
        to: to.toISOString(),
        pool,
        groupBy: 'route',
        measures: 'requests,errors',
      });
      const seconds = (Date.parse(totals.to) - Date.parse(totals.from)) / 1000;
      return {
        state: 'ok',
        byNode: topologyTraffic(
          topology,
          totals.rows,
          seconds > 0 ? seconds : TRAFFIC_WINDOW_MS / 1000,
        ),
      };
    } catch (error) {
      return {
        state: 'unavailable',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }, [api, pool, topology]);
}
