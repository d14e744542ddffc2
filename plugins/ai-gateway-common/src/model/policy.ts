import { z } from 'zod';
import { descriptionSchema, httpUrlSchema, objectNameSchema, secretRefSchema } from './primitives';

export const policyTargetKinds = ['gateway', 'route', 'backend'] as const;
export const rateLimitUnits = ['second', 'minute', 'hour', 'day'] as const;
export const builtinPromptGuards = ['email', 'phone', 'ssn', 'credit-card', 'ca-sin', 'us-passport', 'iban'] as const;

const positiveInt = z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1');

const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name');

const regexSchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(64),
    pattern: z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(1000).superRefine((pattern, ctx) => {
      try {
        new RegExp(pattern);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(e as Error).message}` });
      }
    }),
  })
  .strict();

const guardSchema = z
  .object({
    builtins: z.array(z.enum(builtinPromptGuards, { message: `must be one of: ${builtinPromptGuards.join(', ')}` })).default([]),
    regex: z.array(regexSchema).default([]),
    action: z.enum(['reject', 'mask'], { message: "must be 'reject' or 'mask'" }).default('reject'),
    rejectMessage: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.builtins.length === 0 && g.regex.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['builtins'], message: 'a prompt guard needs at least one built-in or regex matcher' });
    }
  });

const headerOpsSchema = z
  .object({
    set: z.record(headerNameSchema, z.string()).default({}),
    add: z.record(headerNameSchema, z.string()).default({}),
    remove: z.array(headerNameSchema).default([]),
  })
  .strict();

const policyFields = {
  jwtAuth: z
    .object({
      issuer: z.string().min(1, 'must not be empty'),
      audiences: z.array(z.string().min(1)).default([]),
      jwks: z.union(
        [z.object({ url: httpUrlSchema }).strict(), z.object({ secretRef: secretRefSchema }).strict()],
        { error: 'jwks must be { url } or { secretRef }' },
      ),
      mode: z.enum(['strict', 'optional', 'permissive'], { message: "must be 'strict', 'optional' or 'permissive'" }).default('strict'),
    })
    .strict(),
  apiKeyAuth: z
    .object({
      /** Secrets holding the accepted keys: by reference or by label selector. */
      secretRef: secretRefSchema.optional(),
      secretSelector: z.record(z.string(), z.string()).optional(),
      mode: z.enum(['strict', 'optional'], { message: "must be 'strict' or 'optional'" }).default('strict'),
    })
    .strict()
    .refine(a => (a.secretRef === undefined) !== (a.secretSelector === undefined), {
      message: 'apiKeyAuth needs exactly one of: secretRef or secretSelector',
      path: ['secretRef'],
    }),
  authorization: z
    .object({
      action: z.enum(['allow', 'deny'], { message: "must be 'allow' or 'deny'" }).default('allow'),
      cel: z.array(z.string().trim().min(1, 'a CEL expression must not be empty').max(4000)).min(1, 'at least one CEL expression is required'),
    })
    .strict(),
  rateLimit: z
    .object({
      unit: z.enum(rateLimitUnits, { message: `must be one of: ${rateLimitUnits.join(', ')}` }),
      requests: positiveInt.optional(),
      tokens: positiveInt.optional(),
      /** Limits per model name, overriding the default for that model. */
      models: z.record(z.string().min(1), positiveInt).optional(),
    })
    .strict()
    .refine(r => r.requests !== undefined || r.tokens !== undefined, {
      message: 'a rate limit needs requests or tokens per unit',
      path: ['requests'],
    }),
  promptGuard: z
    .object({ request: guardSchema.optional(), response: guardSchema.optional() })
    .strict()
    .refine(g => g.request || g.response, { message: 'a prompt guard needs request or response rules', path: ['request'] }),
  responseCache: z
    .object({
      ttlSeconds: positiveInt.max(86400, 'must be at most 86400 (a day)'),
      maxEntries: positiveInt.optional(),
    })
    .strict(),
  retries: z
    .object({
      attempts: z.number({ message: 'must be a number' }).int().min(0, 'must be 0 or more').max(10, 'must be at most 10'),
      backoffMs: z.number({ message: 'must be a number' }).int().min(0).max(60000).default(250),
      retryOn: z.array(z.number().int().min(100).max(599)).default([502, 503, 504]),
    })
    .strict(),
  timeouts: z
    .object({
      requestSeconds: positiveInt.max(3600, 'must be at most 3600').optional(),
      backendRequestSeconds: positiveInt.max(3600, 'must be at most 3600').optional(),
    })
    .strict()
    .refine(t => t.requestSeconds !== undefined || t.backendRequestSeconds !== undefined, {
      message: 'timeouts needs requestSeconds or backendRequestSeconds',
      path: ['requestSeconds'],
    }),
  headers: z
    .object({ request: headerOpsSchema.optional(), response: headerOpsSchema.optional() })
    .strict(),
};

export const policyKinds = Object.keys(policyFields) as Array<keyof typeof policyFields>;

/** A policy attached to a pool's gateway, a route or a backend. */
export const policySchema = z
  .object({
    name: objectNameSchema,
    description: descriptionSchema.optional(),
    project: objectNameSchema,
    pool: objectNameSchema,
    target: z
      .object({
        kind: z.enum(policyTargetKinds, { message: "must be 'gateway', 'route' or 'backend'" }),
        name: objectNameSchema,
      })
      .strict(),
    ...Object.fromEntries(Object.entries(policyFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof policyFields]: z.ZodOptional<(typeof policyFields)[K]>;
    },
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (!policyKinds.some(k => policy[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `a policy needs at least one of: ${policyKinds.join(', ')}`,
      });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyKind = (typeof policyKinds)[number];
