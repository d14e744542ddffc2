import {
  aiBackendPath,
  modelPatternsOverlap,
  parseModelPattern,
  type AiBackend,
  type AiProvider,
  type ModelPattern,
  type Policy,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  AGENTGATEWAY_API,
  GATEWAY_API,
  MODEL_HEADER,
  PoolRenderContext,
} from './context';
import { mcpServerTarget, urlTarget } from './mcpServers';

/** Gateway API allows 64 matches per rule and fewer than 128 per route. */
const MATCHES_PER_RULE = 64;

/**
 * A provider marked unhealthy (server errors, rate limiting) is evicted for
 * a while, so traffic fails over to the next priority group.
 */
const FAILOVER_HEALTH = {
  unhealthyCondition: 'response.code >= 500 || response.code == 429',
  eviction: { duration: '30s', consecutiveFailures: 3 },
};

function providerSpec(
  provider: AiProvider,
  withHealth: boolean,
): Record<string, unknown> {
  const model = provider.model ? { model: provider.model } : {};
  const base = provider.baseUrl ? urlTarget(provider.baseUrl) : undefined;
  // host and port override the provider's public endpoint (proxies, private links).
  const endpoint = base
    ? {
        host: base.host,
        port: base.port,
        ...(base.path !== '/'
          ? { pathPrefix: base.path.replace(/\/$/, '') }
          : {}),
      }
    : {};
  let specific: Record<string, unknown>;
  switch (provider.type) {
    case 'openai':
      specific = { openai: model, ...endpoint };
      break;
    case 'anthropic':
      specific = { anthropic: model, ...endpoint };
      break;
    case 'gemini':
      specific = { gemini: model, ...endpoint };
      break;
    case 'bedrock':
      specific = {
        bedrock: { ...model, region: provider.region },
        ...endpoint,
      };
      break;
    case 'vertex-ai':
      specific = {
        vertexai: {
          ...model,
          projectId: provider.gcpProject,
          region: provider.location,
        },
        ...endpoint,
      };
      break;
    case 'azure-openai':
      // agentgateway derives the Azure resource from `endpoint`; host, port
      // and pathPrefix send the requests where baseUrl says (a private
      // endpoint, a proxy), as for the other providers.
      specific = {
        azureopenai: {
          endpoint: base!.host,
          deploymentName: provider.deployment,
          ...(provider.apiVersion ? { apiVersion: provider.apiVersion } : {}),
        },
        ...endpoint,
      };
      break;
    case 'custom':
      specific = {
        custom: { ...model, formats: [{ type: 'Completions' }] },
        ...endpoint,
      };
      break;
    default:
      throw new Error(
        `unknown provider type ${(provider as { type: string }).type}`,
      );
  }
  const ref = provider.credentialsSecretRef;
  const policies = {
    ...(ref ? { auth: { secretRef: { name: ref.name, key: ref.key } } } : {}),
    ...(withHealth ? { health: FAILOVER_HEALTH } : {}),
    ...(base?.https ? { tls: { sni: base.host } } : {}),
  };
  return {
    name: provider.name,
    ...specific,
    ...(Object.keys(policies).length ? { policies } : {}),
  };
}

function backendSpec(
  ctx: PoolRenderContext,
  backend: AiBackend,
): Record<string, unknown> {
  const spec = backend.spec;
  switch (spec.kind) {
    case 'ai': {
      const providers = spec.groups.reduce((n, g) => n + g.providers.length, 0);
      // The portal refuses weights other than 1; a backend stored before
      // that may still carry them.
      spec.groups.forEach((group, i) => {
        if (group.providers.some(p => p.weight !== 1)) {
          ctx.warn(
            `AI backend ${
              backend.name
            }: agentgateway balances the providers of a group by their health and latency, not by weight; the weights of group ${
              i + 1
            } are not rendered (remove them from the backend)`,
          );
        }
      });
      return {
        ai: {
          // Groups in priority order: the first is primary, the next take over.
          groups: spec.groups.map(group => ({
            providers: group.providers.map(p => providerSpec(p, providers > 1)),
          })),
        },
      };
    }
    case 'static':
      return {
        static: spec.service
          ? {
              host: ctx.serviceHost(spec.service.name, spec.service.namespace),
              port: spec.service.port,
            }
          : { host: spec.host, port: spec.port },
      };
    case 'dynamic-forward-proxy':
      return { dynamicForwardProxy: {} };
    case 'mcp': {
      const targets = spec.targets.flatMap(target => {
        if (target.mcpServer === undefined) {
          return [
            {
              name: target.name,
              static: {
                host: target.host,
                port: target.port,
                ...(target.path ? { path: target.path } : {}),
                protocol: 'StreamableHTTP',
              },
            },
          ];
        }
        const server = ctx.mcpServer(target.mcpServer);
        if (!server) {
          ctx.warn(
            `AI backend ${backend.name}: target ${target.name} names MCP server ${target.mcpServer}, which is not in pool ${ctx.pool.name}; the target is left out`,
          );
          return [];
        }
        return [{ name: target.name, static: mcpServerTarget(ctx, server) }];
      });
      return { mcp: { targets } };
    }
    default:
      throw new Error(
        `unknown backend kind ${(spec as { kind: string }).kind}`,
      );
  }
}

/** Rust regex syntax (agentgateway's), escaped as `regex::escape` does. */
function escapeRegex(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$#&~-]/g, c => `\\${c}`);
}

/** The regular expression of a model pattern, anchored. */
function patternRegex(pattern: ModelPattern): string {
  switch (pattern.kind) {
    case 'exact':
      return `^${escapeRegex(pattern.name)}$`;
    case 'prefix':
      return `^${escapeRegex(pattern.prefix)}.*$`;
    case 'suffix':
      return `^.*${escapeRegex(pattern.suffix)}$`;
    default:
      return '^.+$';
  }
}

/**
 * The HTTPRoute match for a served model. An exact name is an Exact header
 * match. A pattern is a RegularExpression header match (agentgateway
 * requires the whole value to match) with a RegularExpression path `/.*`:
 * agentgateway ranks a RegularExpression path below the implicit PathPrefix
 * `/` of the exact matches (route.rs: Exact > PathPrefix > RegularExpression
 * before any header count), so an exact name of another backend wins over a
 * pattern that also matches it.
 */
function modelMatch(
  model: string,
): { path?: object; headers: object[] } | undefined {
  const pattern = parseModelPattern(model);
  if (!pattern) return undefined;
  if (pattern.kind === 'exact') {
    return { headers: [{ type: 'Exact', name: MODEL_HEADER, value: model }] };
  }
  const regex = patternRegex(pattern);
  return {
    path: { type: 'RegularExpression', value: '/.*' },
    headers: [{ type: 'RegularExpression', name: MODEL_HEADER, value: regex }],
  };
}

/** The HTTPRoute of a backend: `/{name}` always, and one match per served model. */
function backendRoute(
  ctx: PoolRenderContext,
  backend: AiBackend,
  name: string,
): ManifestObject {
  const isMcp = backend.spec.kind === 'mcp';
  const backendRefs = [
    { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name },
  ];
  const rules: Array<Record<string, unknown>> = [
    isMcp
      ? {
          matches: [
            { path: { type: 'PathPrefix', value: aiBackendPath(backend) } },
          ],
          backendRefs,
        }
      : {
          matches: [
            { path: { type: 'PathPrefix', value: aiBackendPath(backend) } },
          ],
          filters: [
            {
              type: 'URLRewrite',
              urlRewrite: {
                path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' },
              },
            },
          ],
          backendRefs,
        },
  ];
  const models = backend.spec.kind === 'ai' ? backend.spec.models : [];
  const matches = models.flatMap(model => {
    const match = modelMatch(model);
    if (!match) {
      ctx.warn(
        `AI backend ${backend.name}: served model '${model}' is not an exact name or a pattern with one '*' first or last; it is not routed`,
      );
    }
    return match ? [match] : [];
  });
  // Exact names first: a rule holds matches of one kind.
  const exact = matches.filter(m => !m.path);
  const patterns = matches.filter(m => m.path);
  for (const group of [exact, patterns]) {
    for (let i = 0; i < group.length; i += MATCHES_PER_RULE) {
      rules.push({
        matches: group.slice(i, i + MATCHES_PER_RULE),
        backendRefs,
      });
    }
  }
  const section = isMcp ? 'mcp' : 'api';
  return {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: ctx.meta(name, 'ai-backend', {
      annotations: { 'ai-gateway.backstage.io/ai-backend': backend.name },
    }),
    spec: {
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: ctx.gatewayName,
          sectionName: section,
        },
      ],
      hostnames: [ctx.hosts[section]],
      rules,
    },
  };
}

/**
 * An AI backend: AgentgatewayBackend (provider groups in priority order with
 * the health policy failover needs, credentials as Secret references) and its
 * HTTPRoute with model-name routing.
 */
export function renderAiBackend(
  ctx: PoolRenderContext,
  backend: AiBackend,
): ManifestObject[] {
  const name = ctx.aiBackendName(backend.name);
  const spec = backendSpec(ctx, backend);
  const mcp = spec.mcp as { targets: unknown[] } | undefined;
  if (mcp && mcp.targets.length === 0) {
    ctx.warn(
      `AI backend ${backend.name} has no target left and is not rendered`,
    );
    return [];
  }
  return [
    {
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayBackend',
      metadata: ctx.meta(name, 'ai-backend', {
        annotations: { 'ai-gateway.backstage.io/ai-backend': backend.name },
      }),
      spec,
    },
    backendRoute(ctx, backend, name),
  ];
}

/**
 * Two backends of the pool that serve one model by equal means (two exact
 * names, or two patterns) leave the choice to agentgateway's tie-break, the
 * older HTTPRoute, which the portal cannot see. An exact name against a
 * pattern is no tie: the exact name wins (see modelMatch).
 */
function warnAmbiguousModels(ctx: PoolRenderContext, backends: AiBackend[]) {
  const served = backends.flatMap(b =>
    b.spec.kind === 'ai'
      ? b.spec.models.map(model => ({ backend: b.name, model }))
      : [],
  );
  served.forEach((a, i) => {
    for (const b of served.slice(i + 1)) {
      if (a.backend === b.backend) continue;
      const exactA = !a.model.includes('*');
      const exactB = !b.model.includes('*');
      if (exactA !== exactB || !modelPatternsOverlap(a.model, b.model)) {
        continue;
      }
      ctx.warn(
        a.model === b.model
          ? `AI backends ${a.backend} and ${b.backend} both serve model '${a.model}'; agentgateway routes it to the older of their routes`
          : `AI backends ${a.backend} ('${a.model}') and ${b.backend} ('${b.model}') both match some model names; agentgateway routes such a model to the older of their routes`,
      );
    }
  });
}

/**
 * Model-name routing: before routing, the requested model is copied from the
 * OpenAI-style body into a header the backends' routes and the per-model
 * rate limits match on.
 */
export function renderModelRouting(
  ctx: PoolRenderContext,
  backends: AiBackend[],
  policies: Policy[],
): ManifestObject[] {
  const routed = backends.some(
    b => b.spec.kind === 'ai' && b.spec.models.length,
  );
  // Per-model rate limits test the same header.
  const limited = policies.some(
    p => Object.keys(p.rateLimit?.models ?? {}).length,
  );
  if (routed) warnAmbiguousModels(ctx, backends);
  if (!routed && !limited) return [];
  return [
    {
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: ctx.meta(ctx.name(ctx.gatewayName, 'model-routing'), 'gateway'),
      spec: {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: ctx.gatewayName,
            sectionName: 'api',
          },
        ],
        traffic: {
          phase: 'PreRouting',
          transformation: {
            request: {
              set: [
                {
                  name: MODEL_HEADER,
                  value: 'string(json(request.body).model)',
                },
              ],
            },
          },
        },
      },
    },
  ];
}
