import { z } from 'zod';
import { expecting, intBetween, oneOf, text, unionOf } from './messages';
import {
  descriptionSchema,
  dnsLabelSchema,
  hostSchema,
  httpUrlSchema,
  objectNameSchema,
  portSchema,
  secretRefSchema,
} from './primitives';

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
      model: modelNameSchema.optional(),
      baseUrl: httpUrlSchema.optional(),
      /** The Secret holding the provider's API key. */
      credentialsSecretRef: secretRefSchema.optional(),
      /** Share of traffic among the providers of the same group. */
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
 * primary, the next takes over when it fails); within a group traffic is
 * shared by weight.
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
    /** Model names this backend serves, for model-name routing. */
    models: z
      .array(modelNameSchema, expecting('a list of model names'))
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
