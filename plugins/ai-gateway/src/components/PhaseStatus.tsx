import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { PoolPhase } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Tooltip from '@material-ui/core/Tooltip';
import type { ComponentType, PropsWithChildren } from 'react';

/**
 * Backstage's status indicator for each pool phase: Active is fine,
 * OutOfSync needs a sync, Degraded is broken, Stale has gone quiet and
 * Pending has never been heard from.
 */
const PHASE_STATUS: Record<PoolPhase, ComponentType<PropsWithChildren<{}>>> = {
  Active: StatusOK,
  OutOfSync: StatusWarning,
  Degraded: StatusError,
  Stale: StatusAborted,
  Pending: StatusPending,
};

/**
 * A pool's phase with its status icon; `reason` (why the pool is not Active)
 * shows on hover, `label` replaces the phase name as text (e.g. "3 Active").
 */
export function PhaseStatus(props: {
  phase: PoolPhase;
  reason?: string;
  label?: string;
  /** `phase-<phase>` unless given. */
  testId?: string;
}) {
  const { phase, reason, label, testId = `phase-${phase}` } = props;
  const Status = PHASE_STATUS[phase];
  // Backstage's Status components hide their text from assistive technology
  // (aria-hidden); the label gives the phase its accessible name again.
  const status = (
    <span
      data-testid={testId}
      role="img"
      aria-label={label ?? phase}
      style={{ display: 'inline-flex' }}
    >
      <Status>{label ?? phase}</Status>
    </span>
  );
  return reason ? <Tooltip title={reason}>{status}</Tooltip> : status;
}
