import { z } from 'zod';
import { bool, expecting, intBetween, oneOf, text } from './messages';

const isoTime = z.iso.datetime({
  offset: true,
  error: (issue: { input?: unknown }) =>
    issue.input === undefined
      ? 'is required'
      : 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z',
});

const CAMEL_CASE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * A Kubernetes-style status condition (metav1.Condition).
 *
 * @public
 */
export const conditionSchema = z
  .object(
    {
      /** e.g. Ready, OperatorConnected, InSync, ComponentsHealthy. */
      type: z
        .string(expecting('a condition type'))
        .max(316, 'must be at most 316 characters')
        .regex(CAMEL_CASE, 'must be CamelCase, e.g. Ready'),
      status: z.enum(
        ['True', 'False', 'Unknown'],
        oneOf(['True', 'False', 'Unknown']),
      ),
      /** Machine-readable cause in CamelCase, e.g. HeartbeatMissing. */
      reason: z
        .string(expecting('a reason'))
        .max(1024, 'must be at most 1024 characters')
        .regex(CAMEL_CASE, 'must be CamelCase, e.g. HeartbeatMissing'),
      message: text(32768).default(''),
      lastTransitionTime: isoTime,
      observedGeneration: intBetween(0, Number.MAX_SAFE_INTEGER).optional(),
    },
    expecting('a condition'),
  )
  .strict();
/** @public */
export type Condition = z.infer<typeof conditionSchema>;

/** @public */
export const poolPhases = [
  'Pending',
  'Active',
  'OutOfSync',
  'Degraded',
  'Stale',
] as const;

/**
 * Pending: never heard from. Active: heartbeat fresh and running the desired
 * revision. OutOfSync: running another revision. Degraded: components
 * unhealthy or the last apply failed. Stale: no heartbeat within the pool's
 * heartbeatStaleSeconds.
 *
 * @public
 */
export const poolPhaseSchema = z.enum(poolPhases, oneOf(poolPhases));
/** @public */
export type PoolPhase = z.infer<typeof poolPhaseSchema>;

const revisionSchema = text(128, { min: 1 });

/**
 * What the operator reports on every heartbeat.
 *
 * @public
 */
export const heartbeatSchema = z
  .object(
    {
      operatorVersion: text(64, { min: 1 }),
      /** The bundle revision applied in the cluster; null before the first apply. */
      runningRevision: revisionSchema.nullable().default(null),
      /** Set by the control plane when it stores the heartbeat. */
      receivedAt: isoTime.optional(),
      components: z
        .array(
          z
            .object(
              {
                name: text(253, { min: 1 }),
                /** e.g. Deployment, StatefulSet. */
                kind: text(64, { min: 1 }).optional(),
                healthy: bool(),
                message: text(4096).optional(),
              },
              expecting('a component { name, healthy, message }'),
            )
            .strict(),
          expecting('a list of components'),
        )
        .max(2000, 'must have at most 2000 components')
        .prefault([]),
      lastApply: z
        .object(
          {
            revision: revisionSchema,
            succeeded: bool(),
            message: text(32768).optional(),
            appliedAt: isoTime,
            /** How many objects were applied. */
            objects: intBetween(0, 1_000_000).optional(),
          },
          expecting('{ revision, succeeded, message, appliedAt, objects }'),
        )
        .strict()
        .optional(),
    },
    expecting('a heartbeat'),
  )
  .strict();
/** @public */
export type Heartbeat = z.infer<typeof heartbeatSchema>;
/** @public */
export type HeartbeatInput = z.input<typeof heartbeatSchema>;
