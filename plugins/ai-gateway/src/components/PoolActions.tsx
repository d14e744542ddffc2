import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { aiGatewayPermissions } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

export type PoolAction = 'sync' | 'reseed';

const ACTIONS: Record<PoolAction, { label: string; text: string }> = {
  sync: {
    label: 'Force sync',
    text: 'The operator re-reads the configuration and reconciles now.',
  },
  reseed: {
    label: 'Reseed',
    text: 'Every object of the pool is re-applied from the control plane. Running traffic is not affected.',
  },
};

/**
 * Whether the signed-in user may change the pool (`ai-gateway.pool.update`
 * on `pool:<name>`); the buttons that change a pool are disabled otherwise.
 */
export function usePoolUpdatePermission(pool: string) {
  return usePermission({
    permission: aiGatewayPermissions.pool.update,
    resourceRef: `pool:${pool}`,
  });
}

/**
 * Force sync and Reseed buttons, each confirmed in a dialog and disabled
 * (with the reason next to them) without `ai-gateway.pool.update`.
 */
export function PoolActions(props: {
  pool: string;
  actions?: PoolAction[];
  /** Called after a request succeeded (e.g. to reload the status). */
  onRequested?: () => void;
}) {
  const { pool, actions = ['sync', 'reseed'], onRequested } = props;
  const api = useApi(aiGatewayApiRef);
  const { allowed, loading } = usePoolUpdatePermission(pool);
  const [confirm, setConfirm] = useState<PoolAction | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();

  const run = async (what: PoolAction) => {
    setConfirm(undefined);
    try {
      await api.requestPool(pool, what);
      setOutcome(`${ACTIONS[what].label} requested`);
      onRequested?.();
    } catch (e) {
      setOutcome(`${ACTIONS[what].label} failed: ${(e as Error).message}`);
    }
  };
  const titleId = `pool-action-title-${pool}`;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      {actions.map(what => (
        <Button
          key={what}
          variant="outlined"
          size="small"
          disabled={!allowed}
          title={ACTIONS[what].text}
          onClick={() => setConfirm(what)}
          style={{ marginRight: 8 }}
        >
          {ACTIONS[what].label}
        </Button>
      ))}
      {!allowed && !loading && (
        <Typography variant="caption" style={{ marginRight: 8 }}>
          You may not change pool {pool} (needs ai-gateway.pool.update).
        </Typography>
      )}
      {outcome && (
        <Typography variant="caption" role="status">
          {outcome}
        </Typography>
      )}
      <Dialog
        open={!!confirm}
        onClose={() => setConfirm(undefined)}
        aria-labelledby={titleId}
      >
        <DialogTitle id={titleId}>
          {confirm && `${ACTIONS[confirm].label} pool ${pool}?`}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {confirm && ACTIONS[confirm].text}
          </DialogContentText>
        </DialogContent>
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
