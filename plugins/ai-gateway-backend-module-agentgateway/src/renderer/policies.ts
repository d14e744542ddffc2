import type { Policy } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { AGENTGATEWAY_API, PoolRenderContext } from './context';
import { globalRateLimit } from './rateLimits';

const GUARD_BUILTINS: Record<string, string> = {
  email: 'Email',
  phone: 'PhoneNumber',
  ssn: 'Ssn',
  'credit-card': 'CreditCard',
  'ca-sin': 'CaSin',
};

type TargetRef = { group: string; kind: string; name: string };

/** The object name of the AI backend or MCP server called `name`, AI backends first. */
function targetObjectName(
  ctx: PoolRenderContext,
  name: string,
): string | undefined {
  if (ctx.aiBackend(name)) return ctx.aiBackendName(name);
  if (ctx.mcpServer(name)) return ctx.mcpServerName(name);
  return undefined;
}

/**
 * The objects a policy target resolves to. A route or backend target names
 * an AI backend or MCP server of the pool (AI backends first, as the control
 * plane's integrity check does).
 */
function resolveTarget(
  ctx: PoolRenderContext,
  policy: Policy,
): { route: TargetRef; backend?: TargetRef } | undefined {
  if (policy.target.kind === 'gateway') {
    return {
      route: {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: ctx.gatewayName,
      },
    };
  }
  const name = targetObjectName(ctx, policy.target.name);
  if (!name) return undefined;
  return {
    route: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name },
    backend:
      policy.target.kind === 'backend'
        ? { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name }
        : undefined,
  };
}

function headerOps(ops: {
  set: Record<string, string>;
  add: Record<string, string>;
  remove: string[];
}) {
  const pairs = (m: Record<string, string>) =>
    Object.keys(m)
      .sort()
      .map(name => ({ name, value: m[name] }));
  const out = {
    ...(Object.keys(ops.set).length ? { set: pairs(ops.set) } : {}),
    ...(Object.keys(ops.add).length ? { add: pairs(ops.add) } : {}),
    ...(ops.remove.length ? { remove: [...ops.remove] } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** Policy sections that act on the request path (Gateway or HTTPRoute targets). */
function trafficSection(ctx: PoolRenderContext, policy: Policy) {
  const traffic: Record<string, unknown> = {};
  if (policy.jwtAuth) {
    const jwt = policy.jwtAuth;
    const mode = {
      strict: 'Strict',
      optional: 'Optional',
      permissive: 'Permissive',
    }[jwt.mode];
    if (jwt.jwks.url) {
      traffic.jwtAuthentication = {
        mode,
        providers: [
          {
            issuer: jwt.issuer,
            ...(jwt.audiences.length ? { audiences: [...jwt.audiences] } : {}),
            jwks: { remote: { url: jwt.jwks.url } },
          },
        ],
      };
    } else {
      // agentgateway reads JWKS inline or from a URL, not from a Secret. The
      // target fails closed rather than running without authentication.
      ctx.warn(
        `policy ${policy.name}: agentgateway cannot read a JWKS from a Secret; use jwks.url. Until then every request to ${policy.target.kind} ${policy.target.name} is refused`,
      );
      traffic.authorization = {
        action: 'Require',
        policy: { matchExpressions: ['false'] },
      };
    }
  }
  if (policy.apiKeyAuth) {
    const key = policy.apiKeyAuth;
    traffic.apiKeyAuthentication = {
      mode: key.mode === 'strict' ? 'Strict' : 'Optional',
      ...(key.secretRef
        ? { secretRef: { name: key.secretRef.name } }
        : { secretSelector: { matchLabels: { ...key.secretSelector } } }),
    };
  }
  if (policy.authorization && !traffic.authorization) {
    traffic.authorization = {
      action: policy.authorization.action === 'allow' ? 'Allow' : 'Deny',
      policy: { matchExpressions: [...policy.authorization.cel] },
    };
  } else if (policy.authorization) {
    ctx.warn(
      `policy ${policy.name}: its authorization rules are not rendered while the target refuses every request`,
    );
  }
  if (policy.rateLimit) traffic.rateLimit = globalRateLimit(ctx, policy);
  if (policy.timeouts?.requestSeconds !== undefined) {
    traffic.timeouts = { request: `${policy.timeouts.requestSeconds}s` };
  }
  if (policy.retries && policy.retries.attempts > 0) {
    traffic.retry = {
      attempts: policy.retries.attempts,
      backoff: `${policy.retries.backoffMs}ms`,
      codes: [...policy.retries.retryOn],
    };
  }
  if (policy.headers) {
    const request = policy.headers.request && headerOps(policy.headers.request);
    const response =
      policy.headers.response && headerOps(policy.headers.response);
    if (request || response) {
      traffic.headerModifiers = {
        ...(request ? { request } : {}),
        ...(response ? { response } : {}),
      };
    }
  }
  return traffic;
}

/** Policy sections that act on the connection to the backend. */
function backendSection(ctx: PoolRenderContext, policy: Policy) {
  const backend: Record<string, unknown> = {};
  if (policy.promptGuard) {
    const guard = (
      g: NonNullable<NonNullable<Policy['promptGuard']>['request']>,
    ) => [
      {
        regex: {
          action: g.action === 'mask' ? 'Mask' : 'Reject',
          ...(g.builtins.length
            ? { builtins: g.builtins.map(b => GUARD_BUILTINS[b]) }
            : {}),
          ...(g.regex.length ? { matches: g.regex.map(r => r.pattern) } : {}),
        },
        ...(g.rejectMessage ? { response: { message: g.rejectMessage } } : {}),
      },
    ];
    backend.ai = {
      promptGuard: {
        ...(policy.promptGuard.request
          ? { request: guard(policy.promptGuard.request) }
          : {}),
        ...(policy.promptGuard.response
          ? { response: guard(policy.promptGuard.response) }
          : {}),
      },
    };
  }
  if (policy.timeouts?.backendRequestSeconds !== undefined) {
    backend.http = {
      requestTimeout: `${policy.timeouts.backendRequestSeconds}s`,
    };
  }
  if (policy.responseCache) {
    ctx.warn(
      `policy ${policy.name}: agentgateway has no response cache; responseCache is not rendered`,
    );
  }
  return backend;
}

/**
 * A policy as AgentgatewayPolicy objects. Request-path sections (auth, rate
 * limits, retries...) attach to the Gateway or HTTPRoute; connection sections
 * (prompt guard, backend timeout) to the same target, or to the
 * AgentgatewayBackend when the policy targets a backend.
 */
export function renderPolicy(
  ctx: PoolRenderContext,
  policy: Policy,
): ManifestObject[] {
  const target = resolveTarget(ctx, policy);
  if (!target) {
    ctx.warn(
      `policy ${policy.name}: its ${policy.target.kind} target ${policy.target.name} is not in pool ${ctx.pool.name}; not rendered`,
    );
    return [];
  }
  const traffic = trafficSection(ctx, policy);
  const backend = backendSection(ctx, policy);
  const name = ctx.name('policy', policy.name);
  const meta = (objectName: string) =>
    ctx.meta(objectName, 'policy', {
      workloadName: name,
      annotations: { 'ai-gateway.backstage.io/policy': policy.name },
    });
  const has = (o: object) => Object.keys(o).length > 0;
  const objects: ManifestObject[] = [];
  if (target.backend) {
    if (has(traffic)) {
      objects.push({
        apiVersion: AGENTGATEWAY_API,
        kind: 'AgentgatewayPolicy',
        metadata: meta(name),
        spec: { targetRefs: [target.route], traffic },
      });
    }
    if (has(backend)) {
      objects.push({
        apiVersion: AGENTGATEWAY_API,
        kind: 'AgentgatewayPolicy',
        metadata: meta(ctx.name(name, 'backend')),
        spec: { targetRefs: [target.backend], backend },
      });
    }
  } else if (has(traffic) || has(backend)) {
    objects.push({
      apiVersion: AGENTGATEWAY_API,
      kind: 'AgentgatewayPolicy',
      metadata: meta(name),
      spec: {
        targetRefs: [target.route],
        ...(has(traffic) ? { traffic } : {}),
        ...(has(backend) ? { backend } : {}),
      },
    });
  }
  return objects;
}
