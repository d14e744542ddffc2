import type { McpServer } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_API, GATEWAY_API, PoolRenderContext } from './context';

const MCP_APP_PROTOCOL = 'agentgateway.dev/mcp';

/** host, port and path of an http(s) URL, with the scheme's default port. */
export function urlTarget(url: string): {
  host: string;
  port: number;
  path: string;
  https: boolean;
} {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  const defaultPort = https ? 443 : 80;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : defaultPort,
    path: u.pathname || '/',
    https,
  };
}

/** Where the gateway reaches an MCP server: its Service, or its remote URL. */
export function mcpServerTarget(
  ctx: PoolRenderContext,
  server: McpServer,
): Record<string, unknown> {
  const protocol = server.transport === 'sse' ? 'SSE' : 'StreamableHTTP';
  if (server.source.type === 'image') {
    return {
      host: ctx.serviceHost(ctx.mcpServerName(server.name)),
      port: server.source.port,
      path: server.transport === 'sse' ? '/sse' : '/mcp',
      protocol,
    };
  }
  const remote = urlTarget(server.source.url);
  const auth = server.source.authSecretRef;
  const policies = {
    ...(auth
      ? { auth: { secretRef: { name: auth.name, key: auth.key } } }
      : {}),
    ...(remote.https ? { tls: { sni: remote.host } } : {}),
  };
  return {
    host: remote.host,
    port: remote.port,
    path: remote.path,
    protocol,
    ...(Object.keys(policies).length ? { policies } : {}),
  };
}

/** A tool name with `*` wildcards as a CEL test on the called tool. */
function toolMatch(tools: string[]): string {
  const exact = tools.filter(t => !t.includes('*'));
  const patterns = tools.filter(t => t.includes('*'));
  const tests = [
    ...(exact.length
      ? [`mcp.tool.name in [${exact.map(t => `'${t}'`).join(', ')}]`]
      : []),
    ...patterns.map(
      p =>
        `mcp.tool.name.matches('^${p
          .replace(/[.]/g, '\\\\.')
          .replace(/\*/g, '.*')}$')`,
    ),
  ];
  return tests.join(' || ');
}

/**
 * An MCP server: for an image a Deployment + Service (appProtocol
 * agentgateway.dev/mcp, autoscaled up to the pool's maxReplicas); then the
 * AgentgatewayBackend `mcp`, the HTTPRoute serving `/{prefix}/mcp` on the
 * pool's MCP host, and the tool allow/deny lists as MCP authorization.
 */
export function renderMcpServer(
  ctx: PoolRenderContext,
  server: McpServer,
): ManifestObject[] {
  const name = ctx.mcpServerName(server.name);
  const component = 'mcp-server';
  const objects: ManifestObject[] = [];
  const meta = (objectName = name) =>
    ctx.meta(objectName, component, {
      workloadName: name,
      annotations: { 'ai-gateway.backstage.io/mcp-server': server.name },
    });

  if (server.source.type === 'image') {
    const source = server.source;
    const resources = source.resources ?? ctx.pool.resources;
    const autoscaled = ctx.pool.maxReplicas > source.replicas;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(),
      spec: {
        // With an HPA the replica count is the HPA's: applying it here would
        // take spec.replicas back from the HPA on every apply.
        ...(autoscaled ? {} : { replicas: source.replicas }),
        selector: { matchLabels: ctx.selector(component, name) },
        template: {
          metadata: {
            labels: ctx.labels(component, 'runtime', name),
            ...(Object.keys(ctx.pool.annotations).length
              ? { annotations: { ...ctx.pool.annotations } }
              : {}),
          },
          spec: {
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            ...(ctx.images.registryCredentialsSecret
              ? {
                  imagePullSecrets: [
                    { name: ctx.images.registryCredentialsSecret },
                  ],
                }
              : {}),
            containers: [
              {
                name: 'mcp-server',
                image: source.image,
                ports: [
                  { name: 'mcp', containerPort: source.port, protocol: 'TCP' },
                ],
                env: [
                  ...Object.keys(source.env)
                    .sort()
                    .map(key => ({ name: key, value: source.env[key] })),
                  ...source.secretEnv.map(e => ({
                    name: e.name,
                    valueFrom: {
                      secretKeyRef: {
                        name: e.secretRef.name,
                        key: e.secretRef.key,
                      },
                    },
                  })),
                ],
                resources: {
                  ...(resources.requests
                    ? { requests: { ...resources.requests } }
                    : {}),
                  ...(resources.limits
                    ? { limits: { ...resources.limits } }
                    : {}),
                },
                readinessProbe: {
                  tcpSocket: { port: source.port },
                  periodSeconds: 10,
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        type: 'ClusterIP',
        selector: ctx.selector(component, name),
        ports: [
          {
            name: 'mcp',
            port: source.port,
            targetPort: 'mcp',
            protocol: 'TCP',
            appProtocol: MCP_APP_PROTOCOL,
          },
        ],
      },
    });
    if (autoscaled) {
      objects.push({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: source.replicas,
          maxReplicas: ctx.pool.maxReplicas,
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
      });
    }
  }

  objects.push({
    apiVersion: AGENTGATEWAY_API,
    kind: 'AgentgatewayBackend',
    metadata: meta(),
    spec: {
      mcp: {
        targets: [
          { name: server.prefix, static: mcpServerTarget(ctx, server) },
        ],
      },
    },
  });

  objects.push({
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: meta(),
    spec: {
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: ctx.gatewayName,
          sectionName: 'mcp',
        },
      ],
      hostnames: [ctx.hosts.mcp],
      rules: [
        {
          matches: [
            { path: { type: 'PathPrefix', value: `/${server.prefix}/mcp` } },
          ],
          backendRefs: [
            { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name },
          ],
        },
      ],
    },
  });

  // Allow: only the listed tools. Deny: a Require rule (agentgateway advises
  // against Deny rules, which fail open when an expression errors).
  const toolRules: Array<[string, 'Allow' | 'Require', string]> = [];
  if (server.tools.allow.length) {
    toolRules.push(['allow-tools', 'Allow', toolMatch(server.tools.allow)]);
  }
  if (server.tools.deny.length) {
    toolRules.push([
      'deny-tools',
      'Require',
      `!(${toolMatch(server.tools.deny)})`,
    ]);
  }
  for (const [suffix, action, expression] of toolRules) {
    objects.push({
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: meta(ctx.name(name, suffix)),
      spec: {
        targetRefs: [
          { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name },
        ],
        backend: {
          mcp: {
            authorization: {
              action,
              policy: { matchExpressions: [expression] },
            },
          },
        },
      },
    });
  }
  return objects;
}
