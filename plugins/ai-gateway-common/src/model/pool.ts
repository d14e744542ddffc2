import { z } from 'zod';
import {
  descriptionSchema,
  dnsLabelSchema,
  dnsSubdomainSchema,
  hostSchema,
  httpUrlSchema,
  labelsOrAnnotationsSchema,
  objectNameSchema,
  resourceRequirementsSchema,
  secretNameSchema,
  secretRefSchema,
} from './primitives';

export const clusterTypes = ['eks', 'aks', 'gke', 'openshift', 'native'] as const;
export const gatewayFlavours = ['agentgateway'] as const;
export const ingressKinds = [
  'kubernetes-ingress',
  'istio',
  'traefik',
  'gateway-api',
  'openshift-route',
] as const;
export const deliveryModes = ['direct', 'agent', 'gitops'] as const;
export const dns01Providers = [
  'route53',
  'cloudflare',
  'clouddns',
  'azuredns',
  'digitalocean',
  'rfc2136',
] as const;
export const siemFormats = ['json', 'cef', 'leef', 'otlp'] as const;

const enumMessage = (values: readonly string[]) =>
  `must be one of: ${values.join(', ')}`;

/** The defaults of the seed's pool form (CPU 100m/500m, memory 128Mi/512Mi). */
export const DEFAULT_POOL_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

const redisSchema = z.discriminatedUnion(
  'mode',
  [
    z
      .object({
        /** In-cluster 3-node Redis with Sentinel, deployed by the operator. */
        mode: z.literal('auto'),
        storageSize: z.string().regex(/^\d+(Mi|Gi|Ti)$/, 'must be a size such as 1Gi').default('1Gi'),
      })
      .strict(),
    z
      .object({
        /** An existing Redis (ElastiCache, Memorystore, Redis Enterprise...). */
        mode: z.literal('manual'),
        host: hostSchema,
        port: z.number({ message: 'must be a number' }).int().min(1).max(65535, 'must be a port (1-65535)').default(6379),
        username: z.string().max(256).optional(),
        passwordSecretRef: secretRefSchema.optional(),
        database: z.number({ message: 'must be a number' }).int().min(0, 'must be 0 or more').max(15, 'must be at most 15').default(0),
        tls: z.boolean({ message: 'must be true or false' }).default(false),
      })
      .strict(),
  ],
  { error: "mode must be 'auto' (in-cluster HA Redis) or 'manual' (bring your own Redis)" },
);

const ingressSchema = z
  .object({
    kind: z.enum(ingressKinds, { message: enumMessage(ingressKinds) }),
    /** Overrides the host derived from the pool's domains (the api host). */
    host: hostSchema.optional(),
    className: z.string().max(253).optional(),
    tls: z.boolean({ message: 'must be true or false' }).default(true),
    annotations: labelsOrAnnotationsSchema.default({}),
  })
  .strict();

const tlsSchema = z.discriminatedUnion(
  'mode',
  [
    z
      .object({
        mode: z.literal('letsencrypt'),
        issuer: z.enum(['staging', 'production'], { message: "must be 'staging' or 'production'" }).default('staging'),
        email: z.string({ message: 'must be an email address' }).email('must be an email address'),
        dns01: z
          .object({
            provider: z.enum(dns01Providers, { message: enumMessage(dns01Providers) }),
            zone: dnsSubdomainSchema,
            credentialsSecretRef: secretRefSchema.optional(),
          })
          .strict(),
      })
      .strict(),
    z
      .object({
        mode: z.literal('provided'),
        wildcardSecretName: secretNameSchema,
      })
      .strict(),
    z.object({ mode: z.literal('selfsigned') }).strict(),
  ],
  { error: "mode must be 'letsencrypt', 'provided' or 'selfsigned'" },
);

const subdomainLabel = dnsLabelSchema;

const domainsSchema = z
  .object({
    baseDomain: dnsSubdomainSchema,
    subdomains: z
      .object({
        api: subdomainLabel.default('api'),
        console: subdomainLabel.default('console'),
        grafana: subdomainLabel.default('grafana'),
        auth: subdomainLabel.default('auth'),
        mcp: subdomainLabel.default('mcp'),
      })
      .strict()
      .default({ api: 'api', console: 'console', grafana: 'grafana', auth: 'auth', mcp: 'mcp' }),
    separator: z.enum(['.', '-'], { message: "must be '.' or '-'" }).default('.'),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Map<string, string>();
    for (const [service, label] of Object.entries(d.subdomains)) {
      const other = seen.get(label);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['subdomains', service],
          message: `'${label}' is already the ${other} subdomain; each service needs its own`,
        });
      }
      seen.set(label, service);
    }
  });

const deliverySchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('direct') }).strict(),
    z.object({ mode: z.literal('agent') }).strict(),
    z
      .object({
        mode: z.literal('gitops'),
        /** Repository URL the bundle is published to (for Argo CD / Flux). */
        repoUrl: z.string().url('must be a repository URL').optional(),
        path: z.string().max(500).regex(/^[^/].*$|^$/, 'must be a relative path').optional(),
      })
      .strict(),
  ],
  { error: `mode must be one of: ${deliveryModes.join(', ')}` },
);

/** A gateway pool: a gateway running in one cluster and namespace. */
export const poolSchema = z
  .object({
    name: objectNameSchema,
    description: descriptionSchema.optional(),
    project: objectNameSchema,
    cluster: z
      .object({
        name: z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(253),
        type: z.enum(clusterTypes, { message: enumMessage(clusterTypes) }),
      })
      .strict(),
    namespace: dnsLabelSchema,
    serviceAccount: dnsSubdomainSchema.optional(),
    gateway: z.enum(gatewayFlavours, { message: enumMessage(gatewayFlavours) }).default('agentgateway'),
    resources: resourceRequirementsSchema.default(DEFAULT_POOL_RESOURCES),
    replicas: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(1),
    maxReplicas: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(5),
    redis: redisSchema.default({ mode: 'auto', storageSize: '1Gi' }),
    images: z
      .object({
        operator: z.string().max(512).optional(),
        gateway: z.string().max(512).optional(),
        registryCredentialsSecret: secretNameSchema.optional(),
      })
      .strict()
      .default({}),
    annotations: labelsOrAnnotationsSchema.default({}),
    ingress: z.array(ingressSchema).max(5).default([]),
    tls: tlsSchema,
    domains: domainsSchema,
    siem: z
      .object({
        endpoint: httpUrlSchema,
        format: z.enum(siemFormats, { message: enumMessage(siemFormats) }).default('json'),
        secretRef: secretRefSchema.optional(),
      })
      .strict()
      .optional(),
    delivery: deliverySchema.default({ mode: 'agent' }),
    /** Seconds without a heartbeat after which the pool is Stale. */
    heartbeatStaleSeconds: z.number({ message: 'must be a number' }).int().min(30, 'must be at least 30').max(86400, 'must be at most 86400 (a day)').default(300),
  })
  .strict()
  .superRefine((pool, ctx) => {
    if (pool.replicas > pool.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message: `replicas (${pool.replicas}) must not exceed maxReplicas (${pool.maxReplicas})`,
      });
    }
    const kinds = new Set<string>();
    pool.ingress.forEach((ingress, i) => {
      if (kinds.has(ingress.kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ingress', i, 'kind'],
          message: `${ingress.kind} is configured twice; each ingress provider may appear once`,
        });
      }
      kinds.add(ingress.kind);
    });
  });

export type Pool = z.infer<typeof poolSchema>;
export type PoolInput = z.input<typeof poolSchema>;
export type ClusterType = (typeof clusterTypes)[number];
export type IngressKind = (typeof ingressKinds)[number];
export type DeliveryMode = (typeof deliveryModes)[number];

/** The services a pool exposes under its base domain. */
export type PoolHosts = Record<'api' | 'console' | 'grafana' | 'auth' | 'mcp', string>;

/**
 * Host names of a pool's services: `{label}{separator}{baseDomain}`, e.g.
 * `api.ai.example.com` with "." or `api-ai.example.com` with "-" (which fits
 * under a parent wildcard such as *.example.com).
 */
export function poolHosts(pool: Pick<Pool, 'domains'>): PoolHosts {
  const { baseDomain, subdomains, separator } = pool.domains;
  const host = (label: string) => `${label}${separator}${baseDomain}`;
  return {
    api: host(subdomains.api),
    console: host(subdomains.console),
    grafana: host(subdomains.grafana),
    auth: host(subdomains.auth),
    mcp: host(subdomains.mcp),
  };
}
