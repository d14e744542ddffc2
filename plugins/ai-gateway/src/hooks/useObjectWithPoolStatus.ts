import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/**
 * The current entity's MCP server or AI backend (by its metadata.name), the
 * pool it runs in and that pool's status, and with `withPolicies` the pool's
 * policies; the pool, its status and policies are undefined when they cannot
 * be read, so the object still shows.
 */
export function useObjectWithPoolStatus(
  plural: 'mcp-servers' | 'ai-backends',
  options: { withPolicies?: boolean } = {},
) {
  const withPolicies = !!options.withPolicies;
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  return useAsync(async () => {
    const object = await api.getObject(plural, name);
    const [pool, status, policies] = await Promise.all([
      api.getObject('pools', object.spec.pool).catch(() => undefined),
      api.getPoolStatus(object.spec.pool).catch(() => undefined),
      withPolicies
        ? api.listInPool('policies', object.spec.pool).catch(() => undefined)
        : undefined,
    ]);
    return { object, pool, status, policies };
  }, [api, plural, name, withPolicies]);
}
