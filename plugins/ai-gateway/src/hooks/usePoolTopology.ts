import { useApi } from '@backstage/core-plugin-api';
import { buildPoolTopology } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/** Loads a pool and everything attached to it, and builds its topology. */
export function usePoolTopology(pool: string | undefined) {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async () => {
    if (!pool) throw new Error('This entity names no AI gateway pool');
    const [poolObject, mcpServers, aiBackends, policies, status] =
      await Promise.all([
        api.getObject('pools', pool),
        api.listInPool('mcp-servers', pool),
        api.listInPool('ai-backends', pool),
        api.listInPool('policies', pool),
        api.getPoolStatus(pool).catch(() => undefined),
      ]);
    return buildPoolTopology({
      pool: poolObject.spec as any,
      mcpServers: mcpServers.map(o => o.spec as any),
      aiBackends: aiBackends.map(o => o.spec as any),
      policies: policies.map(o => o.spec as any),
      status,
    });
  }, [api, pool]);
}
