import type {
  ManifestRenderer,
  PoolDesiredState,
  RenderOptions,
  RenderResult,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { PoolRenderContext } from './context';
import { renderAiBackend, renderModelRouting } from './aiBackends';
import { renderAttribution } from './attribution';
import { renderBudgetRefusals } from './budgets';
import { renderDataPlane } from './dataPlane';
import { renderExposure } from './exposure';
import { renderMcpServer, urlTarget } from './mcpServers';
import { renderOperator } from './operator';
import { renderPolicy } from './policies';
import { renderRateLimitService } from './rateLimits';
import { renderRedis } from './redis';
import { renderSiem, siemTarget } from './siem';
import { renderTls } from './tls';

const byName = <T extends { name: string }>(a: T, b: T) =>
  a.name.localeCompare(b.name);

/**
 * Ports outside the cluster the gateway must reach besides 443. (Redis is
 * reached by the rate-limit service, not by the gateway.)
 */
function egressPorts(
  ctx: PoolRenderContext,
  state: PoolDesiredState,
): number[] {
  const ports: number[] = [];
  const siem = siemTarget(ctx);
  if (siem) ports.push(siem.port);
  for (const server of state.mcpServers) {
    if (server.source.type === 'remote')
      ports.push(urlTarget(server.source.url).port);
  }
  for (const backend of state.aiBackends) {
    const spec = backend.spec;
    if (spec.kind === 'static' && spec.port !== undefined)
      ports.push(spec.port);
    if (spec.kind === 'mcp') {
      spec.targets.forEach(t => t.port !== undefined && ports.push(t.port));
    }
    if (spec.kind === 'ai') {
      spec.groups.forEach(g =>
        g.providers.forEach(
          p => p.baseUrl && ports.push(urlTarget(p.baseUrl).port),
        ),
      );
    }
  }
  return ports;
}

/**
 * agentgateway (Gateway API + agentgateway.dev/v1alpha1): the operator, the
 * data plane, Redis and the rate-limit service counting in it, exposure,
 * TLS, the SIEM exporter, the usage attribution of its metrics, MCP servers,
 * AI backends, policies and the refusals of budgets over their limit of one
 * pool.
 *
 * @public
 */
export class AgentgatewayRenderer implements ManifestRenderer {
  readonly gateway = 'agentgateway';
  readonly managedKinds = [
    { apiVersion: 'v1', kind: 'ServiceAccount', stage: 'bootstrap' as const },
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'Service' },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      stage: 'bootstrap' as const,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      stage: 'bootstrap' as const,
    },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer' },
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    { apiVersion: 'agentgateway.dev/v1alpha1', kind: 'AgentgatewayParameters' },
    { apiVersion: 'agentgateway.dev/v1alpha1', kind: 'AgentgatewayBackend' },
    { apiVersion: 'agentgateway.dev/v1alpha1', kind: 'AgentgatewayPolicy' },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
    { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute' },
    { apiVersion: 'route.openshift.io/v1', kind: 'Route' },
  ];

  render(state: PoolDesiredState, options: RenderOptions): RenderResult {
    // Inputs are sorted so that the order the store returns them in never
    // changes the output.
    const sorted: PoolDesiredState = {
      pool: state.pool,
      mcpServers: state.mcpServers
        .filter(s => s.pool === state.pool.name)
        .sort(byName),
      aiBackends: state.aiBackends
        .filter(b => b.pool === state.pool.name)
        .sort(byName),
      policies: state.policies
        .filter(p => p.pool === state.pool.name)
        .sort(byName),
      ...(state.projects ? { projects: [...state.projects].sort(byName) } : {}),
    };
    const ctx = new PoolRenderContext(sorted, options);
    const objects = [
      ...renderOperator(ctx),
      ...renderDataPlane(ctx, egressPorts(ctx, sorted)),
      ...renderRedis(ctx),
      ...renderRateLimitService(ctx, sorted.policies),
      ...renderTls(ctx),
      ...renderExposure(ctx),
      ...renderSiem(ctx),
      ...renderAttribution(ctx, sorted.mcpServers, sorted.aiBackends),
      ...sorted.mcpServers.flatMap(s => renderMcpServer(ctx, s)),
      ...sorted.aiBackends.flatMap(b => renderAiBackend(ctx, b)),
      ...renderModelRouting(ctx, sorted.aiBackends, sorted.policies),
      ...sorted.policies.flatMap(p => renderPolicy(ctx, p)),
    ];
    // Refusals target the routes rendered above, and only those.
    const routes = new Set(
      objects.filter(o => o.kind === 'HTTPRoute').map(o => o.metadata.name),
    );
    objects.push(
      ...renderBudgetRefusals(ctx, state.budgetRefusals ?? [], routes),
    );
    return { objects, warnings: ctx.warnings };
  }
}
