import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  AGENTGATEWAY_API,
  GATEWAY_API,
  GATEWAY_CLASS,
  GATEWAY_NAME_LABEL,
  parseImage,
  PoolRenderContext,
} from './context';

/** Private ranges the egress policy keeps the gateway out of (no lateral movement into the cluster network). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * The gateway: AgentgatewayParameters (image, replicas, resources), the
 * Gateway with an HTTPS listener per served host, an HPA up to maxReplicas,
 * a PDB and the egress NetworkPolicy.
 */
export function renderDataPlane(
  ctx: PoolRenderContext,
  extraEgressPorts: number[],
): ManifestObject[] {
  const { pool } = ctx;
  const name = ctx.gatewayName;
  const podAnnotations = Object.keys(pool.annotations).length
    ? { annotations: { ...pool.annotations } }
    : {};
  const parameters: ManifestObject = {
    apiVersion: AGENTGATEWAY_API,
    kind: 'AgentgatewayParameters',
    metadata: ctx.meta(name, 'gateway'),
    spec: {
      image: parseImage(ctx.images.gateway),
      resources: {
        requests: { ...pool.resources.requests },
        limits: { ...pool.resources.limits },
      },
      logging: { format: 'json' },
      deployment: {
        ...(Object.keys(podAnnotations).length
          ? { metadata: { annotations: { ...pool.annotations } } }
          : {}),
        spec: {
          replicas: pool.replicas,
          ...(ctx.images.registryCredentialsSecret
            ? {
                template: {
                  spec: {
                    imagePullSecrets: [
                      { name: ctx.images.registryCredentialsSecret },
                    ],
                  },
                },
              }
            : {}),
        },
      },
    },
  };

  const listener = (section: 'api' | 'mcp') => ({
    name: section,
    hostname: ctx.hosts[section],
    port: 443,
    protocol: 'HTTPS',
    tls: {
      mode: 'Terminate',
      certificateRefs: [{ group: '', kind: 'Secret', name: ctx.tlsSecretName }],
    },
    allowedRoutes: { namespaces: { from: 'Same' } },
  });
  const gateway: ManifestObject = {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: ctx.meta(name, 'gateway'),
    spec: {
      gatewayClassName: GATEWAY_CLASS,
      infrastructure: {
        parametersRef: {
          group: 'agentgateway.dev',
          kind: 'AgentgatewayParameters',
          name,
        },
      },
      listeners: [listener('api'), listener('mcp')],
    },
  };

  const hpa: ManifestObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: ctx.meta(name, 'gateway'),
    spec: {
      // The agentgateway controller names the Deployment after the Gateway.
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: pool.replicas,
      maxReplicas: pool.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 75 },
          },
        },
      ],
    },
  };

  const pdb: ManifestObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: ctx.meta(name, 'gateway'),
    spec: {
      // minAvailable 1 with a single replica would block every node drain.
      ...(pool.replicas > 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }),
      selector: { matchLabels: { [GATEWAY_NAME_LABEL]: name } },
    },
  };

  const publicEgress = (port: number) => ({
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }],
    ports: [{ protocol: 'TCP', port }],
  });
  const extraPorts = [...new Set(extraEgressPorts)]
    .filter(p => p !== 443)
    .sort((a, b) => a - b);
  const networkPolicy: ManifestObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ctx.meta(ctx.name(name, 'egress'), 'gateway'),
    spec: {
      podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: name } },
      policyTypes: ['Egress'],
      egress: [
        // Egress only to LLM providers and remote MCP servers, over HTTPS.
        publicEgress(443),
        // Remote servers on other ports (remote MCP URLs, static backends, the SIEM collector).
        ...(extraPorts.length
          ? [
              {
                to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
                ports: extraPorts.map(port => ({ protocol: 'TCP', port })),
              },
            ]
          : []),
        // Cluster DNS, or no host name resolves.
        {
          to: [
            {
              namespaceSelector: {},
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        // MCP servers and the rate-limit service in the pool's own namespace.
        { to: [{ podSelector: {} }] },
      ],
    },
  };

  return [parameters, gateway, hpa, pdb, networkPolicy];
}
