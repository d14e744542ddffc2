import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/**
 * Whether the portal's Kubernetes plugin can read a cluster: `readable`
 * when the kubernetes-backend lists it, `not-configured` when it does not
 * (or the portal has no Kubernetes backend), `unknown` when the list could
 * not be read (e.g. no kubernetes.clusters.read permission).
 */
export type KubernetesClusterAccess =
  | { state: 'loading' }
  | { state: 'readable' }
  | { state: 'not-configured'; clusters: string[]; noBackend: boolean }
  | { state: 'unknown'; error: Error };

export function useKubernetesClusterAccess(
  cluster: string,
): KubernetesClusterAccess {
  const api = useApi(aiGatewayApiRef);
  const clusters = useAsync(() => api.getKubernetesClusters(), [api]);
  if (clusters.loading) return { state: 'loading' };
  if (clusters.error) return { state: 'unknown', error: clusters.error };
  const names = clusters.value;
  if (names?.includes(cluster)) return { state: 'readable' };
  return {
    state: 'not-configured',
    clusters: names ?? [],
    noBackend: names === undefined,
  };
}
