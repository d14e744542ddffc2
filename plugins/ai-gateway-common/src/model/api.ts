import { z } from 'zod';
import { expecting, oneOf, text as boundedText } from './messages';
import { secretLikeValue } from './plaintextSecrets';
import { budgetExceededActions, budgetScopeKinds } from './budget';
import { conditionSchema, heartbeatSchema, poolPhaseSchema } from './status';

/**
 * The wire types of the control plane's REST API that are not objects of the
 * domain model: envelopes, pages, event log entries, bundles, diffs, status
 * and errors. The OpenAPI document's component schemas are generated from
 * these and the domain schemas (plugin-ai-gateway-backend,
 * `npm run generate:openapi`); the types below are what clients read.
 */

const text = () => z.string();
const isoTime = () => z.string().describe('ISO-8601 time');

/**
 * A problem with one field of a request.
 *
 * @public
 */
export const fieldIssueSchema = z.object({
  /** e.g. `redis.host`, `groups[0].providers[1].weight`, `limit`, `If-Match`; `body` for the body as a whole. */
  field: text(),
  message: text(),
});

/**
 * Backstage's error body, with the field-level issues of a 400 or 422.
 *
 * @public
 */
export const errorResponseSchema = z.object({
  error: z.looseObject({
    /** e.g. InputError, NotFoundError, ConflictError, NotAllowedError. */
    name: text(),
    message: text(),
    issues: z.array(fieldIssueSchema).optional(),
  }),
  request: z.object({ method: text(), url: text() }).optional(),
  response: z.object({ statusCode: z.number().int() }),
});
/** @public */
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/**
 * The stored object around a spec, as every read and write answers it.
 *
 * @public
 */
export function resourceObjectSchema<S extends z.ZodType>(
  kind: string,
  spec: S,
) {
  return z.object({
    kind: z.literal(kind),
    name: text(),
    project: text(),
    /** Starts at 1, +1 on every update; send it back (or as If-Match) to update. */
    version: z.number().int().min(1),
    createdAt: isoTime(),
    createdBy: text(),
    updatedAt: isoTime(),
    updatedBy: text(),
    /** Values computed from the object and its pool, e.g. an MCP server's `url`. */
    derived: z.record(z.string(), z.string()).optional(),
    spec,
  });
}

/**
 * An object of any kind, as clients that handle every kind read it.
 *
 * @public
 */
export const anyResourceObjectSchema = z.object({
  kind: z.enum(['project', 'pool', 'mcpServer', 'aiBackend', 'policy']),
  name: text(),
  project: text(),
  version: z.number().int().min(1),
  createdAt: isoTime(),
  createdBy: text(),
  updatedAt: isoTime(),
  updatedBy: text(),
  derived: z.record(z.string(), z.string()).optional(),
  spec: z.record(z.string(), z.unknown()),
});
/** @public */
export type AiGatewayObject<TSpec = Record<string, any>> = Omit<
  z.infer<typeof anyResourceObjectSchema>,
  'spec'
> & { spec: TSpec };

/**
 * One page of a list; `nextCursor` is absent on the last page.
 *
 * @public
 */
export function pageSchema<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), nextCursor: text().optional() });
}
/** @public */
export type Page<T> = { items: T[]; nextCursor?: string };

/**
 * One RFC 6902 JSON patch operation.
 *
 * @public
 */
export const jsonPatchOperationSchema = z.object({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  /** JSON pointer; '' is the whole document. */
  path: text(),
  value: z.unknown().optional(),
  from: text().optional(),
});
/** @public */
export type JsonPatchOperation = z.infer<typeof jsonPatchOperationSchema>;

/**
 * One entry of an object's event log: audit entries (created, updated,
 * deleted, enrollment-token-rotated) and, for pools, what the control plane
 * and operator did (phase-changed, applied, apply-failed, sync-requested...).
 *
 * @public
 */
export const resourceEventSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['project', 'pool', 'mcpServer', 'aiBackend', 'policy']),
  name: text(),
  project: text().optional(),
  action: text(),
  /** A user entity ref, `service:<subject>`, `control-plane` or `operator:<pool>`. */
  actor: text(),
  version: z.number().int().optional(),
  at: isoTime(),
  /** For created and updated: the patch from the previous version to this one. */
  changes: z.array(jsonPatchOperationSchema).optional(),
  message: text().optional(),
});
/** @public */
export type ResourceEvent = z.infer<typeof resourceEventSchema>;

/**
 * What a delete removed: the object and, with cascade=true, its dependents (children first).
 *
 * @public
 */
export const deleteResultSchema = z.object({
  deleted: z.array(
    z.object({
      kind: z.enum(['project', 'pool', 'mcpServer', 'aiBackend', 'policy']),
      name: text(),
    }),
  ),
});
/** @public */
export type DeleteResult = z.infer<typeof deleteResultSchema>;

/**
 * A new operator enrollment token of a pool (shown once).
 *
 * @public
 */
export const enrollmentTokenSchema = z.object({
  pool: text(),
  enrollmentToken: text(),
});
/** @public */
export type EnrollmentToken = z.infer<typeof enrollmentTokenSchema>;

/**
 * A Kubernetes object as a renderer produced it.
 *
 * @public
 */
export const manifestObjectSchema = z.looseObject({
  apiVersion: text(),
  kind: text(),
  metadata: z.looseObject({
    name: text(),
    namespace: text().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
/** @public */
export type ManifestObject = z.infer<typeof manifestObjectSchema>;

const objectKindSchema = z.object({ apiVersion: text(), kind: text() });

/**
 * A pool's rendered desired state.
 *
 * @public
 */
export const manifestBundleSchema = z.object({
  pool: text(),
  namespace: text(),
  /** The renderer that produced it, e.g. agentgateway. */
  renderer: text(),
  /** sha256 of the canonical objects: equal bundles, equal revisions. */
  revision: text(),
  /** In apply order. */
  objects: z.array(manifestObjectSchema),
  /** What the renderer could not express for this gateway. */
  warnings: z.array(text()),
  /** Every kind the renderer manages (for pruning). */
  kinds: z.array(objectKindSchema),
});
/** @public */
export type ManifestBundle = z.infer<typeof manifestBundleSchema>;

/**
 * One object's difference between the bundle and what it was compared with.
 *
 * @public
 */
export const objectDiffSchema = z.object({
  /** `Kind/name`. */
  ref: text(),
  apiVersion: text(),
  kind: text(),
  name: text(),
  /** Turns the live object (the fields the bundle manages) into the desired one. */
  patch: z.array(jsonPatchOperationSchema),
});
/** @public */
export type ObjectDiff = z.infer<typeof objectDiffSchema>;

/**
 * What applying a pool's bundle would do.
 *
 * @public
 */
export const liveDiffSchema = z.object({
  pool: text(),
  revision: text(),
  /**
   * `cluster`: compared with the cluster itself (direct delivery). Agent and
   * gitops pools' clusters are out of the control plane's reach, so these
   * are compared with the bundle the operator last reported running, or with
   * nothing when none has run yet.
   */
  against: z.enum(['cluster', 'running-revision', 'nothing-running']),
  runningRevision: text().optional(),
  diff: z.object({
    /** Will be created. */
    added: z.array(objectDiffSchema),
    /** Will be updated. */
    changed: z.array(objectDiffSchema),
    /** Labelled for the pool but no longer desired: will be pruned. */
    removed: z.array(objectDiffSchema),
    unchanged: z.number().int().min(0),
  }),
});
/** @public */
export type LiveDiff = z.infer<typeof liveDiffSchema>;

/**
 * The bundle as a kustomize directory: file name to YAML text.
 *
 * @public
 */
export const gitopsFilesSchema = z.object({
  pool: text(),
  revision: text(),
  files: z.record(z.string(), z.string()),
});
/** @public */
export type GitopsFiles = z.infer<typeof gitopsFilesSchema>;

/** @public */
export const policyRuleSchema = z.object({
  apiGroups: z.array(text()),
  resources: z.array(text()),
  verbs: z.array(text()),
  resourceNames: z.array(text()).optional(),
});
/** @public */
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/**
 * The namespace-scoped Role a person needs to install a pool.
 *
 * @public
 */
export const deployerRoleSchema = z.object({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('Role'),
  metadata: z.object({ name: text(), namespace: text() }),
  rules: z.array(policyRuleSchema),
});
/** @public */
export type DeployerRole = z.infer<typeof deployerRoleSchema>;

/**
 * A pool's observed state, as the control plane keeps and serves it.
 *
 * @public
 */
export const poolStatusSchema = z.object({
  pool: text(),
  phase: poolPhaseSchema,
  /** When the pool entered its current phase. */
  phaseSince: isoTime(),
  conditions: z.array(conditionSchema),
  /** The revision of the bundle the control plane wants running. */
  desiredRevision: text().optional(),
  /** The last heartbeat (the operator's, or the control plane's own in direct mode). */
  heartbeat: heartbeatSchema.optional(),
});

/**
 * The answer to a force sync or reseed.
 *
 * @public
 */
export const poolRequestResultSchema = z.object({
  pool: text(),
  requested: z.enum(['sync', 'reseed']),
  mode: z.enum(['direct', 'agent', 'gitops']),
  /** Direct pools are reconciled at once: the status after it. */
  result: poolStatusSchema.optional(),
});
/** @public */
export type PoolRequestResult = z.infer<typeof poolRequestResultSchema>;

/**
 * How an install of a pool ended, as the installer (the scaffolder's
 * `ai-gateway:pool:install`) reports it for the pool's event log:
 * `installed` (applied, or the operator connected), `awaiting-install` (the
 * portal cannot reach the cluster: a person installs from the pool's Install
 * tab) or `install-failed` (the portal tried and the cluster refused, or the
 * pool did not come up in time).
 *
 * @public
 */
export const installOutcomes = [
  'installed',
  'awaiting-install',
  'install-failed',
] as const;
/** @public */
export type InstallOutcome = (typeof installOutcomes)[number];

/** An enrollment token (`aigw_<pool>_<43 characters>`), wherever it appears. */
const ENROLLMENT_TOKEN = /\baigw_[a-z0-9-]+_[A-Za-z0-9_-]{43}/;

/**
 * The body of `POST /pools/:name/install-report`.
 *
 * @public
 */
export const installReportSchema = z
  .object(
    {
      outcome: z.enum(installOutcomes, oneOf(installOutcomes)),
      /** What happened and what to do next, in words (kept in the event log). */
      message: boundedText(2000, { min: 1 }).superRefine((message, ctx) => {
        const secret = ENROLLMENT_TOKEN.test(message)
          ? 'an enrollment token'
          : secretLikeValue(message);
        if (secret) {
          ctx.addIssue({
            code: 'custom',
            message: `looks like it contains ${secret}; the event log never keeps secret values`,
          });
        }
      }),
    },
    expecting('an object { outcome, message }'),
  )
  .strict();
/** @public */
export type InstallReport = z.infer<typeof installReportSchema>;

/**
 * The event an install report added to the pool's event log.
 *
 * @public
 */
export const installReportResultSchema = z.object({
  pool: text(),
  /** The event log action: the outcome. */
  action: z.enum(installOutcomes),
  at: isoTime(),
});
/** @public */
export type InstallReportResult = z.infer<typeof installReportResultSchema>;

/**
 * One pool of the fleet overview.
 *
 * @public
 */
export const fleetEntrySchema = z.object({
  pool: text(),
  project: text(),
  description: text().optional(),
  cluster: z.object({ name: text(), type: text() }),
  namespace: text(),
  delivery: z.enum(['direct', 'agent', 'gitops']),
  phase: poolPhaseSchema,
  phaseSince: isoTime().optional(),
  /** Why the pool is not Active. */
  reason: text().optional(),
  /** The status conditions behind the phase (what explainPoolStatus reads for cause and next step). */
  conditions: z.array(conditionSchema).optional(),
  heartbeatAt: isoTime().optional(),
  operatorVersion: text().optional(),
  desiredRevision: text().optional(),
  runningRevision: text().optional(),
  counts: z.object({
    mcpServers: z.number().int().min(0),
    aiBackends: z.number().int().min(0),
    policies: z.number().int().min(0),
  }),
  /**
   * The budgets that cover what the pool serves, in their current windows:
   * absent when the control plane has no budgets service.
   */
  budgets: z
    .object({
      /** How many budgets cover an MCP server or AI backend of the pool. */
      total: z.number().int().min(0),
      /** Those at their limit: the pool refuses or down-routes their traffic until the window ends. */
      exceeded: z.array(
        z.object({
          budget: text(),
          scope: z.object({ kind: z.enum(budgetScopeKinds), name: text() }),
          action: z.enum(budgetExceededActions),
          /** The model traffic is down-routed to. */
          model: text().optional(),
          /** The end of the window (ISO-8601): when the budget is lifted. */
          until: isoTime(),
        }),
      ),
      /** How many others have reached a soft threshold (owners were warned). */
      pastSoftThreshold: z.number().int().min(0),
    })
    .optional(),
  /**
   * How many of the pool's MCP servers are in each risk class, by the
   * contract observed last (see mcpRiskClasses): absent when the contracts
   * could not be read.
   */
  mcpRisk: z
    .object({
      destructive: z.number().int().min(0),
      openWorld: z.number().int().min(0),
      additive: z.number().int().min(0),
      readOnly: z.number().int().min(0),
      /** No contract of theirs has been read yet. */
      unobserved: z.number().int().min(0),
      /** The names of the destructive ones. */
      destructiveServers: z.array(text()),
    })
    .optional(),
});

/**
 * What the control plane tells the operator on each heartbeat.
 *
 * @public
 */
export const heartbeatResponseSchema = z.object({
  pool: text(),
  phase: poolPhaseSchema,
  desiredRevision: text().optional(),
  syncRequested: z.boolean(),
  reseedRequested: z.boolean(),
});
/** @public */
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

/**
 * The runtime objects the operator applies.
 *
 * @public
 */
export const agentBundleSchema = z.object({
  pool: text(),
  namespace: text(),
  revision: text(),
  objects: z.array(manifestObjectSchema),
  kinds: z.array(objectKindSchema),
  /** Selects every runtime object of the pool, for pruning. */
  labelSelector: text(),
  /** Apply everything even if the revision is the one running. */
  reseed: z.boolean(),
});
/** @public */
export type AgentBundle = z.infer<typeof agentBundleSchema>;
