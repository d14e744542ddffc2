import { InfoCard } from '@backstage/core-components';
import {
  explainPoolStatus,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../../api/AiGatewayApi';
import { KubernetesAccessNote } from '../../components/KubernetesAccessNote';
import { PoolTabFrame } from '../../components/PoolTabFrame';
import { InstallEvents, PoolInstallPanel } from './PoolInstallPanel';

const MODE_TITLES: Record<Pool['delivery']['mode'], string> = {
  agent: 'Install the operator (agent delivery)',
  gitops: 'Publish the GitOps folder (gitops delivery)',
  direct: 'Let the control plane apply the pool (direct delivery)',
};

function InstallCards(props: { pool: Pool }) {
  const { pool } = props;
  const api = useApi(aiGatewayApiRef);
  const status = useAsync(() => api.getPoolStatus(pool.name), [api, pool.name]);
  const guidance = status.loading
    ? undefined
    : explainPoolStatus(pool, status.value);
  return (
    <>
      <Grid item xs={12} md={8}>
        <InfoCard title={MODE_TITLES[pool.delivery.mode]}>
          {guidance && (
            <Typography variant="body2" paragraph data-testid="install-state">
              Now {status.value?.phase ?? 'unknown'}: {guidance.cause}
              {guidance.nextStep ? ` Next step: ${guidance.nextStep}` : ''}
            </Typography>
          )}
          <PoolInstallPanel pool={pool} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Cluster access and events">
          <KubernetesAccessNote cluster={pool.cluster.name} />
          <Typography variant="body2" paragraph />
          <InstallEvents pool={pool.name} />
        </InfoCard>
      </Grid>
    </>
  );
}

/**
 * The Install tab of a pool: per delivery mode, everything needed to get
 * the pool running in its cluster, with the install events.
 *
 * @public
 */
export function PoolInstallTab() {
  return (
    <PoolTabFrame title="Install">
      {pool => <InstallCards pool={pool} />}
    </PoolTabFrame>
  );
}
