import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { aiGatewayPermissions } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { Age } from '../components/Age';
import { PhaseStatus } from '../components/PhaseStatus';
import { drift } from '../components/revision';

const ACTIONS = {
  sync: {
    label: 'Force sync',
    text: 'The operator re-reads the configuration and reconciles now.',
  },
  reseed: {
    label: 'Reseed',
    text: 'Every object of the pool is re-applied from the control plane. Running traffic is not affected.',
  },
} as const;

/**
 * A pool's overview: phase with its conditions, heartbeat age, desired and
 * running revision, operator version and component health; Force sync and
 * Reseed for those who may change the pool.
 *
 * @public
 */
export function PoolOverviewCard() {
  const { entity } = useEntity();
  const pool = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const status = useAsyncRetry(() => api.getPoolStatus(pool), [api, pool]);
  const { allowed } = usePermission({
    permission: aiGatewayPermissions.pool.update,
    resourceRef: `pool:${pool}`,
  });
  const [confirm, setConfirm] = useState<'sync' | 'reseed' | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();

  const run = async (what: 'sync' | 'reseed') => {
    setConfirm(undefined);
    try {
      await api.requestPool(pool, what);
      setOutcome(`${ACTIONS[what].label} requested`);
      status.retry();
    } catch (e) {
      setOutcome(`${ACTIONS[what].label} failed: ${(e as Error).message}`);
    }
  };

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
    const hb = s.heartbeat;
    const unhealthy = hb?.components.filter(c => !c.healthy) ?? [];
    const d = drift({
      desiredRevision: s.desiredRevision,
      runningRevision: hb?.runningRevision ?? undefined,
    });
    body = (
      <Box data-testid="pool-overview">
        <Box display="flex" alignItems="center" mb={1}>
          <PhaseStatus phase={s.phase} />
          <Typography variant="body2" style={{ marginLeft: 8 }}>
            since <Age at={s.phaseSince} />
          </Typography>
        </Box>
        <Typography variant="body2">
          Heartbeat: <Age at={hb?.receivedAt} />
          {hb ? ` (operator ${hb.operatorVersion})` : ''}
        </Typography>
        <Typography variant="body2">Revision: {d.label}</Typography>
        <Typography variant="body2">
          Components:{' '}
          {hb
            ? `${hb.components.length - unhealthy.length} of ${
                hb.components.length
              } healthy`
            : 'none reported'}
        </Typography>
        {unhealthy.slice(0, 5).map(c => (
          <Typography
            key={c.name}
            variant="caption"
            display="block"
            color="error"
          >
            {c.name}: {c.message}
          </Typography>
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
        <Box mt={2}>
          {(['sync', 'reseed'] as const).map(what => (
            <Button
              key={what}
              variant="outlined"
              size="small"
              disabled={!allowed}
              title={
                allowed ? ACTIONS[what].text : 'You may not change this pool'
              }
              onClick={() => setConfirm(what)}
              style={{ marginRight: 8 }}
            >
              {ACTIONS[what].label}
            </Button>
          ))}
          {outcome && <Typography variant="caption">{outcome}</Typography>}
        </Box>
        <Dialog open={!!confirm} onClose={() => setConfirm(undefined)}>
          <DialogTitle>
            {confirm && `${ACTIONS[confirm].label} pool ${pool}?`}
          </DialogTitle>
          <DialogContent>{confirm && ACTIONS[confirm].text}</DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirm(undefined)}>Cancel</Button>
            <Button color="primary" onClick={() => confirm && run(confirm)}>
              {confirm && ACTIONS[confirm].label}
            </Button>
          </DialogActions>
        </Dialog>
      </Box>
    );
  }
  return <InfoCard title="AI gateway pool">{body}</InfoCard>;
}
