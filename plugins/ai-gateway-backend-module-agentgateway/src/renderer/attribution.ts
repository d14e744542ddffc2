import {
  normalizeGroupRef,
  USAGE_ANONYMOUS_CONSUMER,
  USAGE_CONSUMER_HEADER,
  USAGE_METRIC_LABELS,
  USAGE_UNKNOWN_LABEL_VALUE,
  type AiBackend,
  type McpServer,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_API, PoolRenderContext } from './context';

/** The CRD's maxLength of one CEL expression (AgentgatewayPolicy `CELExpression`). */
export const MAX_EXPRESSION_LENGTH = 16384;

/**
 * A header value becomes the consumer only when it looks like a name: the
 * header is the caller's own claim, and a bounded alphabet and length keep
 * odd values out of the label (each distinct value is a new series).
 */
const CONSUMER_HEADER_PATTERN = '^[-A-Za-z0-9._@:/]{1,128}$';

/** The HTTPRoute a request was routed by, or "" when it matched none. */
const ROUTE_NAME = 'coalesce(proxy.route.name, "")';

const celString = (value: string) => JSON.stringify(value);

/**
 * The consumer of a request: the verified JWT's `sub`; else the `consumer`
 * of the API key's metadata; else the consumer header when it looks like a
 * name; else anonymous. `coalesce` skips what is missing (no JWT policy, no
 * claim, no header).
 */
export const CONSUMER_EXPRESSION = `coalesce(jwt.sub, apiKey.consumer, request.headers[${celString(
  USAGE_CONSUMER_HEADER,
)}].matches(${celString(
  CONSUMER_HEADER_PATTERN,
)}) ? request.headers[${celString(USAGE_CONSUMER_HEADER)}] : null, ${celString(
  USAGE_ANONYMOUS_CONSUMER,
)})`;

type RouteValue = { route: string; value: string };

/**
 * A CEL expression giving each route's value: routes are grouped by value,
 * and routes with the fallback's value (and requests no route matched) get
 * the fallback. Deterministic: groups and routes are sorted.
 */
export function routeValueExpression(
  routes: RouteValue[],
  fallback: string,
): string {
  const byValue = new Map<string, string[]>();
  for (const { route, value } of routes) {
    if (value === fallback) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), route]);
  }
  const branches = [...byValue.keys()].sort().map(value => {
    const names = [...new Set(byValue.get(value))].sort().map(celString);
    return `${ROUTE_NAME} in [${names.join(', ')}] ? ${celString(value)} : `;
  });
  return `${branches.join('')}${celString(fallback)}`;
}

/** A project's owner as the `team` label shows it. */
function teamOf(ctx: PoolRenderContext, project: string): string {
  const owner = ctx.projectOwner(project);
  return owner ? normalizeGroupRef(owner) ?? owner : USAGE_UNKNOWN_LABEL_VALUE;
}

/**
 * Usage attribution at the source: an AgentgatewayPolicy on the Gateway
 * whose `frontend.metrics.attributes` add the labels `project`, `team` and
 * `consumer` to every metric agentgateway records for the pool's traffic
 * (HTTP, MCP and gen_ai metrics alike).
 *
 * agentgateway takes metric attributes only as a frontend policy, on a
 * Gateway or listener, not on a route. So the per-route attribution is in
 * the expressions: the route that served the request (`proxy.route.name`,
 * known even when a route policy refused the request) gives the project of
 * its MCP server or AI backend, and that project's owner the team. Requests
 * no route matched count for the pool's project.
 */
export function renderAttribution(
  ctx: PoolRenderContext,
  mcpServers: McpServer[],
  aiBackends: AiBackend[],
): ManifestObject[] {
  const poolProject = ctx.pool.project;
  const routes = [
    ...mcpServers.map(s => ({
      route: ctx.mcpServerName(s.name),
      project: s.project,
    })),
    ...aiBackends.map(b => ({
      route: ctx.aiBackendName(b.name),
      project: b.project,
    })),
  ];
  let project = routeValueExpression(
    routes.map(r => ({ route: r.route, value: r.project })),
    poolProject,
  );
  let team = routeValueExpression(
    routes.map(r => ({ route: r.route, value: teamOf(ctx, r.project) })),
    teamOf(ctx, poolProject),
  );
  const tooLong = [project, team].some(e => e.length > MAX_EXPRESSION_LENGTH);
  if (tooLong) {
    ctx.warn(
      `usage attribution: the pool's routes in other projects are more than one agentgateway expression can list (${MAX_EXPRESSION_LENGTH} characters); all traffic of pool ${ctx.pool.name} is counted for its own project ${poolProject}`,
    );
    project = celString(poolProject);
    team = celString(teamOf(ctx, poolProject));
  }
  const ownerless = [
    ...new Set([poolProject, ...routes.map(r => r.project)]),
  ].filter(p => !ctx.projectOwner(p));
  if (ctx.projectsGiven && ownerless.length) {
    ctx.warn(
      `usage attribution: the owner of project ${ownerless
        .sort()
        .join(
          ', ',
        )} is not known; its traffic is counted for team ${USAGE_UNKNOWN_LABEL_VALUE}`,
    );
  }
  const name = ctx.name(ctx.gatewayName, 'usage-attribution');
  return [
    {
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: ctx.meta(name, 'gateway'),
      spec: {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: ctx.gatewayName,
          },
        ],
        frontend: {
          metrics: {
            attributes: {
              add: [
                { name: USAGE_METRIC_LABELS.project, expression: project },
                { name: USAGE_METRIC_LABELS.team, expression: team },
                {
                  name: USAGE_METRIC_LABELS.consumer,
                  expression: CONSUMER_EXPRESSION,
                },
              ],
            },
          },
        },
      },
    },
  ];
}
