import { createHash } from 'node:crypto';
import {
  parseModelPattern,
  type Policy,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { MODEL_HEADER, PoolRenderContext } from './context';
import { redisConnection } from './redis';

/**
 * Envoy's rate-limit service, the one agentgateway's own global rate-limit
 * tests run against (agentgateway calls it over gRPC for every
 * `traffic.rateLimit.global`; it keeps the counters in Redis).
 */
export const RATE_LIMIT_IMAGE = 'docker.io/envoyproxy/ratelimit:3e085e5b';
const GRPC_PORT = 8081;
const HTTP_PORT = 8080;
/** nobody: the image runs as root unless told otherwise. */
const NON_ROOT_UID = 65534;
const CONFIG_DIR = '/data/ratelimit/config';
/** The pod annotation that rolls the service when its configuration changes. */
const CONFIG_HASH_ANNOTATION = 'ai-gateway.backstage.io/ratelimit-config';

/** One budget of a policy's rate limit. */
type Bucket = {
  /** The `models` entry it is for; the policy's own limit has none. */
  model?: string;
  /** CEL that holds for the requests it counts (none: every other request). */
  condition?: string;
  amount: number;
};

/** A CEL string literal. */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The CEL condition that holds for a request of `model` (a model pattern). */
function modelCondition(model: string): string | undefined {
  const pattern = parseModelPattern(model);
  const requested = `request.headers['${MODEL_HEADER}']`;
  switch (pattern?.kind) {
    case 'exact':
      return `${requested} == ${celString(pattern.name)}`;
    case 'prefix':
      return `${requested}.startsWith(${celString(pattern.prefix)})`;
    case 'suffix':
      return `${requested}.endsWith(${celString(pattern.suffix)})`;
    default:
      // '*' is the base limit itself; anything else is no pattern.
      return undefined;
  }
}

/** Exact names before patterns; longer patterns before shorter ones. */
function specificity(model: string): number {
  return model.includes('*') ? model.length : Number.MAX_SAFE_INTEGER;
}

/**
 * The budgets of a policy's rate limit: one per model entry, most specific
 * first, then the policy's own limit for every other request. Model keys
 * that are no model pattern (stored before the portal refused them) are
 * left out; `warn` hears about them.
 */
export function rateLimitBuckets(
  policy: Policy,
  warn: (message: string) => void = () => {},
): Bucket[] {
  const limit = policy.rateLimit!;
  const models = Object.keys(limit.models ?? {})
    .map(model => ({ model, condition: modelCondition(model) }))
    .filter(c => {
      if (c.condition === undefined) {
        warn(
          `policy ${policy.name}: rate limit model '${c.model}' is not a model name or a pattern with one '*' first or last; it is not rendered`,
        );
      }
      return c.condition !== undefined;
    })
    .sort(
      (a, b) =>
        specificity(b.model) - specificity(a.model) ||
        a.model.localeCompare(b.model),
    )
    .map(({ model, condition }) => ({
      model,
      condition,
      amount: limit.models![model],
    }));
  return [...models, { amount: (limit.requests ?? limit.tokens)! }];
}

/**
 * A policy's rate limit as agentgateway global limits: each budget is a
 * descriptor (policy, and model for a model's own budget) the rate-limit
 * service counts in Redis, so all replicas of the gateway share it. When the
 * service cannot be reached requests pass (FailOpen): a rate-limit outage
 * does not become a gateway outage, and the pool's health shows the
 * service as not ready.
 */
export function globalRateLimit(
  ctx: PoolRenderContext,
  policy: Policy,
): Record<string, unknown> {
  const limit = policy.rateLimit!;
  if (limit.perModel && !limit.models) {
    // The portal requires models with perModel; a policy stored before that
    // may lack them.
    ctx.warn(
      `policy ${policy.name}: perModel names no models; only the models named in models get a budget of their own, so every model shares one budget`,
    );
  }
  const global = (bucket: Bucket) => ({
    backendRef: {
      group: '',
      kind: 'Service',
      name: ctx.rateLimitServiceName,
      port: GRPC_PORT,
    },
    domain: ctx.rateLimitDomain,
    failureMode: 'FailOpen',
    descriptors: [
      {
        entries: [
          { name: 'policy', expression: celString(policy.name) },
          ...(bucket.model
            ? [{ name: 'model', expression: celString(bucket.model) }]
            : []),
        ],
        ...(limit.tokens !== undefined ? { unit: 'Tokens' } : {}),
      },
    ],
  });
  const buckets = rateLimitBuckets(policy, message => ctx.warn(message));
  if (buckets.length === 1) return { global: global(buckets[0]) };
  // agentgateway applies the first condition that holds.
  return {
    conditional: buckets.map(bucket => ({
      ...(bucket.condition ? { condition: bucket.condition } : {}),
      policy: { global: global(bucket) },
    })),
  };
}

/** The rate-limit service's configuration: every budget of the pool's policies. */
function rateLimitConfig(ctx: PoolRenderContext, policies: Policy[]) {
  const rateLimit = (policy: Policy, amount: number) => ({
    // second, minute, hour or day: the service counts in calendar windows.
    unit: policy.rateLimit!.unit,
    requests_per_unit: amount,
  });
  return {
    domain: ctx.rateLimitDomain,
    descriptors: policies
      .filter(p => p.rateLimit)
      .map(policy => {
        const buckets = rateLimitBuckets(policy);
        const models = buckets.filter(b => b.model !== undefined);
        const base = buckets[buckets.length - 1];
        return {
          key: 'policy',
          value: policy.name,
          rate_limit: rateLimit(policy, base.amount),
          ...(models.length
            ? {
                descriptors: models.map(b => ({
                  key: 'model',
                  value: b.model,
                  rate_limit: rateLimit(policy, b.amount),
                })),
              }
            : {}),
        };
      }),
  };
}

/**
 * The pool's rate-limit service: Envoy's ratelimit with the budgets of the
 * pool's policies (ConfigMap), counting in the pool's Redis (auto or
 * manual), behind a Service the policies' global limits call. It runs in
 * every pool, so a policy added later only changes the ConfigMap.
 */
export function renderRateLimitService(
  ctx: PoolRenderContext,
  policies: Policy[],
): ManifestObject[] {
  const { pool } = ctx;
  const name = ctx.rateLimitServiceName;
  const component = 'ratelimit';
  // JSON is YAML: the service reads it as its YAML configuration.
  const config = `${JSON.stringify(rateLimitConfig(ctx, policies), null, 2)}\n`;
  const redis = redisConnection(ctx);
  const replicas = pool.replicas > 1 ? 2 : 1;
  const podAnnotations = {
    ...pool.annotations,
    [CONFIG_HASH_ANNOTATION]: createHash('sha256')
      .update(config)
      .digest('hex')
      .slice(0, 16),
  };
  const securityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  const configMap: ManifestObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: ctx.meta(name, component),
    data: { 'config.yaml': config },
  };
  const deployment: ManifestObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ctx.meta(name, component),
    spec: {
      replicas,
      selector: { matchLabels: ctx.selector(component, name) },
      template: {
        metadata: {
          labels: ctx.labels(component, 'runtime', name),
          annotations: podAnnotations,
        },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NON_ROOT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // The service exits when Redis does not answer at start-up.
          initContainers: [
            {
              name: 'wait-for-redis',
              image: RATE_LIMIT_IMAGE,
              command: [
                'sh',
                '-c',
                `until timeout 1 nc -z ${redis.host} ${redis.port}; do echo waiting for redis; sleep 1; done`,
              ],
              resources: {
                requests: { cpu: '10m', memory: '16Mi' },
                limits: { cpu: '100m', memory: '64Mi' },
              },
              securityContext,
            },
          ],
          containers: [
            {
              name: 'ratelimit',
              image: RATE_LIMIT_IMAGE,
              command: ['/bin/ratelimit'],
              ports: [
                { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
                { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
              ],
              env: [
                { name: 'USE_STATSD', value: 'false' },
                { name: 'LOG_LEVEL', value: 'warn' },
                { name: 'RUNTIME_ROOT', value: '/data' },
                { name: 'RUNTIME_SUBDIRECTORY', value: 'ratelimit' },
                { name: 'RUNTIME_APPDIRECTORY', value: 'config' },
                // A ConfigMap volume swaps hidden ..data links on update.
                { name: 'RUNTIME_IGNOREDOTFILES', value: 'true' },
                { name: 'RUNTIME_WATCH_ROOT', value: 'false' },
                { name: 'REDIS_SOCKET_TYPE', value: 'tcp' },
                ...redis.env,
              ],
              readinessProbe: {
                httpGet: { path: '/healthcheck', port: 'http' },
                periodSeconds: 5,
              },
              livenessProbe: {
                httpGet: { path: '/healthcheck', port: 'http' },
                initialDelaySeconds: 10,
                periodSeconds: 10,
              },
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext,
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [{ name: 'config', configMap: { name } }],
        },
      },
    },
  };
  const service: ManifestObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(name, component),
    spec: {
      type: 'ClusterIP',
      selector: ctx.selector(component, name),
      ports: [
        {
          name: 'grpc',
          port: GRPC_PORT,
          targetPort: 'grpc',
          protocol: 'TCP',
          // Plain-text HTTP/2: how agentgateway speaks gRPC to it.
          appProtocol: 'kubernetes.io/h2c',
        },
      ],
    },
  };
  const pdb: ManifestObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: ctx.meta(name, component),
    spec: {
      // minAvailable 1 with a single replica would block every node drain.
      ...(replicas > 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }),
      selector: { matchLabels: ctx.selector(component, name) },
    },
  };
  return [configMap, deployment, service, pdb];
}
