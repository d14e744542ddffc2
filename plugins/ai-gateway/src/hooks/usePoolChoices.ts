import { useApi } from '@backstage/core-plugin-api';
import type { PoolPhase } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

export type PoolChoice = {
  name: string;
  project: string;
  cluster: string;
  phase?: PoolPhase;
};

/**
 * The pools the signed-in user may use (the control plane answers only
 * those), of one project when given, each with its phase (undefined when its
 * status cannot be read).
 */
export function usePoolChoices(project: string | undefined) {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async (): Promise<PoolChoice[]> => {
    const pools = await api.listPools(project ? { project } : {});
    return Promise.all(
      pools.map(async p => ({
        name: p.name,
        project: p.project,
        cluster: `${p.spec.cluster?.name}/${p.spec.namespace}`,
        phase: await api
          .getPoolStatus(p.name)
          .then(s => s.phase)
          .catch(() => undefined),
      })),
    );
  }, [api, project]);
}
