import { modelPatternsOverlap } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  kubernetesName,
  type BudgetRefusal,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { createHash } from 'node:crypto';
import { AGENTGATEWAY_API, PoolRenderContext } from './context';

/** Labels and annotations that say which budget a policy enforces. */
export const BUDGET_LABEL = 'ai-gateway.backstage.io/budget';
export const BUDGET_SCOPE_KIND_LABEL =
  'ai-gateway.backstage.io/budget-scope-kind';
export const BUDGET_SCOPE_LABEL = 'ai-gateway.backstage.io/budget-scope';
export const BUDGET_UNTIL_ANNOTATION = 'ai-gateway.backstage.io/budget-until';

/** AgentgatewayPolicy accepts at most 16 targetRefs. */
const TARGETS_PER_POLICY = 16;
/** agentgateway's directResponse body is at most 4096 bytes. */
const MAX_BODY_BYTES = 4096;
/** Too Many Requests: the client's spend, not the gateway, is the limit. */
const REFUSAL_STATUS = 429;

type RouteRef = { group: string; kind: string; name: string };

const routeRef = (name: string): RouteRef => ({
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  name,
});

/**
 * A label value (at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at
 * both ends). Other characters (the `:` and `/` of an entity ref) become
 * `_`; a value that is still too long is cut and suffixed with a hash of
 * the whole. The exact value is in the annotation of the same name.
 */
export function labelValue(value: string): string {
  const trim = (s: string) =>
    s.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  const safe = trim(value.replace(/[^A-Za-z0-9_.-]/g, '_'));
  if (safe.length <= 63) return safe;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${trim(safe.slice(0, 63 - hash.length - 1))}-${hash}`;
}

/** A CEL string literal (agentgateway evaluates header values as CEL). */
function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The refusal's body, OpenAI's error shape (what LLM clients show their
 * users), cut to what agentgateway accepts.
 */
function refusalBody(refusal: BudgetRefusal): string {
  const body = (message: string) =>
    JSON.stringify({
      error: {
        message,
        type: 'budget_exceeded',
        code: 'budget_exceeded',
        budget: refusal.budget,
        until: refusal.until,
      },
    });
  let message = refusal.message;
  while (
    Buffer.byteLength(body(message)) > MAX_BODY_BYTES &&
    message.length > 0
  ) {
    message = message.slice(0, -Math.max(1, message.length >> 3));
  }
  return body(message);
}

/** HTTP-date of `until` (Retry-After), or undefined when it is no date. */
function retryAfter(until: string): string | undefined {
  const time = Date.parse(until);
  return Number.isNaN(time) ? undefined : new Date(time).toUTCString();
}

/** Splits targets over policies of at most 16 targetRefs each. */
function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += TARGETS_PER_POLICY) {
    out.push(items.slice(i, i + TARGETS_PER_POLICY));
  }
  return out;
}

const unique = (names: string[]) => [...new Set(names)].sort();

/**
 * The routes a refusal covers, by what happens to them: AI backends of kind
 * `ai` are down-routed when the action says so; everything else (MCP
 * servers, other AI backends, or all when refusing) is refused. Only routes
 * the bundle holds are targeted.
 */
function refusalRoutes(
  ctx: PoolRenderContext,
  refusal: BudgetRefusal,
  routes: ReadonlySet<string>,
) {
  const refused: string[] = [];
  const downRouted: string[] = [];
  const routed = (kind: string, name: string, route: string) => {
    if (routes.has(route)) return true;
    ctx.warn(
      `budget ${refusal.budget}: ${kind} ${name} has no route in pool ${ctx.pool.name}; its traffic is not limited here`,
    );
    return false;
  };
  for (const name of unique(refusal.aiBackends)) {
    const backend = ctx.aiBackend(name);
    const route = ctx.aiBackendName(name);
    if (!routed('AI backend', name, route) || !backend) continue;
    if (refusal.action.kind === 'downRoute' && backend.spec.kind === 'ai') {
      const model = refusal.action.model;
      const served = backend.spec.models;
      if (served.length && !served.some(m => modelPatternsOverlap(m, model))) {
        ctx.warn(
          `budget ${refusal.budget}: AI backend ${name} does not list model '${model}' among the models it serves; its providers are asked for it anyway`,
        );
      }
      downRouted.push(route);
    } else {
      refused.push(route);
    }
  }
  for (const name of unique(refusal.mcpServers)) {
    const route = ctx.mcpServerName(name);
    if (!routed('MCP server', name, route) || !ctx.mcpServer(name)) continue;
    refused.push(route);
  }
  return { refused: unique(refused), downRouted: unique(downRouted) };
}

/**
 * The policies that enforce one budget over its hard limit: a traffic
 * `directResponse` (429, the refusal's message, Retry-After) on the
 * HTTPRoutes of the refused AI backends and MCP servers, and for a
 * down-route a backend `ai.overrides` of the request's `model` on the
 * HTTPRoutes of the down-routed AI backends. Route-level policies act on
 * those routes only; nothing else of the pool changes.
 */
function renderRefusal(
  ctx: PoolRenderContext,
  refusal: BudgetRefusal,
  routes: ReadonlySet<string>,
): ManifestObject[] {
  const { refused, downRouted } = refusalRoutes(ctx, refusal, routes);
  const base = ctx.name(ctx.gatewayName, 'budget', refusal.budget);
  const scope = `${refusal.scope.kind}:${refusal.scope.name}`;
  const meta = (name: string) => {
    const m = ctx.meta(name, 'budget', {
      workloadName: base,
      annotations: {
        [BUDGET_LABEL]: refusal.budget,
        [BUDGET_SCOPE_LABEL]: scope,
        [BUDGET_UNTIL_ANNOTATION]: refusal.until,
      },
    });
    return {
      ...m,
      labels: {
        ...m.labels,
        [BUDGET_LABEL]: labelValue(refusal.budget),
        [BUDGET_SCOPE_KIND_LABEL]: refusal.scope.kind,
        [BUDGET_SCOPE_LABEL]: labelValue(refusal.scope.name),
      },
    };
  };
  // The first policy carries the base name; further ones (over 16 routes) a
  // number, the down-route part a suffix.
  const named = (suffix: string, i: number) =>
    kubernetesName([base, suffix, i > 0 ? String(i + 1) : '']);

  const until = retryAfter(refusal.until);
  if (!until) {
    ctx.warn(
      `budget ${refusal.budget}: until '${refusal.until}' is not a date; the refusal carries no Retry-After`,
    );
  }
  const directResponse = {
    status: REFUSAL_STATUS,
    body: refusalBody(refusal),
    headers: [
      { name: 'content-type', value: celString('application/json') },
      ...(until ? [{ name: 'retry-after', value: celString(until) }] : []),
    ],
  };
  const objects: ManifestObject[] = [];
  chunks(refused).forEach((names, i) =>
    objects.push({
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: meta(named('', i)),
      spec: { targetRefs: names.map(routeRef), traffic: { directResponse } },
    }),
  );
  if (refusal.action.kind === 'downRoute') {
    const model = refusal.action.model;
    chunks(downRouted).forEach((names, i) =>
      objects.push({
        apiVersion: AGENTGATEWAY_API,
        kind: 'AgentgatewayPolicy',
        metadata: meta(named('down-route', i)),
        spec: {
          targetRefs: names.map(routeRef),
          backend: { ai: { overrides: [{ field: 'model', value: model }] } },
        },
      }),
    );
  }
  if (!objects.length) {
    ctx.warn(
      `budget ${refusal.budget}: none of its AI backends or MCP servers is in pool ${ctx.pool.name}; nothing is refused`,
    );
  }
  return objects;
}

/**
 * Budgets over their hard limit, enforced by the gateway until their window
 * ends (the control plane lifts a refusal by leaving it out of the next
 * render). No refusals render nothing. `routes` are the names of the
 * HTTPRoutes the bundle holds.
 */
export function renderBudgetRefusals(
  ctx: PoolRenderContext,
  refusals: BudgetRefusal[],
  routes: ReadonlySet<string>,
): ManifestObject[] {
  return [...refusals]
    .sort((a, b) => a.budget.localeCompare(b.budget))
    .flatMap(refusal => renderRefusal(ctx, refusal, routes));
}
