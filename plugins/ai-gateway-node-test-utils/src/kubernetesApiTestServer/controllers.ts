/**
 * Simulated controllers: the status a healthy cluster would eventually write
 * for the kinds whose readiness the project waits for.
 */
import { getPath, isObject, JsonObject } from './json';
import { ResourceType } from './resources';

type Controller = (
  object: JsonObject,
  generation: number,
  time: string,
) => JsonObject;

function condition(
  type: string,
  reason: string,
  generation: number,
  time: string,
  message = '',
): JsonObject {
  return {
    type,
    status: 'True',
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: time,
  };
}

function replicas(object: JsonObject): number {
  const value = getPath(object, ['spec', 'replicas']);
  return typeof value === 'number' ? value : 1;
}

const deployment: Controller = (object, generation, time) => {
  const n = replicas(object);
  return {
    observedGeneration: generation,
    replicas: n,
    updatedReplicas: n,
    readyReplicas: n,
    availableReplicas: n,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: time,
        lastTransitionTime: time,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${String(
          getPath(object, ['metadata', 'name']),
        )}" has successfully progressed.`,
        lastUpdateTime: time,
        lastTransitionTime: time,
      },
    ],
  };
};

const statefulSet: Controller = (object, generation) => {
  const n = replicas(object);
  return {
    observedGeneration: generation,
    replicas: n,
    readyReplicas: n,
    currentReplicas: n,
    updatedReplicas: n,
    availableReplicas: n,
  };
};

const gateway: Controller = (object, generation, time) => {
  const listeners = getPath(object, ['spec', 'listeners']);
  return {
    addresses: [{ type: 'IPAddress', value: '10.96.0.100' }],
    conditions: [
      condition('Accepted', 'Accepted', generation, time),
      condition('Programmed', 'Programmed', generation, time),
    ],
    listeners: (Array.isArray(listeners) ? listeners : [])
      .filter(isObject)
      .map(l => ({
        name: l.name,
        attachedRoutes: 0,
        supportedKinds: [
          { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
        ],
        conditions: [
          condition('Accepted', 'Accepted', generation, time),
          condition('Programmed', 'Programmed', generation, time),
          condition('ResolvedRefs', 'ResolvedRefs', generation, time),
        ],
      })),
  };
};

const httpRoute: Controller = (object, generation, time) => {
  const parentRefs = getPath(object, ['spec', 'parentRefs']);
  return {
    parents: (Array.isArray(parentRefs) ? parentRefs : []).map(parentRef => ({
      parentRef,
      controllerName: 'agentgateway.dev/agentgateway',
      conditions: [
        condition('Accepted', 'Accepted', generation, time),
        condition('ResolvedRefs', 'ResolvedRefs', generation, time),
      ],
    })),
  };
};

// Policies report per ancestor (Gateway API's PolicyAncestorStatus), not at the top.
const policy: Controller = (object, generation, time) => {
  const targetRefs = getPath(object, ['spec', 'targetRefs']);
  return {
    ancestors: (Array.isArray(targetRefs) ? targetRefs : []).map(
      (ref: { group?: string; kind?: string; name?: string }) => ({
        ancestorRef: { group: ref.group, kind: ref.kind, name: ref.name },
        controllerName: 'agentgateway.dev/agentgateway',
        conditions: [condition('Accepted', 'Accepted', generation, time)],
      }),
    ),
  };
};

const accepted: Controller = (_object, generation, time) => ({
  conditions: [condition('Accepted', 'Accepted', generation, time)],
});

const ready: Controller = (_object, generation, time) => ({
  conditions: [condition('Ready', 'Ready', generation, time)],
});

const CONTROLLERS: Record<string, Controller> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'gateway.networking.k8s.io/Gateway': gateway,
  'gateway.networking.k8s.io/HTTPRoute': httpRoute,
  'agentgateway.dev/AgentgatewayBackend': accepted,
  'agentgateway.dev/AgentgatewayPolicy': policy,
  'cert-manager.io/Certificate': ready,
  'cert-manager.io/Issuer': ready,
  'cert-manager.io/ClusterIssuer': ready,
};

/** The controller that fills in status for a type, if one is simulated. */
export function controllerFor(type: ResourceType): Controller | undefined {
  return CONTROLLERS[`${type.group}/${type.kind}`];
}
