import {
  OPERATOR_RUNTIME_RULES,
  type ManifestObject,
  type PolicyRule,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { PoolRenderContext } from './context';

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * What the agentgateway data plane adds to the operator's runtime Role: the
 * Gateway itself, agentgateway's own kinds, cert-manager objects and the
 * egress NetworkPolicy. Kept in a second Role so the runtime Role stays
 * the same for every renderer (what security teams review once).
 *
 * @public
 */
export const AGENTGATEWAY_RUNTIME_RULES: readonly PolicyRule[] = [
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gateways'],
    verbs: ALL,
  },
  {
    apiGroups: ['agentgateway.dev'],
    resources: [
      'agentgatewaybackends',
      'agentgatewaypolicies',
      'agentgatewayparameters',
    ],
    verbs: ALL,
  },
  {
    apiGroups: ['cert-manager.io'],
    resources: ['issuers', 'certificates'],
    verbs: ALL,
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['networkpolicies'],
    verbs: ALL,
  },
];

const OPERATOR_PORT = 8080;
/** The distroless "nonroot" user: the operator never runs as root. */
const NON_ROOT_UID = 65532;

/**
 * The operator and its RBAC (bootstrap stage: the installer applies them,
 * since the operator's own Role cannot create Roles). Rendered for agent and
 * gitops delivery; in direct mode the control plane applies and reads back
 * itself, so no operator runs.
 */
export function renderOperator(ctx: PoolRenderContext): ManifestObject[] {
  const { pool } = ctx;
  if (pool.delivery.mode === 'direct') return [];
  const stage = 'bootstrap' as const;
  const name = ctx.operatorName;
  const objects: ManifestObject[] = [];
  const rbacRoles: Array<[string, readonly PolicyRule[]]> = [
    [name, OPERATOR_RUNTIME_RULES],
    [`${name}-agentgateway`, AGENTGATEWAY_RUNTIME_RULES],
  ];

  // A pool-provided ServiceAccount comes with RBAC the platform team binds.
  if (!pool.serviceAccount) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: ctx.meta(name, 'operator', { stage }),
    });
    for (const [roleName, rules] of rbacRoles) {
      objects.push(
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: ctx.meta(roleName, 'operator', {
            stage,
            workloadName: name,
          }),
          rules: rules.map(r => ({ ...r })),
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: ctx.meta(roleName, 'operator', {
            stage,
            workloadName: name,
          }),
          subjects: [
            { kind: 'ServiceAccount', name, namespace: ctx.namespace },
          ],
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: roleName,
          },
        },
      );
    }
  }

  // The token itself is never rendered: the control plane keeps only its
  // hash. The installer sets `token` with its own field manager, so applying
  // this object later leaves the value alone.
  objects.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: ctx.meta(ctx.enrollmentTokenSecret, 'operator', {
      stage,
      workloadName: name,
      annotations: {
        'ai-gateway.backstage.io/token':
          'the pool enrollment token is set at install (key: token); rotate it from the portal',
      },
    }),
    type: 'Opaque',
  });

  const labels = ctx.labels('operator', stage, name);
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ctx.meta(name, 'operator', { stage }),
    spec: {
      replicas: 1,
      selector: { matchLabels: ctx.selector('operator', name) },
      strategy: { type: 'Recreate' },
      template: {
        metadata: {
          labels,
          ...(Object.keys(pool.annotations).length
            ? { annotations: { ...pool.annotations } }
            : {}),
        },
        spec: {
          serviceAccountName: ctx.operatorServiceAccount,
          automountServiceAccountToken: true,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NON_ROOT_UID,
            runAsGroup: NON_ROOT_UID,
            fsGroup: NON_ROOT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(ctx.images.registryCredentialsSecret
            ? {
                imagePullSecrets: [
                  { name: ctx.images.registryCredentialsSecret },
                ],
              }
            : {}),
          containers: [
            {
              name: 'operator',
              image: ctx.images.operator,
              env: [
                {
                  name: 'AIGW_CONTROL_PLANE_URL',
                  value: ctx.options.controlPlaneUrl,
                },
                { name: 'AIGW_POOL', value: pool.name },
                { name: 'AIGW_DELIVERY_MODE', value: pool.delivery.mode },
                {
                  name: 'AIGW_NAMESPACE',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
                {
                  name: 'AIGW_ENROLLMENT_TOKEN',
                  valueFrom: {
                    secretKeyRef: {
                      name: ctx.enrollmentTokenSecret,
                      key: 'token',
                    },
                  },
                },
              ],
              ports: [
                { name: 'http', containerPort: OPERATOR_PORT, protocol: 'TCP' },
              ],
              readinessProbe: {
                httpGet: { path: '/healthz', port: OPERATOR_PORT },
                initialDelaySeconds: 3,
                periodSeconds: 10,
              },
              livenessProbe: {
                httpGet: { path: '/healthz', port: OPERATOR_PORT },
                initialDelaySeconds: 10,
                periodSeconds: 20,
              },
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '250m', memory: '256Mi' },
              },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: NON_ROOT_UID,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  });
  return objects;
}
