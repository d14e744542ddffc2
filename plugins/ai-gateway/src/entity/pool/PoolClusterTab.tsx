import { InfoCard } from '@backstage/core-components';
import {
  poolImages,
  type ClusterType,
  type DeliveryMode,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import { DetailsTable } from '../../components/DetailsTable';
import { PoolTabFrame } from '../../components/PoolTabFrame';

/** The cluster types as the pool form names them. */
export const CLUSTER_TYPE_LABELS: Record<ClusterType, string> = {
  eks: 'Amazon EKS',
  aks: 'Azure AKS',
  gke: 'Google GKE',
  openshift: 'Red Hat OpenShift',
  native: 'Native Kubernetes',
};

/** What each delivery mode means for who applies the pool's manifests. */
export const DELIVERY_MODES: Record<
  DeliveryMode,
  { label: string; meaning: string }
> = {
  direct: {
    label: 'Direct',
    meaning:
      'The control plane applies the manifests with server-side apply to this cluster (as named in kubernetes.clusterLocatorMethods). No operator runs in the cluster.',
  },
  agent: {
    label: 'Agent',
    meaning:
      'The operator in the cluster connects out to the control plane, sends heartbeats, pulls the desired manifests and applies them in its namespace. Works for private clusters the portal cannot reach.',
  },
  gitops: {
    label: 'GitOps',
    meaning:
      'The manifests are published as a kustomize directory to a repository that Argo CD or Flux applies; the operator in the cluster reports status.',
  },
};

const NO_OPERATOR = 'Not used: no operator runs with direct delivery';

function serviceAccount(pool: Pool): string {
  if (pool.delivery.mode === 'direct') {
    return pool.serviceAccount
      ? `${pool.serviceAccount} (set, but unused: no operator runs with direct delivery)`
      : NO_OPERATOR;
  }
  return pool.serviceAccount
    ? `${pool.serviceAccount}, provided by the pool: the install only checks that it exists, so its Role and RoleBinding must already be bound`
    : 'Created by the bootstrap, together with its Role and RoleBinding';
}

function operatorImage(pool: Pool): string {
  if (pool.delivery.mode === 'direct') return NO_OPERATOR;
  const image = poolImages(pool).operator;
  return pool.images.operator ? image : `${image} (release default)`;
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * Where the pool runs and how its manifests reach the cluster.
 *
 * @public
 */
export function PoolClusterTab() {
  return (
    <PoolTabFrame title="Cluster">
      {pool => {
        const delivery = DELIVERY_MODES[pool.delivery.mode];
        const gitops =
          pool.delivery.mode === 'gitops' ? pool.delivery : undefined;
        return (
          <>
            <Grid item xs={12} md={6}>
              <InfoCard title="Cluster" variant="gridItem">
                <div data-testid="pool-cluster">
                  <DetailsTable
                    rows={{
                      Pool: pool.name,
                      Project: pool.project,
                      Description: pool.description,
                      Cluster: pool.cluster.name,
                      'Cluster type': CLUSTER_TYPE_LABELS[pool.cluster.type],
                      Namespace: pool.namespace,
                      Gateway: pool.gateway,
                    }}
                  />
                </div>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Delivery and operator" variant="gridItem">
                <div data-testid="pool-delivery">
                  <DetailsTable
                    rows={{
                      'Delivery mode': `${delivery.label}: ${delivery.meaning}`,
                      Repository: gitops && (gitops.repoUrl ?? 'Not set'),
                      Branch: gitops && (gitops.branch ?? 'Not set'),
                      Path: gitops && (gitops.path ?? 'Not set'),
                      'Service account': serviceAccount(pool),
                      'Operator image': operatorImage(pool),
                      'Stale after': `${duration(
                        pool.heartbeatStaleSeconds,
                      )} without a heartbeat`,
                    }}
                  />
                </div>
              </InfoCard>
            </Grid>
          </>
        );
      }}
    </PoolTabFrame>
  );
}
