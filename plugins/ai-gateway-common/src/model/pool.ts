import { z } from 'zod';
import { hostFor, parentDomain } from './hosts';
import { bool, expecting, intBetween, oneOf, text, unionOf } from './messages';
import { endpointUrlSchemaWith } from './plaintextSecrets';
import {
  descriptionSchema,
  dnsLabelSchema,
  dnsSubdomainSchema,
  hostSchema,
  hostSchemaWith,
  httpUrlSchema,
  isValidHostName,
  k8sQuantitySchema,
  labelsOrAnnotationsSchema,
  objectNameSchema,
  resourceRequirementsWithDefaults,
  secretNameSchema,
  secretNameSchemaWith,
  secretRefSchema,
} from './primitives';

/** @public */
export const clusterTypes = [
  'eks',
  'aks',
  'gke',
  'openshift',
  'native',
] as const;
/** @public */
export type ClusterType = (typeof clusterTypes)[number];

/** @public */
export const gatewayFlavours = ['agentgateway'] as const;
/** @public */
export type GatewayFlavour = (typeof gatewayFlavours)[number];

/** @public */
export const ingressKinds = [
  'kubernetes-ingress',
  'istio',
  'traefik',
  'gateway-api',
  'openshift-route',
] as const;
/** @public */
export type IngressKind = (typeof ingressKinds)[number];

/** @public */
export const deliveryModes = ['direct', 'agent', 'gitops'] as const;
/** @public */
export type DeliveryMode = (typeof deliveryModes)[number];

/** @public */
export const redisModes = ['auto', 'manual'] as const;
/** @public */
export const tlsModes = ['letsencrypt', 'provided', 'selfsigned'] as const;
/** @public */
export type TlsMode = (typeof tlsModes)[number];

/** @public */
export const dns01Providers = [
  'route53',
  'cloudflare',
  'clouddns',
  'azuredns',
  'digitalocean',
  'rfc2136',
] as const;
/** @public */
export type Dns01Provider = (typeof dns01Providers)[number];
/** DNS providers cert-manager can reach with workload identity (IRSA, GKE WI, AKS MI). */
const workloadIdentityDnsProviders: ReadonlySet<string> = new Set([
  'route53',
  'clouddns',
  'azuredns',
]);

/**
 * SIEM formats pools stored by earlier releases may carry. Only `otlp` is
 * accepted: agentgateway exports access logs over OTLP and in no other
 * format.
 *
 * @public
 */
export const siemFormats = ['json', 'cef', 'leef', 'otlp'] as const;
/** @public */
export type SiemFormat = (typeof siemFormats)[number];

/**
 * The services a pool serves, each on its own host: the OpenAI-compatible
 * API and the MCP gateway (the Gateway's two HTTPS listeners).
 *
 * @public
 */
export const poolServices = ['api', 'mcp'] as const;
/** @public */
export type PoolService = (typeof poolServices)[number];

/**
 * Subdomains earlier releases reserved for a web console, Grafana and an
 * identity provider. The suite deploys none of them and no listener serves
 * them, so they are refused; the label older pools got by default is still
 * accepted, and has no effect, so a stored pool can be sent back unchanged.
 */
const RETIRED_SUBDOMAINS = {
  console: 'web console',
  grafana: 'Grafana',
  auth: 'identity provider (Keycloak)',
} as const;
const retiredSubdomain = <S extends keyof typeof RETIRED_SUBDOMAINS>(
  service: S,
) =>
  z
    .literal(service, {
      error: `cannot be set: the suite deploys no ${RETIRED_SUBDOMAINS[service]} behind the pool and no listener serves the ${service} host; leave ${service} out (the pool serves only the api and mcp hosts; the former default '${service}' that older pools carry is accepted and has no effect)`,
    })
    .optional();

/**
 * The pool form's resource defaults for MCP servers (requests 100m/128Mi, limits 500m/512Mi).
 *
 * @public
 */
export const DEFAULT_POOL_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

/**
 * Images used when a pool leaves `images.operator` / `images.gateway` empty.
 * They are resolved at render time (see `poolImages`), not stored, so that a
 * new release of the suite upgrades every pool that follows the defaults.
 *
 * @public
 */
export const DEFAULT_POOL_IMAGES = {
  operator: 'ghcr.io/ai-gateway-for-backstage/operator:0.1.0',
  gateway: 'cr.agentgateway.dev/agentgateway:v1.0.0',
};

// --- Redis -------------------------------------------------------------------

/**
 * Where the pool's rate limits count. Policies' rate limits are global: a
 * rate-limit service in the pool's namespace (Envoy's ratelimit, which
 * agentgateway's global rate limits call) keeps the counters in this Redis,
 * so every replica of the gateway draws on the same budget.
 */
const redisSchema = z.discriminatedUnion(
  'mode',
  [
    z
      .object({
        /** The operator runs a 3-node Redis with Sentinel in the pool's namespace. */
        mode: z.literal('auto'),
        storageSize: k8sQuantitySchema.default('1Gi'),
      })
      .strict(),
    z
      .object({
        /** An existing Redis (ElastiCache, Memorystore, Redis Enterprise...). */
        mode: z.literal('manual'),
        host: hostSchemaWith('Redis host is required when mode is manual'),
        port: intBetween(1, 65535, 'a port').default(6379),
        username: text(256, { min: 1 }).optional(),
        /** The password is read from this Secret; it is never given inline. */
        passwordSecretRef: secretRefSchema.optional(),
        database: intBetween(0, 15, 'a Redis database number').default(0),
        tls: bool().default(false),
      })
      .strict(),
  ],
  unionOf('mode', redisModes),
);

// --- Ingress -------------------------------------------------------------------

/** One ingress provider; the shape is shared, the discriminator picks the renderer. */
const ingressProvider = <K extends IngressKind>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      /** Overrides the host derived from the pool's domains. */
      host: hostSchema.optional(),
      /** Ingress class, Gateway class or Traefik entry point, depending on the kind. */
      className: text(253, { min: 1 }).optional(),
      tls: bool().default(true),
      annotations: labelsOrAnnotationsSchema.prefault({}),
    })
    .strict();

/**
 * How traffic reaches the pool from outside: one entry per ingress provider.
 *
 * @public
 */
export const ingressSchema = z.discriminatedUnion(
  'kind',
  [
    ingressProvider('kubernetes-ingress'),
    ingressProvider('istio'),
    ingressProvider('traefik'),
    ingressProvider('gateway-api'),
    ingressProvider('openshift-route'),
  ],
  unionOf('kind', ingressKinds),
);
/** @public */
export type IngressProvider = z.infer<typeof ingressSchema>;

// --- TLS -------------------------------------------------------------------------

/** Provider settings cert-manager cannot work without. */
const DNS01_REQUIRED_FIELDS: Record<Dns01Provider, Array<[string, string]>> = {
  route53: [],
  cloudflare: [],
  clouddns: [['project', 'the Google Cloud project of the DNS zone']],
  azuredns: [
    ['subscriptionId', 'the Azure subscription of the DNS zone'],
    ['resourceGroupName', 'the resource group of the DNS zone'],
  ],
  digitalocean: [],
  rfc2136: [
    ['nameserver', 'the DNS server to send updates to, e.g. 10.0.0.53:53'],
  ],
};
/** Settings that go with static credentials (credentialsSecretRef). */
const DNS01_FIELDS_WITH_CREDENTIALS: Partial<
  Record<Dns01Provider, Array<[string, string]>>
> = {
  route53: [['accessKeyId', 'the access key ID of the secret access key']],
  azuredns: [
    ['clientId', 'the service principal of the client secret'],
    ['tenantId', 'the tenant of the service principal'],
  ],
  rfc2136: [['tsigKeyName', 'the name of the TSIG key']],
};
const DNS01_FIELD_PROVIDERS: Record<string, Dns01Provider[]> = {
  region: ['route53'],
  accessKeyId: ['route53'],
  project: ['clouddns'],
  subscriptionId: ['azuredns'],
  resourceGroupName: ['azuredns'],
  clientId: ['azuredns'],
  tenantId: ['azuredns'],
  nameserver: ['rfc2136'],
  tsigKeyName: ['rfc2136'],
};

const ISSUER_ALIASES: Record<string, string> = {
  'letsencrypt-staging': 'staging',
  'letsencrypt-prod': 'production',
  'letsencrypt-production': 'production',
};

const letsEncryptSchema = z
  .object({
    mode: z.literal('letsencrypt'),
    /**
     * Let's Encrypt rate-limits production issuance, so the default is
     * staging until DNS-01 works end to end. The conventional ClusterIssuer
     * names (letsencrypt-staging, letsencrypt-prod) are accepted too.
     */
    issuer: z
      .preprocess(
        v => (typeof v === 'string' ? ISSUER_ALIASES[v] ?? v : v),
        z.enum(['staging', 'production'], oneOf(['staging', 'production'])),
      )
      .default('staging'),
    email: z.email(expecting('an email address such as platform@example.com')),
    dns01: z
      .object(
        {
          provider: z.enum(dns01Providers, oneOf(dns01Providers)),
          /** The zone the DNS credentials can manage. */
          dnsZone: dnsSubdomainSchema,
          credentialsSecretRef: secretRefSchema.optional(),
          /** route53: AWS region and, with static credentials, the access key ID. */
          region: text(64, { min: 1 }).optional(),
          accessKeyId: text(128, { min: 1 }).optional(),
          /** clouddns: the Google Cloud project of the zone. */
          project: text(128, { min: 1 }).optional(),
          /** azuredns: where the zone lives and, with a client secret, whose it is. */
          subscriptionId: text(64, { min: 1 }).optional(),
          resourceGroupName: text(90, { min: 1 }).optional(),
          clientId: text(64, { min: 1 }).optional(),
          tenantId: text(64, { min: 1 }).optional(),
          /** rfc2136: the DNS server (host:port) and the TSIG key name. */
          nameserver: text(255, { min: 1 }).optional(),
          tsigKeyName: text(255, { min: 1 }).optional(),
        },
        expecting('{ provider, dnsZone, credentialsSecretRef, ... }'),
      )
      .strict()
      .superRefine((dns01, ctx) => {
        if (
          !dns01.credentialsSecretRef &&
          !workloadIdentityDnsProviders.has(dns01.provider)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['credentialsSecretRef'],
            message: `credentialsSecretRef is required for ${dns01.provider} (a reference to the Secret holding its API token); only route53, clouddns and azuredns can use workload identity`,
          });
        }
        const required = DNS01_REQUIRED_FIELDS[dns01.provider];
        const withCredentials = dns01.credentialsSecretRef
          ? DNS01_FIELDS_WITH_CREDENTIALS[dns01.provider] ?? []
          : [];
        for (const [field, why] of [...required, ...withCredentials]) {
          if (dns01[field as keyof typeof dns01] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `${field} is required for ${dns01.provider} (${why})`,
            });
          }
        }
        for (const [field, providers] of Object.entries(
          DNS01_FIELD_PROVIDERS,
        )) {
          if (
            dns01[field as keyof typeof dns01] !== undefined &&
            !providers.includes(dns01.provider)
          ) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `${field} applies only to ${providers.join(', ')}, not ${
                dns01.provider
              }`,
            });
          }
        }
      }),
  })
  .strict();

const tlsSchema = z.discriminatedUnion(
  'mode',
  [
    letsEncryptSchema,
    z
      .object({
        /** A wildcard certificate the platform team created as a Secret (tls.crt / tls.key). */
        mode: z.literal('provided'),
        wildcardSecretName: secretNameSchemaWith(
          'a wildcard certificate secret name is required when TLS mode is provided',
        ),
      })
      .strict(),
    /** cert-manager issues a self-signed wildcard certificate (air-gapped sites). */
    z.object({ mode: z.literal('selfsigned') }).strict(),
  ],
  unionOf('mode', tlsModes),
);

// --- Domains -------------------------------------------------------------------

const domainsSchema = z
  .object(
    {
      /** Services live at {label}{separator}{baseDomain}. */
      baseDomain: dnsSubdomainSchema,
      subdomains: z
        .object(
          {
            api: dnsLabelSchema.default('api'),
            mcp: dnsLabelSchema.default('mcp'),
            /** Refused: nothing serves it (see RETIRED_SUBDOMAINS). */
            console: retiredSubdomain('console'),
            /** Refused: nothing serves it (see RETIRED_SUBDOMAINS). */
            grafana: retiredSubdomain('grafana'),
            /** Refused: nothing serves it (see RETIRED_SUBDOMAINS). */
            auth: retiredSubdomain('auth'),
          },
          expecting('{ api, mcp }'),
        )
        .strict()
        .prefault({}),
      /**
       * "." gives api.ai.example.com (certificate *.ai.example.com); "-" gives
       * api-ai.example.com, which fits under a parent wildcard *.example.com.
       */
      separator: z.enum(['.', '-'], oneOf(['.', '-'])).default('.'),
    },
    expecting('{ baseDomain, subdomains, separator }'),
  )
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Map<string, string>();
    for (const service of poolServices) {
      const label = d.subdomains[service];
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
    if (d.separator === '-' && d.baseDomain.split('.').length < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseDomain'],
        message: `with separator '-' the hosts are api-${d.baseDomain} and so on, outside ${d.baseDomain}; use a base domain with a parent under your wildcard, such as ai-gateway.example.com (hosts api-ai-gateway.example.com under *.example.com)`,
      });
      return;
    }
    for (const service of poolServices) {
      const host = hostFor(d.subdomains[service], d.separator, d.baseDomain);
      if (!isValidHostName(host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subdomains', service],
          message: `the ${service} host '${host}' is not a valid host name (at most 63 characters between dots and 253 in all; labels starting with xn-- must be valid punycode)`,
        });
      }
    }
  });

// --- Delivery and SIEM ---------------------------------------------------------

const deliverySchema = z.discriminatedUnion(
  'mode',
  [
    /** The backend applies the bundle to a cluster of `kubernetes.clusterLocatorMethods`. */
    z.object({ mode: z.literal('direct') }).strict(),
    /** The in-cluster operator heartbeats and pulls the bundle. */
    z.object({ mode: z.literal('agent') }).strict(),
    /** The bundle is published to a repository for Argo CD / Flux. */
    z
      .object({
        mode: z.literal('gitops'),
        repoUrl: httpUrlSchema.optional(),
        branch: text(255, { min: 1 }).optional(),
        path: text(500, { min: 1 })
          .regex(
            /^(?!\/)(?!.*(^|\/)\.\.(\/|$))/,
            'must be a relative path inside the repository',
          )
          .optional(),
      })
      .strict(),
  ],
  unionOf('mode', deliveryModes),
);

/**
 * Where the gateway exports its access logs: an OTLP/HTTP endpoint
 * (AgentgatewayPolicy `frontend.accessLog.otlp`), usually an OpenTelemetry
 * Collector that forwards to the SIEM in the format it takes.
 */
const siemSchema = z
  .object(
    {
      /** The OTLP/HTTP logs endpoint; a URL without a path gets /v1/logs. */
      endpoint: endpointUrlSchemaWith('secretRef'),
      /** Only `otlp`; the other values are kept for pools stored before. */
      format: z.enum(siemFormats, expecting('otlp')).default('otlp'),
      /** A token the gateway sends as `Authorization: Bearer …`, by reference. */
      secretRef: secretRefSchema.optional(),
    },
    expecting('{ endpoint, format, secretRef }'),
  )
  .strict()
  .superRefine((siem, ctx) => {
    if (siem.format !== 'otlp') {
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `cannot be ${siem.format}: agentgateway exports access logs only over OTLP (AgentgatewayPolicy frontend.accessLog.otlp); set format to otlp and point endpoint at an OTLP collector (such as the OpenTelemetry Collector) that forwards to the SIEM in the format it takes`,
      });
    }
  });

/** Cluster names follow catalog entity names, so a cluster can be a Resource. */
const clusterNameSchema = z
  .string(expecting('a cluster name such as prod-eu-eks'))
  .regex(
    /^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/,
    'must be a cluster name: letters, digits, "-", "_" and "." (at most 63 characters), as in kubernetes.clusterLocatorMethods',
  );

// --- Pool ----------------------------------------------------------------------

/**
 * A gateway pool: a gateway running in one cluster and namespace.
 *
 * @public
 */
export const poolSchema = z
  .object(
    {
      name: objectNameSchema,
      description: descriptionSchema.optional(),
      /** The project the pool belongs to (its name). */
      project: objectNameSchema,
      cluster: z
        .object(
          {
            /** The cluster's name in `kubernetes.clusterLocatorMethods` / the catalog. */
            name: clusterNameSchema,
            type: z.enum(clusterTypes, oneOf(clusterTypes)),
          },
          expecting('{ name, type }'),
        )
        .strict(),
      namespace: dnsLabelSchema.default('ai-gateway'),
      /**
       * A pre-provisioned ServiceAccount for the operator (agent and gitops
       * delivery); when absent the install creates one.
       */
      serviceAccount: dnsSubdomainSchema.optional(),
      gateway: z
        .enum(gatewayFlavours, oneOf(gatewayFlavours))
        .default('agentgateway'),
      /** Default requests/limits of the MCP servers deployed in this pool. */
      resources: resourceRequirementsWithDefaults(DEFAULT_POOL_RESOURCES),
      /** Gateway replicas. */
      replicas: intBetween(1, 50).default(1),
      /** Upper bound for autoscaling the gateway and each MCP server. */
      maxReplicas: intBetween(1, 50).default(5),
      redis: redisSchema.prefault({ mode: 'auto' }),
      images: z
        .object(
          {
            /** agent and gitops delivery; empty: DEFAULT_POOL_IMAGES.operator of the running release. */
            operator: text(512, { min: 1 })
              .regex(/^\S+$/, 'must not contain spaces')
              .optional(),
            /** Empty: DEFAULT_POOL_IMAGES.gateway of the running release. */
            gateway: text(512, { min: 1 })
              .regex(/^\S+$/, 'must not contain spaces')
              .optional(),
            /** A dockerconfigjson Secret in the pool's namespace. */
            registryCredentialsSecret: secretNameSchema.optional(),
          },
          expecting('{ operator, gateway, registryCredentialsSecret }'),
        )
        .strict()
        .prefault({}),
      /** Added to every workload the pool deploys. */
      annotations: labelsOrAnnotationsSchema.prefault({}),
      /** How the gateway is exposed; empty means a LoadBalancer Service. */
      ingress: z
        .array(ingressSchema, expecting('a list of ingress providers'))
        .max(
          ingressKinds.length,
          `must have at most ${ingressKinds.length} providers`,
        )
        .prefault([]),
      tls: tlsSchema,
      domains: domainsSchema,
      siem: siemSchema.optional(),
      delivery: deliverySchema.prefault({ mode: 'agent' }),
      /** No heartbeat for this long makes the pool Stale (default 30 minutes). */
      heartbeatStaleSeconds: intBetween(
        30,
        86400,
        'a number of seconds',
      ).default(1800),
    },
    expecting('an object'),
  )
  .strict()
  .superRefine((pool, ctx) => {
    if (pool.replicas > pool.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message: `replicas (${pool.replicas}) must not exceed maxReplicas (${pool.maxReplicas})`,
      });
    }
    if (pool.delivery.mode === 'direct') {
      // No operator runs: the control plane applies the bundle itself.
      const operatorOnly: Array<[string[], unknown]> = [
        [['serviceAccount'], pool.serviceAccount],
        [['images', 'operator'], pool.images.operator],
      ];
      for (const [path, value] of operatorOnly) {
        if (value !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `applies to the operator, which runs only with agent and gitops delivery; with direct delivery the control plane applies the pool itself, so leave ${path.join(
              '.',
            )} out`,
          });
        }
      }
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
      if (
        ingress.kind === 'openshift-route' &&
        pool.cluster.type !== 'openshift'
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['ingress', i, 'kind'],
          message: `an OpenShift route needs an OpenShift cluster, but cluster.type is ${pool.cluster.type}`,
        });
      }
    });
    if (pool.tls.mode === 'letsencrypt') {
      const zone = pool.tls.dns01.dnsZone;
      const certDomain = certificateDomain(pool.domains);
      if (certDomain !== zone && !certDomain.endsWith(`.${zone}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tls', 'dns01', 'dnsZone'],
          message: `the wildcard certificate *.${certDomain} is outside the DNS zone ${zone}; DNS-01 challenges can only be answered in that zone`,
        });
      }
    }
  });

/** @public */
export type Pool = z.infer<typeof poolSchema>;
/** @public */
export type PoolInput = z.input<typeof poolSchema>;
/** @public */
export type PoolRedis = Pool['redis'];
/** @public */
export type PoolTls = Pool['tls'];
/** @public */
export type PoolDomains = Pool['domains'];
/** @public */
export type PoolDelivery = Pool['delivery'];

/** The domain whose wildcard covers every host of the pool. */
function certificateDomain(domains: {
  baseDomain: string;
  separator: '.' | '-';
}): string {
  return domains.separator === '.'
    ? domains.baseDomain
    : parentDomain(domains.baseDomain);
}

/**
 * The images a pool runs: its own, or the release defaults.
 *
 * @public
 */
export function poolImages(
  pool: Pick<Pool, 'images'>,
  defaults: { operator: string; gateway: string } = DEFAULT_POOL_IMAGES,
): { operator: string; gateway: string; registryCredentialsSecret?: string } {
  return {
    operator: pool.images.operator ?? defaults.operator,
    gateway: pool.images.gateway ?? defaults.gateway,
    ...(pool.images.registryCredentialsSecret
      ? { registryCredentialsSecret: pool.images.registryCredentialsSecret }
      : {}),
  };
}
