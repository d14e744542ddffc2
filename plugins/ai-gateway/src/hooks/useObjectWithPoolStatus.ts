import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/**
 * The current entity's MCP server or AI backend (by its metadata.name) and
 * the status of the pool it runs in; the status is undefined when it cannot
 * be read, so the object still shows.
 */
export function useObjectWithPoolStatus(plural: 'mcp-servers' | 'ai-backends') {
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  return useAsync(async () => {
    const object = await api.getObject(plural, name);
    const status = await api
      .getPoolStatus(object.spec.pool)
      .catch(() => undefined);
    return { object, status };
  }, [api, plural, name]);
}
