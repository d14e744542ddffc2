import { z } from 'zod';
import {
  descriptionSchema,
  dnsLabelSchema,
  hostSchema,
  httpUrlSchema,
  objectNameSchema,
  secretRefSchema,
} from './primitives';

export const providerTypes = [
  'openai',
  'anthropic',
  'bedrock',
  'azure-openai',
  'gemini',
  'vertex-ai',
  'custom',
] as const;
export type ProviderType = (typeof providerTypes)[number];

/** Providers that can authenticate with workload identity instead of a key. */
const workloadIdentityProviders: ReadonlySet<ProviderType> = new Set(['bedrock', 'vertex-ai']);

const portSchema = z
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be a port (1-65535)')
  .max(65535, 'must be a port (1-65535)');

const modelNameSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256)
  .regex(/^[^\s]+$/, 'must not contain spaces');

const providerSchema = z
  .object({
    name: dnsLabelSchema,
    type: z.enum(providerTypes, { message: `must be one of: ${providerTypes.join(', ')}` }),
    /** The upstream model; when absent the client's model is passed through. */
    model: modelNameSchema.optional(),
    baseUrl: httpUrlSchema.optional(),
    credentialsSecretRef: secretRefSchema.optional(),
    /** Share of traffic within its priority group. */
    weight: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
    region: z.string().max(64).optional(),
    /** Vertex AI project and location. */
    gcpProject: z.string().max(128).optional(),
    location: z.string().max(64).optional(),
    /** Azure OpenAI deployment and API version. */
    deployment: z.string().max(128).optional(),
    apiVersion: z.string().max(32).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const need = (field: keyof typeof p, why: string) => {
      if (p[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
      }
    };
    if (p.type === 'custom') need('baseUrl', 'for a custom provider');
    if (p.type === 'azure-openai') {
      need('baseUrl', 'for Azure OpenAI (the resource endpoint)');
      need('deployment', 'for Azure OpenAI');
    }
    if (p.type === 'bedrock') need('region', 'for Bedrock');
    if (p.type === 'vertex-ai') {
      need('gcpProject', 'for Vertex AI');
      need('location', 'for Vertex AI');
    }
    if (!workloadIdentityProviders.has(p.type) && p.type !== 'custom') {
      need('credentialsSecretRef', `for ${p.type} (a reference to the Secret holding the API key)`);
    }
  });

/** Providers of one priority; the first group is tried first, the next on failure. */
const providerGroupSchema = z
  .object({
    providers: z.array(providerSchema).min(1, 'a group needs at least one provider'),
  })
  .strict();

const aiSpecSchema = z
  .object({
    kind: z.literal('ai'),
    groups: z.array(providerGroupSchema).min(1, 'an AI backend needs at least one provider group'),
    /** Model names this backend serves, for model-name routing. */
    models: z.array(modelNameSchema).default([]),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    spec.groups.forEach((g, gi) =>
      g.providers.forEach((p, pi) => {
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
    spec.models.forEach((m, i) => {
      if (models.has(m)) {
        ctx.addIssue({ code: 'custom', path: ['models', i], message: `model '${m}' is listed twice` });
      }
      models.add(m);
    });
  });

const staticSpecSchema = z
  .object({
    kind: z.literal('static'),
    host: hostSchema.optional(),
    port: portSchema.optional(),
    service: z
      .object({ name: dnsLabelSchema, namespace: dnsLabelSchema.optional(), port: portSchema })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const hasHost = spec.host !== undefined || spec.port !== undefined;
    if (hasHost === (spec.service !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: spec.service ? ['service'] : ['host'],
        message: 'a static backend needs exactly one of: host and port, or service',
      });
    } else if (hasHost && (spec.host === undefined || spec.port === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [spec.host === undefined ? 'host' : 'port'],
        message: 'host and port are both required for a static host backend',
      });
    }
  });

const dynamicForwardProxySpecSchema = z.object({ kind: z.literal('dynamic-forward-proxy') }).strict();

const mcpSpecSchema = z
  .object({
    kind: z.literal('mcp'),
    targets: z
      .array(
        z
          .object({
            name: dnsLabelSchema,
            host: hostSchema.optional(),
            port: portSchema.optional(),
            path: z.string().max(500).regex(/^\//, 'must start with /').optional(),
            /** An MCP server of the same pool, by name. */
            mcpServer: dnsLabelSchema.optional(),
          })
          .strict()
          .superRefine((t, ctx) => {
            const byHost = t.host !== undefined;
            if (byHost === (t.mcpServer !== undefined)) {
              ctx.addIssue({ code: 'custom', path: ['host'], message: 'a target needs exactly one of: host (with port) or mcpServer' });
            }
            if (byHost && t.port === undefined) {
              ctx.addIssue({ code: 'custom', path: ['port'], message: 'port is required with host' });
            }
          }),
      )
      .min(1, 'an MCP backend needs at least one target'),
  })
  .strict();

/** An AI backend: LLM providers with failover groups, or another backend kind. */
export const aiBackendSchema = z
  .object({
    name: objectNameSchema,
    description: descriptionSchema.optional(),
    project: objectNameSchema,
    pool: objectNameSchema,
    spec: z.discriminatedUnion('kind', [aiSpecSchema, staticSpecSchema, dynamicForwardProxySpecSchema, mcpSpecSchema], {
      error: "kind must be one of: ai, static, dynamic-forward-proxy, mcp",
    }),
  })
  .strict();

export type AiBackend = z.infer<typeof aiBackendSchema>;
export type AiBackendInput = z.input<typeof aiBackendSchema>;
export type AiBackendKind = AiBackend['spec']['kind'];
