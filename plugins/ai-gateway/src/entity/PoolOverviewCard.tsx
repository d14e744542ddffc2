import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CONTROL_PLANE_OPERATOR,
  explainPoolStatus,
  type Pool,
  type PoolStatus,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { Age } from '../components/Age';
import { ErrorText } from '../components/ErrorText';
import { KubernetesAccessNote } from '../components/KubernetesAccessNote';
import { PhaseStatus } from '../components/PhaseStatus';
import { PoolActions } from '../components/PoolActions';
import { drift, shortRevision } from '../components/revision';
import { readStoredPool } from '../hooks/usePool';
import { PoolInstallPanel } from './pool/PoolInstallPanel';

/** A pool nothing has been installed for yet: the overview offers the install. */
export function needsInstall(status: PoolStatus): boolean {
  return status.phase === 'Pending' || !status.heartbeat?.runningRevision;
}

function Guidance(props: { pool: Pool; status: PoolStatus }) {
  const guidance = explainPoolStatus(props.pool, props.status);
  return (
    <Box data-testid="pool-guidance" mb={1}>
      <Typography variant="body2">
        <b>Why:</b> {guidance.cause}
      </Typography>
      {guidance.nextStep && (
        <Typography variant="body2">
          <b>Next step:</b> {guidance.nextStep}
        </Typography>
      )}
    </Box>
  );
}

function StatusDetails(props: { status: PoolStatus }) {
  const s = props.status;
  const hb = s.heartbeat;
  const unhealthy = hb?.components.filter(c => !c.healthy) ?? [];
  const running = hb?.runningRevision ?? undefined;
  const { drifted } = drift({
    desiredRevision: s.desiredRevision,
    runningRevision: running,
  });
  let state = drifted ? 'not in sync' : 'in sync';
  if (!running) state = 'never applied';
  const revisionText = `desired ${
    s.desiredRevision ? shortRevision(s.desiredRevision) : 'unknown'
  }, running ${running ? shortRevision(running) : 'none'} (${state})`;
  return (
    <Box>
      <Typography variant="body2">
        Heartbeat: <Age at={hb?.receivedAt} />
        {hb && hb.operatorVersion === CONTROL_PLANE_OPERATOR
          ? ' (direct delivery: the control plane applies and reads back the pool)'
          : ''}
        {hb && hb.operatorVersion !== CONTROL_PLANE_OPERATOR
          ? ` (operator ${hb.operatorVersion})`
          : ''}
      </Typography>
      <Typography variant="body2" data-testid="pool-revision">
        Revision: {revisionText}
      </Typography>
      <Typography variant="body2">
        Components:{' '}
        {hb
          ? `${hb.components.length - unhealthy.length} of ${
              hb.components.length
            } healthy`
          : 'none reported'}
      </Typography>
      {unhealthy.slice(0, 5).map(c => (
        <ErrorText key={c.name} variant="caption" display="block">
          {c.name}: {c.message}
        </ErrorText>
      ))}
      <Box mt={1}>
        {s.conditions.map(c => (
          <Typography
            key={c.type}
            variant="caption"
            display="block"
            data-testid={`condition-${c.type}`}
          >
            <b>{c.type}</b> {c.status} ({c.reason})
            {c.message ? `: ${c.message}` : ''}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

/**
 * A pool's status at a glance: phase with its cause and next step
 * (explainPoolStatus), heartbeat age, desired and running revision,
 * component health and conditions, whether the portal's Kubernetes plugin
 * reads the pool's cluster; Force sync and Reseed for those who may change
 * the pool, and the install steps while nothing runs yet.
 *
 * @public
 */
export function PoolOverviewCard() {
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const status = useAsyncRetry(() => api.getPoolStatus(name), [api, name]);
  // The spec gives the guidance its cluster, namespace and delivery mode; the
  // status still shows when it cannot be read.
  const pool = useAsync(
    async () => readStoredPool((await api.getObject('pools', name)).spec).pool,
    [api, name],
  );

  let body;
  if (status.loading && !status.value) body = <Progress />;
  else if (status.error)
    body = (
      <ResponseErrorPanel
        title="The pool's status could not be loaded"
        error={status.error}
      />
    );
  else {
    const s = status.value!;
    body = (
      <Box data-testid="pool-overview">
        <Grid container spacing={3}>
          <Grid item xs={12} md={pool.value && needsInstall(s) ? 5 : 12}>
            <Box display="flex" alignItems="center" mb={1}>
              <PhaseStatus phase={s.phase} />
              <Typography variant="body2" style={{ marginLeft: 8 }}>
                since <Age at={s.phaseSince} />
              </Typography>
            </Box>
            {pool.value && <Guidance pool={pool.value} status={s} />}
            {pool.error && (
              <ErrorText variant="body2">
                The pool's settings could not be read ({pool.error.message}), so
                the cause of its phase cannot be explained.
              </ErrorText>
            )}
            <StatusDetails status={s} />
            {pool.value && (
              <Box mt={1}>
                <KubernetesAccessNote cluster={pool.value.cluster.name} />
              </Box>
            )}
            <Box mt={2}>
              <PoolActions pool={name} onRequested={status.retry} />
            </Box>
          </Grid>
          {pool.value && needsInstall(s) && (
            <Grid item xs={12} md={7} data-testid="overview-install">
              <Typography variant="h6" component="h3">
                Install
              </Typography>
              <Typography variant="body2" paragraph>
                Nothing runs for this pool yet. The Install tab has the same
                steps with the objects, files and install events.
              </Typography>
              <PoolInstallPanel pool={pool.value} compact />
            </Grid>
          )}
        </Grid>
      </Box>
    );
  }
  return <InfoCard title="AI gateway pool">{body}</InfoCard>;
}
