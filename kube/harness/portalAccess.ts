import {
  KubernetesApplier,
  OPERATOR_RUNTIME_RULES,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_RUNTIME_RULES } from '@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway';
import { DEFAULT_OBJECTS } from '@backstage/plugin-kubernetes-backend';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  V1PolicyRule,
} from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The portal's own ServiceAccount, in a namespace of its own: pool namespaces only bind it. */
const PORTAL_NAMESPACE = 'ai-gateway-system';
const PORTAL_ACCOUNT = 'ai-gateway-portal';
const RUNTIME_ROLE = 'ai-gateway-runtime';
const READER_ROLE = 'ai-gateway-portal-kubernetes-reader';

/**
 * The pool's objects the Kubernetes tab shows besides the plugin's default
 * kinds: the Gateway and its routes (the CRDs are installed with the cluster).
 */
const GATEWAY_CUSTOM_RESOURCES = [
  { group: 'gateway.networking.k8s.io', apiVersion: 'v1', plural: 'gateways' },
  {
    group: 'gateway.networking.k8s.io',
    apiVersion: 'v1',
    plural: 'httproutes',
  },
];

const READ = ['get', 'list', 'watch'];

/**
 * What @backstage/plugin-kubernetes-backend reads for an entity (its default
 * object types and the custom resources above), cluster-wide: it lists by
 * label selector, in the entity's namespace when the entity names one.
 */
function kubernetesPluginReadRules(): V1PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const { group, plural } of [
    ...DEFAULT_OBJECTS,
    ...GATEWAY_CUSTOM_RESOURCES,
  ]) {
    byGroup.set(group, (byGroup.get(group) ?? new Set()).add(plural));
  }
  return [...byGroup].map(([group, plurals]) => ({
    apiGroups: [group],
    resources: [...plurals].sort(),
    verbs: READ,
  }));
}

/**
 * Sets a cluster up for a portal that delivers `direct` pools to it and shows
 * them in the Kubernetes tab, as its admin (`kubeConfig`), and returns the
 * portal's token:
 * - the ServiceAccount `ai-gateway-system/ai-gateway-portal`;
 * - in each of `poolNamespaces` (created when missing) a Role with the union
 *   of the two runtime Roles (docs/rbac.md: what direct delivery needs)
 *   bound to it;
 * - a ClusterRole reading what the Kubernetes plugin reads, bound to it;
 * - a token of the account from the TokenRequest API, valid `tokenSeconds`.
 *
 * Server-side applied: running it again changes nothing.
 */
export async function grantPortalAccess(
  kubeConfig: KubeConfig,
  options: { poolNamespaces: string[]; tokenSeconds?: number },
): Promise<string> {
  const subject = {
    kind: 'ServiceAccount',
    name: PORTAL_ACCOUNT,
    namespace: PORTAL_NAMESPACE,
  };
  const apply = async (namespace: string, objects: KubernetesObject[]) => {
    const result = await new KubernetesApplier(kubeConfig, { namespace }).apply(
      objects as ManifestObject[],
      { fieldManager: 'ai-gateway-setup' },
    );
    if (result.failed.length)
      throw new Error(
        `setting up the portal's access failed: ${result.failed
          .map(f => `${f.ref}: ${f.code} ${f.message}`)
          .join('; ')}`,
      );
  };
  // The applier puts every namespaced object into its own namespace.
  await apply(PORTAL_NAMESPACE, [
    ...[PORTAL_NAMESPACE, ...options.poolNamespaces].map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: PORTAL_ACCOUNT },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: READER_ROLE },
      rules: kubernetesPluginReadRules(),
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: READER_ROLE },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: READER_ROLE,
      },
      subjects: [subject],
    } as KubernetesObject,
  ]);
  for (const poolNamespace of options.poolNamespaces) {
    await apply(poolNamespace, [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: RUNTIME_ROLE },
        rules: [...OPERATOR_RUNTIME_RULES, ...AGENTGATEWAY_RUNTIME_RULES],
      } as KubernetesObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: RUNTIME_ROLE },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: RUNTIME_ROLE,
        },
        subjects: [subject],
      } as KubernetesObject,
    ]);
  }
  const response = await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccountToken({
      name: PORTAL_ACCOUNT,
      namespace: PORTAL_NAMESPACE,
      body: {
        spec: {
          audiences: [],
          expirationSeconds: options.tokenSeconds ?? 3600,
        },
      },
    });
  return response.status!.token;
}

/**
 * A portal config file (`--config`) whose `kubernetes.clusterLocatorMethods`
 * holds one cluster: the control plane applies `direct` pools of that
 * cluster with the token, and the Kubernetes plugin reads with it.
 */
export function writePortalClusterConfig(
  file: string,
  cluster: { name: string; url: string; caData: string; token: string },
): void {
  const config = {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: cluster.name,
              url: cluster.url,
              caData: cluster.caData,
              authProvider: 'serviceAccount',
              serviceAccountToken: cluster.token,
              // No metrics-server (and no pod ever runs).
              skipMetricsLookup: true,
              customResources: GATEWAY_CUSTOM_RESOURCES,
            },
          ],
        },
      ],
    },
  };
  writeFileSync(
    file,
    `# A cluster for the portal (kube/harness/portalAccess.ts). Holds a token.\n${stringify(
      config,
    )}`,
    { mode: 0o600 },
  );
}
