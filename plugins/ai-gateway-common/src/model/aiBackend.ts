import { z } from 'zod';
import { expecting, intBetween, oneOf, text, unionOf } from './messages';
import {
  descriptionSchema,
  dnsLabelSchema,
  hostSchema,
  objectNameSchema,
  portSchema,
  secretRefSchema,
} from './primitives';
import { endpointUrlSchemaWith } from './plaintextSecrets';

/** @public */
export const providerTypes = [
  'openai',
  'anthropic',
  'bedrock',
  'azure-openai',
  'gemini',
  'vertex-ai',
  'custom',
] as const;
/** @public */
export type ProviderType = (typeof providerTypes)[number];

/**
 * The provider types as people read them: the choices of the _Register an
 * AI backend_ template and an AI backend's routing in words.
 *
 * @public
 */
export const providerTypeLabels: Readonly<Record<ProviderType, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  bedrock: 'Amazon Bedrock',
  'azure-openai': 'Azure OpenAI',
  gemini: 'Google Gemini',
  'vertex-ai': 'Google Vertex AI',
  custom: 'Custom (OpenAI-compatible)',
};

/** @public */
export const aiBackendKinds = [
  'ai',
  'static',
  'dynamic-forward-proxy',
  'mcp',
] as const;
/** @public */
export type AiBackendKind = (typeof aiBackendKinds)[number];

/**
 * Providers that may run without `credentialsSecretRef`: Bedrock and Vertex
 * AI authenticate with the cloud's workload identity (IRSA, GKE Workload
 * Identity); a custom OpenAI-compatible server may need no key at all.
 *
 * @public
 */
export const providersWithoutKey: ReadonlySet<ProviderType> = new Set([
  'bedrock',
  'vertex-ai',
  'custom',
]);

/** Provider-specific fields, and the provider types they belong to. */
const SPECIFIC_FIELDS = {
  region: ['bedrock'],
  gcpProject: ['vertex-ai'],
  location: ['vertex-ai'],
  deployment: ['azure-openai'],
  apiVersion: ['azure-openai'],
} as const satisfies Record<string, readonly ProviderType[]>;

/** Fields a provider type cannot work without (besides credentials). */
const REQUIRED_FIELDS: Partial<Record<ProviderType, Array<[string, string]>>> =
  {
    custom: [['baseUrl', 'the OpenAI-compatible endpoint']],
    'azure-openai': [
      ['baseUrl', 'the Azure OpenAI resource endpoint'],
      ['deployment', 'the model deployment name'],
    ],
    bedrock: [['region', 'the AWS region, e.g. eu-central-1']],
    'vertex-ai': [
      ['gcpProject', 'the Google Cloud project'],
      ['location', 'the Vertex AI location, e.g. europe-west4'],
    ],
  };

const modelNameSchema = z
  .string(expecting('a model name'))
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^\S+$/, 'must be a model name without spaces');

/**
 * How a served model name matches the model a client asks for: exactly, or
 * with one `*` first or last. agentgateway routes on the requested model
 * with exact and regular-expression header matches, so these are the forms
 * the renderer can express; they are also the forms agentgateway's own
 * AgentgatewayModel `match.model` takes.
 *
 * @public
 */
export type ModelPattern =
  | { kind: 'exact'; name: string }
  /** `anthropic/*`: every model starting with `prefix`. */
  | { kind: 'prefix'; prefix: string }
  /** `*-latest`: every model ending with `suffix`. */
  | { kind: 'suffix'; suffix: string }
  /** `*`: every model. */
  | { kind: 'any' };

/**
 * Parses a served model name (see {@link ModelPattern}); undefined when it
 * has a `*` anywhere else, or more than one.
 *
 * @public
 */
export function parseModelPattern(pattern: string): ModelPattern | undefined {
  const stars = pattern.split('*').length - 1;
  if (stars === 0) return { kind: 'exact', name: pattern };
  if (stars > 1) return undefined;
  if (pattern === '*') return { kind: 'any' };
  if (pattern.endsWith('*')) {
    return { kind: 'prefix', prefix: pattern.slice(0, -1) };
  }
  if (pattern.startsWith('*')) {
    return { kind: 'suffix', suffix: pattern.slice(1) };
  }
  return undefined;
}

/**
 * True when some model name matches both patterns.
 *
 * @public
 */
export function modelPatternsOverlap(a: string, b: string): boolean {
  const pa = parseModelPattern(a);
  const pb = parseModelPattern(b);
  if (!pa || !pb) return false;
  const matches = (p: ModelPattern, name: string) =>
    p.kind === 'any' ||
    (p.kind === 'exact' && p.name === name) ||
    (p.kind === 'prefix' && name.startsWith(p.prefix)) ||
    (p.kind === 'suffix' && name.endsWith(p.suffix));
  if (pa.kind === 'exact') return matches(pb, pa.name);
  if (pb.kind === 'exact') return matches(pa, pb.name);
  if (pa.kind === 'any' || pb.kind === 'any') return true;
  if (pa.kind === 'prefix' && pb.kind === 'prefix') {
    return pa.prefix.startsWith(pb.prefix) || pb.prefix.startsWith(pa.prefix);
  }
  if (pa.kind === 'suffix' && pb.kind === 'suffix') {
    return pa.suffix.endsWith(pb.suffix) || pb.suffix.endsWith(pa.suffix);
  }
  // A prefix and a suffix: the prefix followed by the suffix matches both.
  return true;
}

const MODEL_PATTERN_FORMS =
  "an exact name, or one '*' first or last: 'anthropic/*' (by prefix), '*-latest' (by suffix) or '*' (any model)";

/** A served model: an exact name or a {@link ModelPattern}. */
const modelPatternSchema = modelNameSchema.refine(
  name => parseModelPattern(name) !== undefined,
  `must be ${MODEL_PATTERN_FORMS}; agentgateway can match no other wildcard`,
);

/** The model a provider is asked for: one name, no wildcard. */
const upstreamModelSchema = modelNameSchema.refine(
  name => !name.includes('*'),
  "must be one model name: the provider is asked for exactly this model, so '*' has no meaning here (list wildcards in the backend's models)",
);

/**
 * Why weights other than 1 are refused. agentgateway's AgentgatewayBackend
 * has no weight for the providers of a group (`spec.ai.groups[].providers[]`
 * "is treated equally in terms of priority, with automatic weighting based
 * on health"): the data plane picks the better of two random providers by a
 * health and latency score. Weighted HTTPRoute backendRefs split traffic
 * between backends, not between the providers of one priority group.
 */
const WEIGHT_MESSAGE =
  'cannot be other than 1: agentgateway shares traffic among the providers of a group by their health and latency, not by weight (AgentgatewayBackend spec.ai.groups[].providers has no weight); leave weight out, and put providers you prefer in an earlier group';

/**
 * One LLM provider of a failover group.
 *
 * @public
 */
export const providerSchema = z
  .object(
    {
      /** Unique within the backend; used in metrics and the topology. */
      name: dnsLabelSchema,
      type: z.enum(providerTypes, oneOf(providerTypes)),
      /** The upstream model; when absent the client's model is passed through. */
      model: upstreamModelSchema.optional(),
      baseUrl: endpointUrlSchemaWith('credentialsSecretRef').optional(),
      /** The Secret holding the provider's API key. */
      credentialsSecretRef: secretRefSchema.optional(),
      /**
       * Kept for compatibility; only 1 is accepted. agentgateway picks among
       * the providers of a group by health and latency, not by weight.
       */
      weight: intBetween(1, 100).default(1),
      /** Bedrock: AWS region. */
      region: text(64, { min: 1 }).optional(),
      /** Vertex AI: Google Cloud project and location. */
      gcpProject: text(128, { min: 1 }).optional(),
      location: text(64, { min: 1 }).optional(),
      /** Azure OpenAI: deployment name and API version. */
      deployment: text(128, { min: 1 }).optional(),
      apiVersion: text(32, { min: 1 }).optional(),
    },
    expecting('a provider { name, type, ... }'),
  )
  .strict()
  .superRefine((p, ctx) => {
    for (const [field, why] of REQUIRED_FIELDS[p.type] ?? []) {
      if (p[field as keyof typeof p] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is required for ${p.type} providers (${why})`,
        });
      }
    }
    if (!p.credentialsSecretRef && !providersWithoutKey.has(p.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['credentialsSecretRef'],
        message: `credentialsSecretRef is required for ${p.type} providers (a reference to the Secret holding its API key)`,
      });
    }
    if (p.weight !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['weight'],
        message: WEIGHT_MESSAGE,
      });
    }
    if (p.type === 'azure-openai' && p.model !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message:
          'does not apply to azure-openai providers: the deployment decides the model (set deployment)',
      });
    }
    for (const [field, types] of Object.entries(SPECIFIC_FIELDS)) {
      const applies = (types as readonly string[]).includes(p.type);
      if (!applies && p[field as keyof typeof p] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} applies only to ${types.join(
            ', ',
          )} providers, not ${p.type}`,
        });
      }
    }
  });
/** @public */
export type AiProvider = z.infer<typeof providerSchema>;

/**
 * Providers of one priority. Groups are tried in order (the first is the
 * primary, the next takes over when it fails); within a group agentgateway
 * shares traffic by the providers' health and latency.
 */
const providerGroupSchema = z
  .object(
    {
      providers: z
        .array(providerSchema, expecting('a list of providers'))
        .min(1, 'a group needs at least one provider')
        // agentgateway's limit (AgentgatewayBackend spec.ai.groups[].providers).
        .max(16, 'a group can have at most 16 providers'),
    },
    expecting('a group { providers }'),
  )
  .strict();

const aiSpecSchema = z
  .object({
    kind: z.literal('ai'),
    groups: z
      .array(providerGroupSchema, expecting('a list of provider groups'))
      .min(1, 'an AI backend needs at least one provider group')
      .max(8, 'an AI backend can have at most 8 provider groups'),
    /**
     * Model names this backend serves, for model-name routing: exact names
     * or patterns with one `*` first or last (see {@link ModelPattern}). An
     * exact name wins over a pattern of another backend.
     */
    models: z
      .array(modelPatternSchema, expecting('a list of model names'))
      .max(100, 'an AI backend can serve at most 100 model names')
      .prefault([]),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    spec.groups.forEach((group, gi) =>
      group.providers.forEach((p, pi) => {
        if (names.has(p.name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', gi, 'providers', pi, 'name'],
            message: `provider name '${p.name}' is used twice; provider names must be unique within a backend`,
          });
        }
        names.add(p.name);
      }),
    );
    const models = new Set<string>();
    spec.models.forEach((model, i) => {
      if (models.has(model)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i],
          message: `model '${model}' is listed twice`,
        });
      }
      models.add(model);
    });
  });

/** A REST endpoint: a host and port, or a Kubernetes Service. */
const staticSpecSchema = z
  .object({
    kind: z.literal('static'),
    host: hostSchema.optional(),
    port: portSchema.optional(),
    service: z
      .object(
        {
          name: dnsLabelSchema,
          /** Defaults to the pool's namespace. */
          namespace: dnsLabelSchema.optional(),
          port: portSchema,
        },
        expecting('{ name, namespace, port }'),
      )
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const byHost = spec.host !== undefined || spec.port !== undefined;
    const byService = spec.service !== undefined;
    if (byHost && byService) {
      ctx.addIssue({
        code: 'custom',
        path: ['service'],
        message:
          'a static backend needs exactly one of: host and port, or service (not both)',
      });
    } else if (!byHost && !byService) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message:
          'a static backend needs exactly one of: host and port, or service',
      });
    } else if (byHost && (spec.host === undefined || spec.port === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [spec.host === undefined ? 'host' : 'port'],
        message: 'host and port are both required for a static host backend',
      });
    }
  });

/** The destination is taken from the request's Host header at runtime. */
const dynamicForwardProxySpecSchema = z
  .object({ kind: z.literal('dynamic-forward-proxy') })
  .strict();

const mcpTargetSchema = z
  .object(
    {
      name: dnsLabelSchema,
      host: hostSchema.optional(),
      port: portSchema.optional(),
      path: text(500, { min: 1 }).regex(/^\//, 'must start with /').optional(),
      /** An MCP server of the same pool, by name. */
      mcpServer: objectNameSchema.optional(),
    },
    expecting('a target { name, host and port, or mcpServer }'),
  )
  .strict()
  .superRefine((t, ctx) => {
    const byHost =
      t.host !== undefined || t.port !== undefined || t.path !== undefined;
    const byServer = t.mcpServer !== undefined;
    if (byHost === byServer) {
      ctx.addIssue({
        code: 'custom',
        path: [byServer ? 'mcpServer' : 'host'],
        message: 'a target needs exactly one of: host and port, or mcpServer',
      });
    } else if (byHost && (t.host === undefined || t.port === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [t.host === undefined ? 'host' : 'port'],
        message: 'host and port are both required for a host target',
      });
    }
  });

/** MCP servers multiplexed behind one backend. */
const mcpSpecSchema = z
  .object({
    kind: z.literal('mcp'),
    targets: z
      .array(mcpTargetSchema, expecting('a list of targets'))
      .min(1, 'an MCP backend needs at least one target')
      .max(128, 'an MCP backend can have at most 128 targets'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    spec.targets.forEach((t, i) => {
      if (names.has(t.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'name'],
          message: `target name '${t.name}' is used twice`,
        });
      }
      names.add(t.name);
    });
  });

/**
 * An AI backend: LLM providers with failover groups, or another backend kind.
 *
 * @public
 */
export const aiBackendSchema = z
  .object(
    {
      name: objectNameSchema,
      description: descriptionSchema.optional(),
      project: objectNameSchema,
      pool: objectNameSchema,
      spec: z.discriminatedUnion(
        'kind',
        [
          aiSpecSchema,
          staticSpecSchema,
          dynamicForwardProxySpecSchema,
          mcpSpecSchema,
        ],
        unionOf('kind', aiBackendKinds),
      ),
    },
    expecting('an object'),
  )
  .strict();

/** @public */
export type AiBackend = z.infer<typeof aiBackendSchema>;
/** @public */
export type AiBackendInput = z.input<typeof aiBackendSchema>;
/** @public */
export type AiBackendSpec = AiBackend['spec'];
