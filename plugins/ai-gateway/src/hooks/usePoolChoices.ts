import { useApi } from '@backstage/core-plugin-api';
import {
  explainPoolStatus,
  type PoolPhase,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

export type PoolChoice = {
  name: string;
  project: string;
  cluster: string;
  phase?: PoolPhase;
  /** True when the pool serves what is deployed to it (Active). */
  served: boolean;
  /** Why the pool is in its phase, in words (explainPoolStatus). */
  cause: string;
  /** What to do about it; undefined when nothing is needed. */
  nextStep?: string;
};

/**
 * The pools the signed-in user may use (the control plane answers only
 * those), of one project when given, each with its phase and what it means
 * (undefined phase when its status cannot be read).
 */
export function usePoolChoices(project: string | undefined) {
  const api = useApi(aiGatewayApiRef);
  return useAsync(async (): Promise<PoolChoice[]> => {
    const pools = await api.listPools(project ? { project } : {});
    return Promise.all(
      pools.map(async p => {
        const status = await api.getPoolStatus(p.name).catch(() => undefined);
        const guidance = explainPoolStatus(
          {
            name: p.name,
            namespace: p.spec.namespace,
            cluster: { name: p.spec.cluster?.name },
            delivery: { mode: p.spec.delivery?.mode ?? 'agent' },
          },
          status,
        );
        return {
          name: p.name,
          project: p.project,
          cluster: `${p.spec.cluster?.name}/${p.spec.namespace}`,
          phase: status?.phase,
          ...guidance,
        };
      }),
    );
  }, [api, project]);
}
