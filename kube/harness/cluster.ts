import {
  ApiextensionsV1Api,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  RbacAuthorizationV1Api,
  V1PolicyRule,
} from '@kubernetes/client-node';
import {
  KubernetesApplier,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** Each run's API server state, logs and kubeconfig live in a folder of their own here. */
export const outputDir = path.join(repoRoot, 'test-output', 'kube');
/**
 * What globalSetup started, for the tests and globalTeardown: globalSetup
 * names the file in the environment its test workers inherit, so runs side
 * by side never share (or stop) each other's API server.
 */
export const stateFile = () =>
  process.env.AIGW_KUBE_STATE ?? path.join(outputDir, 'state.json');

export type TierState = {
  /** The folder of the API server's state and logs (scripts/kube.sh start DIR). */
  dir: string;
  /** The admin kubeconfig (contexts `local`: system:masters, `installer`: no rights until bound). */
  kubeconfig: string;
  /** The API server's URL and CA, for the portal's cluster config. */
  server: string;
  caData: string;
};

export function tierState(): TierState {
  return JSON.parse(readFileSync(stateFile(), 'utf8'));
}

/** A kubeconfig of one context of the tier's kubeconfig (`local` = cluster admin). */
export function kubeConfigOf(context = 'local'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(tierState().kubeconfig);
  kc.setCurrentContext(context);
  return kc;
}

/** A kubeconfig for the same API server that authenticates with `token` (e.g. a ServiceAccount's). */
export function kubeConfigWithToken(token: string, user: string): KubeConfig {
  const { server, caData } = tierState();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server, caData, skipTLSVerify: false }],
    users: [{ name: user, token }],
    contexts: [{ name: 'local', cluster: 'local', user }],
    currentContext: 'local',
  });
  return kc;
}

export async function createNamespace(name: string): Promise<void> {
  await kubeConfigOf()
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } });
}

/**
 * A token of a ServiceAccount from the TokenRequest API, as the kubelet
 * mounts one into the account's pods.
 */
export async function serviceAccountToken(
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  const response = await kubeConfigOf()
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccountToken({
      name: serviceAccount,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
  return response.status!.token;
}

/** A Role with `rules` in `namespace`, bound to one subject (a user or a ServiceAccount). */
export async function bindRole(
  namespace: string,
  role: { name: string; rules: V1PolicyRule[] },
  subject: {
    kind: 'User' | 'ServiceAccount';
    name: string;
    namespace?: string;
  },
): Promise<void> {
  const rbac = kubeConfigOf().makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace,
    body: { metadata: { name: role.name }, rules: role.rules },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: role.name },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: role.name,
      },
      subjects: [
        subject.kind === 'User'
          ? {
              kind: 'User',
              apiGroup: 'rbac.authorization.k8s.io',
              name: subject.name,
            }
          : {
              kind: 'ServiceAccount',
              name: subject.name,
              namespace: subject.namespace ?? namespace,
            },
      ],
    },
  });
}

/**
 * Server-side applies objects as the cluster admin (what a test sets up,
 * never what it proves), with the suite's own applier; cluster-scoped objects
 * lose the namespace it sets.
 */
export async function adminApply(
  objects: KubernetesObject[],
  options: { fieldManager?: string; kubeConfig?: KubeConfig } = {},
): Promise<void> {
  const result = await new KubernetesApplier(
    options.kubeConfig ?? kubeConfigOf(),
    { namespace: 'default' },
  ).apply(objects as ManifestObject[], {
    fieldManager: options.fieldManager ?? 'kube-tier-admin',
    concurrency: 4,
  });
  if (result.failed.length)
    throw new Error(
      `admin apply failed: ${result.failed
        .map(f => `${f.ref}: ${f.code} ${f.message}`)
        .join('; ')}`,
    );
}

/** Installs CRDs and waits until the API server serves every one of them. */
export async function installCrds(
  crds: KubernetesObject[],
  kubeConfig: KubeConfig = kubeConfigOf(),
): Promise<void> {
  await adminApply(crds, { kubeConfig });
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const live = await api.readCustomResourceDefinition({
        name: crd.metadata!.name!,
      });
      const established = live.status?.conditions?.some(
        c => c.type === 'Established' && c.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline) {
        throw new Error(`CRD ${crd.metadata!.name} not Established after 60 s`);
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

/**
 * Writes the status the controllers would (no controller runs here), through
 * each object's status subresource: workloads all ready, the Gateway
 * Programmed, routes Accepted by their parents, agentgateway objects Accepted.
 */
export async function writeControllerStatus(
  namespace: string,
  objects: Array<{
    apiVersion: string;
    kind: string;
    metadata: { name: string };
  }>,
  kc: KubeConfig = kubeConfigOf(),
): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const now = new Date().toISOString();
  const condition = (type: string, generation?: number) => ({
    type,
    status: 'True',
    reason: type,
    message: `${type} (written by the test)`,
    lastTransitionTime: now,
    observedGeneration: generation,
  });
  for (const o of objects) {
    const name = o.metadata.name;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const live: any =
        o.kind === 'Deployment'
          ? await apps.readNamespacedDeployment({ name, namespace })
          : await apps.readNamespacedStatefulSet({ name, namespace });
      const replicas = live.spec.replicas ?? 1;
      const body = {
        ...live,
        status: {
          observedGeneration: live.metadata.generation,
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          updatedReplicas: replicas,
          ...(o.kind === 'StatefulSet' ? { currentReplicas: replicas } : {}),
        },
      };
      if (o.kind === 'Deployment')
        await apps.replaceNamespacedDeploymentStatus({ name, namespace, body });
      else
        await apps.replaceNamespacedStatefulSetStatus({
          name,
          namespace,
          body,
        });
      continue;
    }
    const [group, version] = o.apiVersion.split('/');
    const plural = {
      Gateway: 'gateways',
      HTTPRoute: 'httproutes',
      AgentgatewayBackend: 'agentgatewaybackends',
      AgentgatewayPolicy: 'agentgatewaypolicies',
    }[o.kind];
    if (!plural || group === 'networking.istio.io') continue;
    const target = { group, version, namespace, plural, name };
    const live: any = await custom.getNamespacedCustomObject(target);
    const generation = live.metadata.generation;
    let status: object;
    if (o.kind === 'Gateway') {
      status = {
        conditions: [
          condition('Accepted', generation),
          condition('Programmed', generation),
        ],
      };
    } else if (o.kind === 'HTTPRoute') {
      status = {
        parents: (live.spec.parentRefs ?? []).map((parentRef: object) => ({
          parentRef,
          controllerName: 'agentgateway.dev/agentgateway',
          conditions: [
            condition('Accepted', generation),
            condition('ResolvedRefs', generation),
          ],
        })),
      };
    } else if (o.kind === 'AgentgatewayPolicy') {
      status = {
        ancestors: (live.spec.targetRefs ?? []).map(
          (ref: { group: string; kind: string; name: string }) => ({
            ancestorRef: { group: ref.group, kind: ref.kind, name: ref.name },
            controllerName: 'agentgateway.dev/agentgateway',
            conditions: [condition('Accepted', generation)],
          }),
        ),
      };
    } else {
      status = { conditions: [condition('Accepted', generation)] };
    }
    await custom.replaceNamespacedCustomObjectStatus({
      ...target,
      body: { ...live, status },
    });
  }
}

/**
 * Waits until the API server's authorizer allows (or, with `allowed` false,
 * denies) what a RoleBinding just written or deleted grants: RBAC decisions
 * come from an informer cache that lags a write by a few milliseconds.
 */
export async function waitForAccess(
  kubeConfig: KubeConfig,
  attributes: {
    namespace: string;
    group: string;
    resource: string;
    verb: string;
  },
  allowed = true,
): Promise<void> {
  const api = kubeConfig.makeApiClient(AuthorizationV1Api);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const review = await api.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: attributes } },
    });
    if (!!review.status?.allowed === allowed) return;
    if (Date.now() > deadline)
      throw new Error(
        `still ${allowed ? 'not ' : ''}allowed after 10 s: ${JSON.stringify(
          attributes,
        )}`,
      );
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** A new namespace with one ServiceAccount in it; answers a TokenRequest token of the account. */
export async function newServiceAccount(
  namespace: string,
  name: string,
): Promise<string> {
  await createNamespace(namespace);
  await kubeConfigOf()
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name } },
    });
  return serviceAccountToken(namespace, name);
}
