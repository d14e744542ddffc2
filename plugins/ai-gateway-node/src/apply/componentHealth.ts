import type { KubernetesObject } from '@kubernetes/client-node';
import { objectRef, type ManifestObject } from '../manifests/types';

/**
 * The health of one component as the operator and the monitor report it.
 *
 * @public
 */
export type ComponentHealth = {
  name: string;
  kind: string;
  healthy: boolean;
  message?: string;
};

type Condition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
};

function condition(
  conditions: Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find(c => c.type === type);
}

function acceptedByEach(
  base: { name: string; kind: string },
  entries: Array<{ conditions?: Condition[] }> | undefined,
  by: string,
): ComponentHealth {
  if (!entries?.length)
    return { ...base, healthy: false, message: `not accepted by ${by} yet` };
  const accepted = entries.map(p => condition(p.conditions, 'Accepted'));
  // An entry without the condition is not accepted yet either.
  const notAccepted = accepted.findIndex(c => c?.status !== 'True');
  if (notAccepted < 0) return { ...base, healthy: true };
  const c = accepted[notAccepted];
  return {
    ...base,
    healthy: false,
    message: `Accepted=${c?.status ?? 'Unknown'}: ${c?.reason ?? ''} ${
      c?.message ?? ''
    }`.trim(),
  };
}

/**
 * The kinds whose status says whether the pool works.
 *
 * @public
 */
export const HEALTH_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'Gateway',
  'HTTPRoute',
  'AgentgatewayBackend',
  'AgentgatewayPolicy',
]);

/**
 * True for the kinds whose status says whether the pool works (HEALTH_KINDS),
 * except Istio's Gateway, which shares a name with Gateway API's and reports
 * no status a health check can read.
 *
 * @public
 */
export function isHealthKind(type: { apiVersion: string; kind: string }) {
  if (!HEALTH_KINDS.has(type.kind)) return false;
  return (
    type.kind !== 'Gateway' ||
    type.apiVersion.startsWith('gateway.networking.k8s.io/')
  );
}

/**
 * Reads a live object's status the way its controller writes it: workloads
 * by ready replicas, the Gateway by `Programmed`, routes by their parents'
 * `Accepted`, policies by their ancestors' `Accepted`, backends by `Accepted`. Undefined for kinds whose
 * status means nothing for health.
 *
 * @public
 */
export function componentHealth(
  live: KubernetesObject,
): ComponentHealth | undefined {
  const kind = live.kind ?? '';
  if (!isHealthKind({ apiVersion: live.apiVersion ?? '', kind }))
    return undefined;
  const ref = objectRef({
    kind,
    metadata: { name: live.metadata?.name ?? '' },
  });
  const status = ((live as { status?: any }).status ?? {}) as any;
  const spec = ((live as { spec?: any }).spec ?? {}) as any;
  const generation = live.metadata?.generation;
  const base = { name: ref, kind };
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = spec.replicas ?? 1;
      const ready = status.readyReplicas ?? 0;
      const current =
        generation === undefined ||
        status.observedGeneration === undefined ||
        status.observedGeneration >= generation;
      return ready >= want && current
        ? { ...base, healthy: true }
        : {
            ...base,
            healthy: false,
            message: `${ready}/${want} replicas ready${
              current ? '' : ' (rollout in progress)'
            }`,
          };
    }
    case 'Gateway': {
      const programmed = condition(status.conditions, 'Programmed');
      return programmed?.status === 'True'
        ? { ...base, healthy: true }
        : {
            ...base,
            healthy: false,
            message: programmed
              ? `Programmed=${programmed.status}: ${programmed.reason ?? ''} ${
                  programmed.message ?? ''
                }`.trim()
              : 'not programmed yet',
          };
    }
    case 'HTTPRoute':
      // Routes report per parent Gateway.
      return acceptedByEach(base, status.parents, 'its Gateway');
    case 'AgentgatewayPolicy':
      // Policies report per ancestor (Gateway API's PolicyAncestorStatus).
      return acceptedByEach(base, status.ancestors, 'any of its targets');
    default: {
      const accepted = condition(status.conditions, 'Accepted');
      return accepted?.status === 'True'
        ? { ...base, healthy: true }
        : {
            ...base,
            healthy: false,
            message: accepted
              ? `Accepted=${accepted.status}: ${accepted.reason ?? ''} ${
                  accepted.message ?? ''
                }`.trim()
              : 'not accepted yet',
          };
    }
  }
}

/**
 * Reads the health of a bundle's components from the cluster (the control
 * plane for direct pools, the operator for its own): each object of a health
 * kind is looked up among the live objects carrying the pool's label; one
 * that is missing is unhealthy.
 *
 * @public
 */
export async function readBundleHealth(
  cluster: {
    list(
      kinds: Array<{ apiVersion: string; kind: string }>,
      labelSelector: string,
    ): Promise<KubernetesObject[]>;
  },
  bundle: {
    kinds: Array<{ apiVersion: string; kind: string }>;
    objects: ManifestObject[];
  },
  labelSelector: string,
): Promise<ComponentHealth[]> {
  const live = await cluster.list(
    bundle.kinds.filter(isHealthKind),
    labelSelector,
  );
  const byKey = new Map(
    live.map(o => [`${o.apiVersion}/${o.kind}/${o.metadata?.name}`, o]),
  );
  return bundle.objects.filter(isHealthKind).map(o => {
    const found = byKey.get(`${o.apiVersion}/${o.kind}/${o.metadata.name}`);
    return found
      ? componentHealth(found)!
      : {
          name: `${o.kind}/${o.metadata.name}`,
          kind: o.kind,
          healthy: false,
          message: 'not found in the cluster',
        };
  });
}
