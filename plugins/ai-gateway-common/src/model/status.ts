import { z } from 'zod';

/** Kubernetes-style condition. */
export const conditionSchema = z
  .object({
    type: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be CamelCase, e.g. Ready'),
    status: z.enum(['True', 'False', 'Unknown'], { message: "must be 'True', 'False' or 'Unknown'" }),
    reason: z.string().regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/, 'must be CamelCase, e.g. HeartbeatMissing'),
    message: z.string().max(32768).default(''),
    lastTransitionTime: z.string().datetime({ offset: true, message: 'must be an ISO-8601 time' }),
    observedGeneration: z.number().int().min(0).optional(),
  })
  .strict();
export type Condition = z.infer<typeof conditionSchema>;

export const poolPhases = ['Pending', 'Active', 'OutOfSync', 'Degraded', 'Stale'] as const;
/**
 * Pending: never heard from. Active: heartbeat fresh and running the desired
 * revision. OutOfSync: running another revision. Degraded: components
 * unhealthy or the last apply failed. Stale: no heartbeat within the window.
 */
export const poolPhaseSchema = z.enum(poolPhases, { message: `must be one of: ${poolPhases.join(', ')}` });
export type PoolPhase = z.infer<typeof poolPhaseSchema>;

/** What the operator reports on every heartbeat. */
export const heartbeatSchema = z
  .object({
    operatorVersion: z.string().min(1).max(64),
    runningRevision: z.string().max(128).optional(),
    receivedAt: z.string().datetime({ offset: true }).optional(),
    components: z
      .array(
        z
          .object({
            name: z.string().min(1).max(253),
            kind: z.string().max(64).optional(),
            healthy: z.boolean(),
            message: z.string().max(4096).optional(),
          })
          .strict(),
      )
      .max(2000)
      .default([]),
    lastApply: z
      .object({
        revision: z.string().max(128),
        succeeded: z.boolean(),
        message: z.string().max(32768).optional(),
        appliedAt: z.string().datetime({ offset: true }),
        objects: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Heartbeat = z.infer<typeof heartbeatSchema>;
