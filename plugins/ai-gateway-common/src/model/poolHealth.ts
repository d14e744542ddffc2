import type { z } from 'zod';
import type { fleetEntrySchema, poolStatusSchema } from './api';
import type { Condition, Heartbeat, PoolPhase } from './status';
import { CONTROL_PLANE_OPERATOR } from './poolGuidance';

/**
 * A pool's observed state, as the control plane keeps and serves it (`GET /pools/:name/status`).
 *
 * @public
 */
export type PoolStatus = z.infer<typeof poolStatusSchema>;

/** @public */
export type PoolHealthInput = {
  now: Date;
  heartbeat?: Heartbeat;
  heartbeatStaleSeconds: number;
  desiredRevision?: string;
  /**
   * Unready components right after an apply are a rollout in progress, not a
   * failure, for this long (like a Deployment's progressDeadlineSeconds).
   */
  progressDeadlineSeconds?: number;
};

const PROGRESS_DEADLINE_SECONDS = 300;

type Derived = Omit<Condition, 'lastTransitionTime'>;

/**
 * Derives the phase and conditions of a pool (docs/delivery.md, "Health"):
 * Pending (never heard from) → Active (heartbeat fresh, running revision =
 * desired, components healthy) / OutOfSync (another revision runs, or the
 * desired one is still rolling out) / Degraded (components unhealthy past
 * the rollout deadline, or the last apply failed) / Stale (no heartbeat for
 * heartbeatStaleSeconds). Pure: the monitor and the tests call it alike.
 *
 * @public
 */
export function derivePoolHealth(
  input: PoolHealthInput,
  previous?: Pick<PoolStatus, 'phase' | 'phaseSince' | 'conditions'>,
): { phase: PoolPhase; phaseSince: string; conditions: Condition[] } {
  const { heartbeat, now } = input;
  const conditions: Derived[] = [];
  let phase: PoolPhase;

  if (!heartbeat?.receivedAt) {
    conditions.push({
      type: 'OperatorConnected',
      status: 'False',
      reason: 'HeartbeatMissing',
      message:
        'No heartbeat has been received yet: the operator is not installed or cannot reach the control plane',
    });
    phase = 'Pending';
  } else {
    const ageSeconds =
      (now.getTime() - Date.parse(heartbeat.receivedAt)) / 1000;
    const stale = ageSeconds > input.heartbeatStaleSeconds;
    if (stale) {
      conditions.push({
        type: 'OperatorConnected',
        status: 'False',
        reason: 'HeartbeatStale',
        // Times, not ages: a message that changes on every pass would
        // make the health monitor rewrite every status every pass.
        message: `The last heartbeat was at ${heartbeat.receivedAt} (stale after ${input.heartbeatStaleSeconds} s)`,
      });
    } else if (heartbeat.operatorVersion === CONTROL_PLANE_OPERATOR) {
      conditions.push({
        type: 'OperatorConnected',
        status: 'True',
        reason: 'ControlPlaneDelivers',
        message: `Direct delivery: no operator runs in the cluster; the control plane applied and read back this pool at ${heartbeat.receivedAt}`,
      });
    } else {
      conditions.push({
        type: 'OperatorConnected',
        status: 'True',
        reason: 'HeartbeatReceived',
        message: `Operator ${heartbeat.operatorVersion} reported at ${heartbeat.receivedAt}`,
      });
    }
    const running = heartbeat.runningRevision ?? undefined;
    const inSync = !!input.desiredRevision && running === input.desiredRevision;
    conditions.push(
      inSync
        ? {
            type: 'InSync',
            status: 'True',
            reason: 'RevisionApplied',
            message: `Running ${running}`,
          }
        : {
            type: 'InSync',
            status: 'False',
            reason: running ? 'RevisionDiffers' : 'NeverApplied',
            message: running
              ? `Running ${running}, desired ${
                  input.desiredRevision ?? 'unknown'
                }`
              : `Nothing applied yet; desired ${
                  input.desiredRevision ?? 'unknown'
                }`,
          },
    );
    const lastApply = heartbeat.lastApply;
    if (lastApply) {
      conditions.push(
        lastApply.succeeded
          ? {
              type: 'Applied',
              status: 'True',
              reason: 'ApplySucceeded',
              message: `Applied ${lastApply.revision}`,
            }
          : {
              type: 'Applied',
              status: 'False',
              reason: 'ApplyFailed',
              message:
                lastApply.message ?? `Applying ${lastApply.revision} failed`,
            },
      );
    }
    const unhealthy = heartbeat.components.filter(c => !c.healthy);
    const appliedAgo = lastApply
      ? (now.getTime() - Date.parse(lastApply.appliedAt)) / 1000
      : Infinity;
    const rollingOut =
      unhealthy.length > 0 &&
      appliedAgo <=
        (input.progressDeadlineSeconds ?? PROGRESS_DEADLINE_SECONDS);
    conditions.push(
      unhealthy.length === 0
        ? {
            type: 'ComponentsHealthy',
            status: heartbeat.components.length ? 'True' : 'Unknown',
            reason: heartbeat.components.length
              ? 'AllHealthy'
              : 'NoComponentsReported',
            message: `${heartbeat.components.length} components healthy`,
          }
        : {
            type: 'ComponentsHealthy',
            status: 'False',
            reason: rollingOut ? 'RolloutInProgress' : 'ComponentsUnhealthy',
            message: unhealthy
              .slice(0, 10)
              .map(c => `${c.name}${c.message ? `: ${c.message}` : ''}`)
              .join('; ')
              .concat(
                unhealthy.length > 10
                  ? `; and ${unhealthy.length - 10} more`
                  : '',
              ),
          },
    );
    if (stale) phase = 'Stale';
    else if (
      (lastApply && !lastApply.succeeded) ||
      (unhealthy.length && !rollingOut)
    )
      phase = 'Degraded';
    else if (!inSync || rollingOut) phase = 'OutOfSync';
    else phase = 'Active';
  }

  conditions.push(
    phase === 'Active'
      ? {
          type: 'Ready',
          status: 'True',
          reason: 'Active',
          message: 'The pool runs its desired revision and is healthy',
        }
      : {
          type: 'Ready',
          status: 'False',
          reason: phase,
          message: conditions.find(c => c.status !== 'True')?.message ?? phase,
        },
  );

  // Kubernetes semantics: lastTransitionTime changes only when status does.
  const at = now.toISOString();
  const before = new Map((previous?.conditions ?? []).map(c => [c.type, c]));
  return {
    phase,
    phaseSince: previous && previous.phase === phase ? previous.phaseSince : at,
    conditions: conditions.map(c => {
      const old = before.get(c.type);
      return {
        ...c,
        message: c.message ?? '',
        lastTransitionTime:
          old && old.status === c.status ? old.lastTransitionTime : at,
      };
    }),
  };
}

/**
 * One pool of the fleet view (`GET /fleet`).
 *
 * @public
 */
export type FleetEntry = z.infer<typeof fleetEntrySchema>;

/**
 * Whether the pool's desired revision is applied in the cluster: it runs
 * there and the last apply succeeded. What an install or a deploy can
 * promise; Active also needs the workloads ready, which is the cluster's
 * doing (and never happens on a cluster without nodes).
 *
 * @public
 */
export function isDesiredRevisionApplied(
  status: Pick<PoolStatus, 'conditions' | 'desiredRevision' | 'heartbeat'>,
): boolean {
  return (
    runsDesiredRevision(status) &&
    status.conditions.some(c => c.type === 'Applied' && c.status === 'True')
  );
}

/**
 * Whether the cluster runs the pool's desired revision (it was applied;
 * Active also needs healthy components).
 *
 * @public
 */
export function runsDesiredRevision(
  status: Pick<PoolStatus, 'desiredRevision' | 'heartbeat'>,
): boolean {
  return (
    !!status.desiredRevision &&
    status.heartbeat?.runningRevision === status.desiredRevision
  );
}
