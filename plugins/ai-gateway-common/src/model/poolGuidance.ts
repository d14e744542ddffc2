import type { PoolStatus } from './poolHealth';
import type { DeliveryMode } from './pool';

/**
 * The heartbeat's `operatorVersion` when the control plane delivers a pool
 * itself (direct mode): there is no operator in the cluster.
 *
 * @public
 */
export const CONTROL_PLANE_OPERATOR = 'control-plane';

/**
 * What a person needs to know about a pool's state: whether it serves its
 * desired configuration, why not, and what to do about it.
 *
 * @public
 */
export type PoolGuidance = {
  /** True when the pool runs its desired revision and is healthy (Active). */
  served: boolean;
  /** One sentence: why the pool is in its phase. */
  cause: string;
  /** One sentence: what to do next; undefined when nothing is needed. */
  nextStep?: string;
};

/**
 * What the guidance needs of a pool.
 *
 * @public
 */
export type PoolGuidanceFacts = {
  name: string;
  namespace: string;
  cluster: { name: string };
  delivery: { mode: DeliveryMode };
};

/**
 * What the guidance needs of a pool's status.
 *
 * @public
 */
export type PoolGuidanceStatus = Pick<PoolStatus, 'phase' | 'conditions'> &
  Partial<Pick<PoolStatus, 'desiredRevision' | 'heartbeat'>>;

/** A message from a condition as the end of a sentence (it may lack the stop). */
const asSentenceEnd = (message: string) =>
  /[.!?]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`;

const conditionOf = (status: PoolGuidanceStatus, type: string) =>
  status.conditions.find(c => c.type === type);

/** The next step for a failed apply, from what the failure says. */
function nextStepForFailedApply(
  pool: PoolGuidanceFacts,
  message: string,
): string {
  const where = `cluster ${pool.cluster.name}, namespace ${pool.namespace}`;
  if (/kubernetes\.clusterLocatorMethods|not configured/i.test(message)) {
    return `Add cluster ${pool.cluster.name} to kubernetes.clusterLocatorMethods in the portal's app-config (or switch the pool to agent delivery and install the operator from the Install tab), then Force sync.`;
  }
  if (
    /cannot be reached|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|timed out/i.test(
      message,
    )
  ) {
    return `Check that the Kubernetes API server of cluster ${pool.cluster.name} is reachable from the portal (URL, network, certificate), then Force sync.`;
  }
  if (/\b403\b|forbidden/i.test(message)) {
    return `Grant the missing rights in ${where}: bind the Roles shown on the Access tab, then Force sync.`;
  }
  if (
    /namespace/i.test(message) &&
    /not found|does not exist|missing/i.test(message)
  ) {
    return `Create namespace ${pool.namespace} in cluster ${pool.cluster.name} (the install's bootstrap does it), then Force sync.`;
  }
  if (
    /CustomResourceDefinition|no matches for kind|GatewayClass|CRD/i.test(
      message,
    )
  ) {
    return `Install agentgateway (its CRDs and GatewayClass) in cluster ${pool.cluster.name}, then Force sync.`;
  }
  return `Read the failing object on the Events tab and its manifest on the Manifests tab; fix the pool's settings or the cluster, then Force sync.`;
}

/**
 * Explains a pool's phase in words with the next step, for the pool page, the
 * fleet page, the home page and the end of every template (one wording for all).
 *
 * @public
 */
export function explainPoolStatus(
  pool: PoolGuidanceFacts,
  status: PoolGuidanceStatus | undefined,
): PoolGuidance {
  const mode = pool.delivery.mode;
  if (!status) {
    return {
      served: false,
      cause: 'The control plane has not recorded a status for this pool yet.',
      nextStep: 'Wait a few seconds and reload.',
    };
  }
  const applied = conditionOf(status, 'Applied');
  const components = conditionOf(status, 'ComponentsHealthy');
  const connected = conditionOf(status, 'OperatorConnected');
  switch (status.phase) {
    case 'Active':
      return {
        served: true,
        cause:
          'The pool runs its desired revision and every component is healthy.',
      };
    case 'Pending':
      if (mode === 'agent') {
        return {
          served: false,
          cause:
            'No operator has connected yet: nothing has been installed in the cluster.',
          nextStep: `Install the operator: apply the bootstrap manifests from the pool's Install tab to cluster ${pool.cluster.name} (namespace ${pool.namespace}) with kubectl.`,
        };
      }
      if (mode === 'gitops') {
        return {
          served: false,
          cause:
            "Nothing has reported from the cluster yet: the pool's GitOps folder has not been synced to it.",
          nextStep: `Commit the GitOps folder from the pool's Install tab to the repository Argo CD or Flux syncs into cluster ${pool.cluster.name}.`,
        };
      }
      return {
        served: false,
        cause: 'The control plane has not applied this pool yet.',
        nextStep: `Check that cluster ${pool.cluster.name} is in kubernetes.clusterLocatorMethods, then Force sync.`,
      };
    case 'Degraded':
      if (applied?.status === 'False') {
        return {
          served: false,
          cause: `The last apply failed: ${asSentenceEnd(applied.message)}`,
          nextStep: nextStepForFailedApply(pool, applied.message),
        };
      }
      return {
        served: false,
        cause: `Components are unhealthy: ${asSentenceEnd(
          components?.message || 'see the Kubernetes tab',
        )}`,
        nextStep: `Check the pool's workloads on the Kubernetes tab (pods need nodes that can pull the images); the pool becomes Active when they are ready.`,
      };
    case 'Stale':
      return {
        served: false,
        cause: connected?.message
          ? `No recent heartbeat: ${asSentenceEnd(connected.message)}`
          : 'No recent heartbeat.',
        nextStep:
          mode === 'direct'
            ? "The control plane's reconciler has not run: check the portal backend's logs."
            : `Check that the operator pod runs in namespace ${pool.namespace} of cluster ${pool.cluster.name} and can reach the portal (aiGateway.controlPlaneUrl).`,
      };
    case 'OutOfSync':
    default: {
      const running = status.heartbeat?.runningRevision;
      let cause = 'Nothing has been applied yet.';
      if (components?.reason === 'RolloutInProgress') {
        cause = `The desired revision is applied and rolling out: ${asSentenceEnd(
          components.message,
        )}`;
      } else if (running) {
        cause = `The cluster runs an older revision (${running.slice(
          0,
          19,
        )}); the desired one is not applied yet.`;
      }
      return {
        served: false,
        cause,
        nextStep:
          mode === 'gitops'
            ? 'Commit the current GitOps folder (Install tab); the sync applies it.'
            : 'Wait for the next reconcile (seconds); if it stays, Force sync and read the Events tab.',
      };
    }
  }
}

/**
 * The honest end state of a self-service change to something a pool serves:
 * "registered — served once pool X is applied; now Degraded: …".
 *
 * @public
 */
export function describeServedState(
  what: string,
  pool: PoolGuidanceFacts,
  status: PoolGuidanceStatus | undefined,
): { served: boolean; message: string; nextStep?: string } {
  const guidance = explainPoolStatus(pool, status);
  if (guidance.served) {
    return { served: true, message: `${what} is served by pool ${pool.name}.` };
  }
  return {
    served: false,
    message: `${what} is registered; it is served once pool ${
      pool.name
    } is applied. Now ${status?.phase ?? 'unknown'}: ${guidance.cause}`,
    nextStep: guidance.nextStep,
  };
}

/**
 * What happens to something deleted from a pool (an MCP server, AI backend
 * or policy): `applied` when the pool runs its newest revision (without it)
 * and is healthy; otherwise it stops being served once the pool applies the
 * change, with why not yet and the next step.
 *
 * @public
 */
export function describeRemovedState(
  what: string,
  pool: PoolGuidanceFacts,
  status: PoolGuidanceStatus | undefined,
): { applied: boolean; message: string; nextStep?: string } {
  const guidance = explainPoolStatus(pool, status);
  if (guidance.served) {
    return {
      applied: true,
      message: `${what} is deleted and pool ${pool.name} no longer serves it.`,
    };
  }
  return {
    applied: false,
    message: `${what} is deleted; pool ${
      pool.name
    } stops serving it once the change is applied. Now ${
      status?.phase ?? 'unknown'
    }: ${guidance.cause}`,
    ...(guidance.nextStep ? { nextStep: guidance.nextStep } : {}),
  };
}

/**
 * Whether something delivers the pool's desired revision right now, so a
 * short wait can see it applied: the control plane for direct pools, a
 * connected operator otherwise; not when the last apply failed (the next one
 * fails alike until someone acts).
 *
 * @public
 */
export function isBeingDelivered(
  mode: DeliveryMode,
  status: Pick<PoolStatus, 'phase' | 'conditions'>,
): boolean {
  const applyFailed = status.conditions.some(
    c => c.type === 'Applied' && c.status === 'False',
  );
  if (status.phase === 'Degraded' && applyFailed) return false;
  if (mode === 'direct') return status.phase !== 'Stale';
  return status.phase !== 'Pending' && status.phase !== 'Stale';
}
