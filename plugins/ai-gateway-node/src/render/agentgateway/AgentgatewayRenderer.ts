import type { ManifestRenderer, PoolDesiredState, RenderOptions, RenderResult } from '../ManifestRenderer';
import { PoolRenderContext } from './context';
import { renderAiBackend, renderModelRouting } from './aiBackends';
import { renderDataPlane } from './dataPlane';
import { renderExposure } from './exposure';
import { renderMcpServer, urlTarget } from './mcpServers';
import { renderOperator } from './operator';
import { renderPolicy } from './policies';
import { renderRedis } from './redis';
import { renderTls } from './tls';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** Ports outside the cluster the gateway must reach besides 443. */
function egressPorts(state: PoolDesiredState): number[] {
  const ports: number[] = [];
  const { redis } = state.pool;
  if (redis.mode === 'manual') ports.push(redis.port);
  for (const server of state.mcpServers) {
    if (server.source.type === 'remote') ports.push(urlTarget(server.source.url).port);
  }
  for (const backend of state.aiBackends) {
    const spec = backend.spec;
    if (spec.kind === 'static' && spec.port !== undefined) ports.push(spec.port);
    if (spec.kind === 'mcp') {
      spec.targets.forEach(t => t.port !== undefined && ports.push(t.port));
    }
    if (spec.kind === 'ai') {
      spec.groups.forEach(g =>
        g.providers.forEach(p => p.baseUrl && ports.push(urlTarget(p.baseUrl).port)),
      );
    }
  }
  return ports;
}

/**
 * agentgateway (Gateway API + agentgateway.dev/v1alpha1): the operator, the
 * data plane, Redis, exposure, TLS, MCP servers, AI backends and policies of
 * one pool.
 */
export class AgentgatewayRenderer implements ManifestRenderer {
  readonly gateway = 'agentgateway';

  render(state: PoolDesiredState, options: RenderOptions): RenderResult {
    // Inputs are sorted so that the order the store returns them in never
    // changes the output.
    const sorted: PoolDesiredState = {
      pool: state.pool,
      mcpServers: state.mcpServers.filter(s => s.pool === state.pool.name).sort(byName),
      aiBackends: state.aiBackends.filter(b => b.pool === state.pool.name).sort(byName),
      policies: state.policies.filter(p => p.pool === state.pool.name).sort(byName),
    };
    const ctx = new PoolRenderContext(sorted, options);
    const objects = [
      ...renderOperator(ctx),
      ...renderDataPlane(ctx, egressPorts(sorted)),
      ...renderRedis(ctx),
      ...renderTls(ctx),
      ...renderExposure(ctx),
      ...sorted.mcpServers.flatMap(s => renderMcpServer(ctx, s)),
      ...sorted.aiBackends.flatMap(b => renderAiBackend(ctx, b)),
      ...renderModelRouting(ctx, sorted.aiBackends),
      ...sorted.policies.flatMap(p => renderPolicy(ctx, p)),
    ];
    if (state.pool.siem) {
      ctx.warn(
        `the SIEM exporter (${state.pool.siem.format} to ${state.pool.siem.endpoint}) is configured through the gateway's telemetry settings and has no agentgateway object yet`,
      );
    }
    return { objects, warnings: ctx.warnings };
  }
}
