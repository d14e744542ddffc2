/**
 * One served resource type, as the API server's discovery describes it.
 *
 * @public
 */
export type ResourceType = {
  /** API group; '' is the core group (served under /api). */
  group: string;
  version: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /**
   * Defined by a CustomResourceDefinition rather than compiled into the API
   * server. The real server treats these differently in a few visible ways
   * (no strategic merge patch, list items keep apiVersion/kind, DELETE returns
   * the object, PUT needs a resourceVersion), which the test server mimics.
   */
  custom?: boolean;
};

export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `deployments.apps` / `configmaps`: how the API server names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function builtin(
  apiVersion: string,
  kinds: Array<
    [kind: string, plural: string, namespaced: boolean, shortNames?: string[]]
  >,
  custom = false,
): ResourceType[] {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return kinds.map(([kind, plural, namespaced, shortNames]) => ({
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    ...(shortNames ? { shortNames } : {}),
    ...(custom ? { custom } : {}),
  }));
}

/** The resource types served by default: what the project's manifests and operator touch. */
export const DEFAULT_RESOURCE_TYPES: ResourceType[] = [
  ...builtin('v1', [
    ['Namespace', 'namespaces', false, ['ns']],
    ['ServiceAccount', 'serviceaccounts', true, ['sa']],
    ['Secret', 'secrets', true],
    ['ConfigMap', 'configmaps', true, ['cm']],
    ['Service', 'services', true, ['svc']],
    ['PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']],
    ['Pod', 'pods', true, ['po']],
    ['Event', 'events', true, ['ev']],
  ]),
  ...builtin('apps/v1', [
    ['Deployment', 'deployments', true, ['deploy']],
    ['StatefulSet', 'statefulsets', true, ['sts']],
  ]),
  ...builtin('policy/v1', [
    ['PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb']],
  ]),
  ...builtin('autoscaling/v2', [
    ['HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['hpa']],
  ]),
  ...builtin('networking.k8s.io/v1', [
    ['Ingress', 'ingresses', true, ['ing']],
    ['NetworkPolicy', 'networkpolicies', true, ['netpol']],
  ]),
  ...builtin('rbac.authorization.k8s.io/v1', [
    ['Role', 'roles', true],
    ['RoleBinding', 'rolebindings', true],
    ['ClusterRole', 'clusterroles', false],
    ['ClusterRoleBinding', 'clusterrolebindings', false],
  ]),
  ...builtin('coordination.k8s.io/v1', [['Lease', 'leases', true]]),
  ...builtin('apiextensions.k8s.io/v1', [
    ['CustomResourceDefinition', 'customresourcedefinitions', false, ['crd']],
  ]),
  ...builtin(
    'gateway.networking.k8s.io/v1',
    [
      ['Gateway', 'gateways', true, ['gtw']],
      ['HTTPRoute', 'httproutes', true],
      ['GatewayClass', 'gatewayclasses', false, ['gc']],
    ],
    true,
  ),
  ...builtin(
    'agentgateway.dev/v1alpha1',
    [
      ['AgentgatewayBackend', 'agentgatewaybackends', true],
      ['AgentgatewayPolicy', 'agentgatewaypolicies', true],
      ['AgentgatewayParameters', 'agentgatewayparameters', true],
    ],
    true,
  ),
  ...builtin(
    'cert-manager.io/v1',
    [
      ['Issuer', 'issuers', true],
      ['Certificate', 'certificates', true, ['cert']],
      ['ClusterIssuer', 'clusterissuers', false],
    ],
    true,
  ),
  ...builtin(
    'networking.istio.io/v1',
    [
      ['Gateway', 'gateways', true, ['gw']],
      ['VirtualService', 'virtualservices', true, ['vs']],
    ],
    true,
  ),
  ...builtin(
    'traefik.io/v1alpha1',
    [['IngressRoute', 'ingressroutes', true]],
    true,
  ),
  // Served by the aggregated OpenShift API server, not a CRD.
  ...builtin('route.openshift.io/v1', [['Route', 'routes', true]]),
];

/** Which resource types exist and which are served; answers discovery. */
export class ResourceCatalog {
  private readonly byApiVersion = new Map<string, ResourceType[]>();
  private readonly groupOrder: string[] = [];

  constructor(
    types: ResourceType[],
    private readonly isServed: (group: string) => boolean,
  ) {
    for (const type of types) {
      const apiVersion = apiVersionOf(type);
      let list = this.byApiVersion.get(apiVersion);
      if (!list) {
        list = [];
        this.byApiVersion.set(apiVersion, list);
      }
      const index = list.findIndex(t => t.plural === type.plural);
      if (index >= 0) list[index] = type;
      else list.push(type);
      if (type.group && !this.groupOrder.includes(type.group)) {
        this.groupOrder.push(type.group);
      }
    }
  }

  /** A type by apiVersion and kind, whether or not it is served (for seeding). */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byApiVersion.get(apiVersion)?.find(t => t.kind === kind);
  }

  /** A served type by group, version and plural. */
  served(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    if (!this.isServed(group)) return undefined;
    return this.byApiVersion
      .get(apiVersionOf({ group, version }))
      ?.find(t => t.plural === plural);
  }

  servedVersion(group: string, version: string): ResourceType[] | undefined {
    if (!this.isServed(group)) return undefined;
    return this.byApiVersion.get(apiVersionOf({ group, version }));
  }

  /** `GET /api` */
  coreVersions(serverAddress: string): object {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  /** `GET /apis` */
  groupList(): object {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.groupOrder
        .filter(group => this.isServed(group))
        .map(group => this.group(group)),
    };
  }

  /** `GET /apis/<group>`, undefined when not served. */
  group(group: string): object | undefined {
    if (!group || !this.isServed(group)) return undefined;
    const versions = [...this.byApiVersion.keys()]
      .filter(apiVersion => apiVersion.startsWith(`${group}/`))
      .map(groupVersion => ({
        groupVersion,
        version: groupVersion.slice(group.length + 1),
      }));
    if (versions.length === 0) return undefined;
    return {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: group,
      versions,
      preferredVersion: versions[0],
    };
  }

  /** `GET /api/v1`, `GET /apis/<group>/<version>`; undefined when not served. */
  resourceList(group: string, version: string): object | undefined {
    const types = this.servedVersion(group, version);
    if (!types) return undefined;
    const resources: object[] = [];
    for (const type of types) {
      resources.push({
        name: type.plural,
        singularName: type.singular,
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: VERBS,
        ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      });
    }
    // Subresources come after their resources, as on a real server, so
    // clients that take the first entry of a kind get the main resource.
    for (const type of types) {
      resources.push({
        name: `${type.plural}/status`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: apiVersionOf({ group, version }),
      resources,
    };
  }
}
