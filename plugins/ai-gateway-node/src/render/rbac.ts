/**
 * RBAC of a pool: the operator's runtime Role and the deployer Role a person
 * needs to install a pool (both documented in docs/rbac.md). Everything is namespace-scoped: the operator
 * never needs a ClusterRole.
 *
 * @public
 */
export type PolicyRule = {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
};

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * The operator's runtime Role: the workloads, services, configuration and routes of its namespace.
 *
 * @public
 */
export const OPERATOR_RUNTIME_RULES: readonly PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'services',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
    ],
    verbs: ALL,
  },
  { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'statefulsets'],
    verbs: ALL,
  },
  {
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: ALL,
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ALL },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ALL },
  {
    apiGroups: ['networking.istio.io'],
    resources: ['gateways', 'virtualservices'],
    verbs: ALL,
  },
  { apiGroups: ['traefik.io'], resources: ['ingressroutes'], verbs: ALL },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['httproutes'],
    verbs: ALL,
  },
  { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ALL },
];

/**
 * The deployer Role (what a person needs to install a pool). With a
 * pool-provided ServiceAccount the install neither creates the account nor
 * any RBAC, so it only needs to read the account.
 *
 * @public
 */
export function deployerRules(options: {
  poolProvidedServiceAccount: boolean;
  /**
   * The rules of the Roles the bootstrap creates. Kubernetes lets a subject
   * create a Role only with permissions it holds itself (privilege escalation
   * prevention), so the installer must hold these too.
   */
  grantedRules?: readonly PolicyRule[];
}): PolicyRule[] {
  const rules: PolicyRule[] = [
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ALL },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ALL },
    { apiGroups: [''], resources: ['services'], verbs: ALL },
    { apiGroups: [''], resources: ['secrets'], verbs: ALL },
    { apiGroups: [''], resources: ['configmaps'], verbs: ALL },
    {
      apiGroups: [''],
      resources: ['persistentvolumeclaims'],
      verbs: ['get', 'create', 'update', 'patch'],
    },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    { apiGroups: [''], resources: ['events'], verbs: ['get', 'list'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ALL },
    {
      apiGroups: ['autoscaling'],
      resources: ['horizontalpodautoscalers'],
      verbs: ALL,
    },
  ];
  if (options.poolProvidedServiceAccount) {
    rules.push({
      apiGroups: [''],
      resources: ['serviceaccounts'],
      verbs: ['get'],
    });
  } else {
    const write = ['get', 'create', 'update', 'patch'];
    rules.push(
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: write },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles'],
        verbs: write,
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings'],
        verbs: write,
      },
    );
  }
  return mergeRules([...rules, ...(options.grantedRules ?? [])]);
}

/**
 * Rules with the same API group and resource merged into one (verbs in the
 * order first seen), so a Role lists each resource once.
 *
 * @public
 */
export function mergeRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const rule of rules) {
    for (const apiGroup of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = `${apiGroup}\u0000${resource}`;
        const existing = merged.get(key);
        if (existing) {
          for (const verb of rule.verbs)
            if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
        } else {
          merged.set(key, {
            apiGroups: [apiGroup],
            resources: [resource],
            verbs: [...rule.verbs],
          });
        }
      }
    }
  }
  return [...merged.values()];
}

/**
 * True when `rules` let a subject do `verb` on `resource` of `apiGroup`.
 *
 * @public
 */
export function rulesAllow(
  rules: readonly PolicyRule[],
  apiGroup: string,
  resource: string,
  verb: string,
): boolean {
  return rules.some(
    r =>
      (r.apiGroups.includes(apiGroup) || r.apiGroups.includes('*')) &&
      (r.resources.includes(resource) || r.resources.includes('*')) &&
      (r.verbs.includes(verb) || r.verbs.includes('*')),
  );
}
