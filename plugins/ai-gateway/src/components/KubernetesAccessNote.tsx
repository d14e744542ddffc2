import { StatusOK, StatusWarning } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import { useKubernetesClusterAccess } from '../hooks/useKubernetesClusters';

/**
 * Says whether the portal's Kubernetes plugin can read the pool's cluster,
 * so an empty Kubernetes tab is not mistaken for "nothing runs there".
 */
export function KubernetesAccessNote(props: { cluster: string }) {
  const { cluster } = props;
  const access = useKubernetesClusterAccess(cluster);
  if (access.state === 'loading') return null;
  // The status icons hide their children from assistive technology, so the
  // words go beside them.
  let icon = <StatusWarning />;
  let headline: string;
  let text: ReactNode;
  if (access.state === 'readable') {
    icon = <StatusOK />;
    headline = `Kubernetes tab: cluster ${cluster} is readable.`;
    text = `The portal's Kubernetes plugin reads cluster ${cluster}; the Kubernetes tab shows the pool's workloads there.`;
  } else if (access.state === 'not-configured') {
    headline = `Kubernetes tab: cluster ${cluster} is not configured.`;
    text = `${
      access.noBackend
        ? 'This portal has no Kubernetes backend, so the Kubernetes tab shows no objects.'
        : `The Kubernetes tab shows objects only for clusters the portal is configured for (${
            access.clusters.length ? access.clusters.join(', ') : 'none'
          }); cluster ${cluster} is not one of them, so the tab says "No resources" even when the pool runs.`
    } To see them there, add cluster ${cluster} to kubernetes.clusterLocatorMethods in the portal's app-config.`;
  } else {
    headline = 'Kubernetes tab: access unknown.';
    text = `Could not ask the portal's Kubernetes plugin which clusters it reads (${access.error.message}).`;
  }
  return (
    <Typography
      variant="body2"
      component="div"
      data-testid="kubernetes-access"
      data-state={access.state}
    >
      {icon}
      <b>{headline}</b> {text}
    </Typography>
  );
}
