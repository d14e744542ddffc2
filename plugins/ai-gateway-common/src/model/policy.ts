import { z } from 'zod';
import { bool, expecting, intBetween, oneOf, text } from './messages';
import {
  descriptionSchema,
  httpUrlSchema,
  labelsOrAnnotationsSchema,
  objectNameSchema,
  secretNameSchema,
  secretRefSchema,
} from './primitives';
import { parseModelPattern } from './aiBackend';
import {
  plaintextSecretMessage,
  secretLikeValue,
  urlCarriesCredentials,
} from './plaintextSecrets';

/** @public */
export const policyTargetKinds = ['gateway', 'route', 'backend'] as const;
/** @public */
export type PolicyTargetKind = (typeof policyTargetKinds)[number];
/** @public */
export const rateLimitUnits = ['second', 'minute', 'hour', 'day'] as const;
/**
 * The PII detectors agentgateway ships.
 *
 * @public
 */
export const builtinPromptGuards = [
  'email',
  'phone',
  'ssn',
  'credit-card',
  'ca-sin',
] as const;

/**
 * The sections a policy can carry; it needs at least one.
 *
 * @public
 */
export const policyKinds = [
  'jwtAuth',
  'apiKeyAuth',
  'authorization',
  'rateLimit',
  'promptGuard',
  'responseCache',
  'retries',
  'timeouts',
  'headers',
] as const;
/** @public */
export type PolicyKind = (typeof policyKinds)[number];

const positiveInt = (max = 1_000_000_000) => intBetween(1, max);
const obj = <T extends z.ZodRawShape>(shape: T, what: string) =>
  z.object(shape, expecting(what)).strict();

// --- Authentication and authorization ------------------------------------------

const jwtAuthSchema = obj(
  {
    issuer: text(1000, { min: 1 }),
    audiences: z
      .array(text(1000, { min: 1 }), expecting('a list of audiences'))
      .max(64, 'must have at most 64 audiences')
      .prefault([]),
    /**
     * Where the signing keys come from: a JWKS URL. `secretRef` is kept for
     * compatibility and refused: agentgateway reads a JWKS from a URL or
     * inline, never from a Secret.
     */
    jwks: obj(
      {
        url: httpUrlSchema
          .refine(url => !urlCarriesCredentials(url), {
            message: plaintextSecretMessage(
              'credentials in the URL (user:password@)',
              'serve the JWKS without them; a JWKS holds only public keys',
            ),
          })
          .optional(),
        secretRef: secretRefSchema.optional(),
      },
      '{ url }',
    ).superRefine((jwks, ctx) => {
      if (jwks.secretRef !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretRef'],
          message:
            'cannot be rendered: agentgateway reads a JWKS from a URL (jwtAuthentication jwks.remote) or inline, not from a Secret; give jwks.url',
        });
      } else if (jwks.url === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: 'is required (the JWKS URL of the issuer)',
        });
      }
    }),
    /** strict: a valid token is required; optional: checked when present; permissive: never rejects. */
    mode: z
      .enum(
        ['strict', 'optional', 'permissive'],
        oneOf(['strict', 'optional', 'permissive']),
      )
      .default('strict'),
  },
  '{ issuer, audiences, jwks, mode }',
);

/**
 * The Secret of API keys: every entry of it is one accepted key, as
 * agentgateway reads it (apiKeyAuthentication.secretRef names a Secret, not
 * one of its keys). `key` is kept for compatibility and refused.
 */
const apiKeySecretRefSchema = obj(
  { name: secretNameSchema, key: z.string().optional() },
  '{ name }',
).superRefine((ref, ctx) => {
  if (ref.key !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['key'],
      message:
        'cannot be rendered: agentgateway takes every entry of the Secret as one accepted API key (apiKeyAuthentication.secretRef names a Secret, not a key); leave key out',
    });
  }
});

const apiKeyAuthSchema = obj(
  {
    /** The Secret holding the accepted keys, one per entry... */
    secretRef: apiKeySecretRefSchema.optional(),
    /** ...or every Secret with these labels in the pool's namespace. */
    secretSelector: labelsOrAnnotationsSchema.optional(),
    mode: z
      .enum(['strict', 'optional'], oneOf(['strict', 'optional']))
      .default('strict'),
  },
  '{ secretRef or secretSelector, mode }',
).superRefine((a, ctx) => {
  if ((a.secretRef === undefined) === (a.secretSelector === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretRef'],
      message: 'apiKeyAuth needs exactly one of: secretRef or secretSelector',
    });
  }
});

const authorizationSchema = obj(
  {
    action: z
      .enum(['allow', 'deny'], oneOf(['allow', 'deny']))
      .default('allow'),
    /** CEL expressions over the request (jwt, request, source...). */
    cel: z
      .array(
        z
          .string(expecting('a CEL expression'))
          .trim()
          .min(1, 'a CEL expression must not be empty')
          .max(4000, 'must be at most 4000 characters'),
        expecting('a list of CEL expressions'),
      )
      .min(1, 'at least one CEL expression is required'),
  },
  '{ action, cel }',
);

// --- Traffic ------------------------------------------------------------------

/** agentgateway evaluates at most 16 conditional limits: 15 models and the default. */
const MAX_MODEL_LIMITS = 15;
const modelLimitsSchema = z
  .record(
    z
      .string()
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters')
      .refine(
        model => model !== '*' && parseModelPattern(model) !== undefined,
        "must be a model name, or a pattern with one '*' first or last ('gpt-4o*', '*-mini'); for every model, set the limit itself",
      ),
    positiveInt(),
    expecting('a map of model names to limits'),
  )
  .refine(
    m => Object.keys(m).length <= MAX_MODEL_LIMITS,
    `must name at most ${MAX_MODEL_LIMITS} models`,
  );

/**
 * A rate limit, counted for the whole pool: the pool's rate-limit service
 * keeps the counters in the pool's Redis, so every gateway replica draws on
 * the same budget, in calendar windows of the unit (UTC seconds, minutes,
 * hours or days). Models get budgets of their own by name: each entry of
 * `models` is a budget (a pattern's budget is shared by the models it
 * matches), and every other model shares the base limit.
 */
const rateLimitSchema = obj(
  {
    unit: z.enum(rateLimitUnits, oneOf(rateLimitUnits)),
    /** Requests per unit... */
    requests: positiveInt().optional(),
    /** ...or LLM tokens per unit. */
    tokens: positiveInt().optional(),
    /**
     * Count each model separately: needs `models`, which names them (exact
     * names); every other model shares the base limit.
     */
    perModel: bool().default(false),
    /** Limits for named models, overriding requests/tokens for them. */
    models: modelLimitsSchema.optional(),
  },
  '{ unit, requests or tokens, perModel, models }',
).superRefine((r, ctx) => {
  if ((r.requests === undefined) === (r.tokens === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [r.requests === undefined ? 'requests' : 'tokens'],
      message: 'a rate limit needs exactly one of: requests or tokens per unit',
    });
  }
  if (r.perModel && !r.models) {
    ctx.addIssue({
      code: 'custom',
      path: ['models'],
      message:
        'is required with perModel: a model gets a budget of its own only when it is named here, e.g. models: { gpt-4o: 100000 }; every other model shares the base limit',
    });
  }
  if (r.perModel && r.models) {
    for (const model of Object.keys(r.models)) {
      if (model.includes('*')) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', model],
          message:
            'cannot be a pattern with perModel: the models a pattern matches share its budget; name each model, or set perModel to false',
        });
      }
    }
  }
});

const guardRegexSchema = obj(
  {
    name: text(64, { min: 1 }),
    pattern: z
      .string(expecting('a regular expression'))
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters')
      .superRefine((pattern, ctx) => {
        try {
          // Compiling is the check: RegExp throws a SyntaxError on an invalid pattern.
          RegExp(pattern);
        } catch (e) {
          ctx.addIssue({
            code: 'custom',
            // The engine's message quotes the pattern ("Invalid regular
            // expression: /…/: Unterminated group"); keep only its reason.
            message: `is not a valid regular expression: ${(e as Error).message
              .split(': ')
              .pop()}`,
          });
        }
      }),
  },
  '{ name, pattern }',
);

const guardSchema = obj(
  {
    builtins: z
      .array(
        z.enum(builtinPromptGuards, oneOf(builtinPromptGuards)),
        expecting('a list of built-in detectors'),
      )
      .prefault([]),
    regex: z
      .array(guardRegexSchema, expecting('a list of { name, pattern }'))
      .prefault([]),
    /** reject: refuse the request/response; mask: replace the matches. */
    action: z
      .enum(['reject', 'mask'], oneOf(['reject', 'mask']))
      .default('reject'),
    rejectMessage: text(500, { min: 1 }).optional(),
  },
  '{ builtins, regex, action, rejectMessage }',
).superRefine((g, ctx) => {
  if (g.builtins.length === 0 && g.regex.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['builtins'],
      message: 'a prompt guard needs at least one built-in detector or regex',
    });
  }
  if (g.rejectMessage !== undefined && g.action !== 'reject') {
    ctx.addIssue({
      code: 'custom',
      path: ['rejectMessage'],
      message: 'rejectMessage applies only when action is reject',
    });
  }
});

const promptGuardSchema = obj(
  { request: guardSchema.optional(), response: guardSchema.optional() },
  '{ request, response }',
).superRefine((g, ctx) => {
  if (!g.request && !g.response) {
    ctx.addIssue({
      code: 'custom',
      path: ['request'],
      message: 'a prompt guard needs request or response rules',
    });
  }
});

const responseCacheSchema = obj(
  {
    ttlSeconds: intBetween(1, 86400, 'a number of seconds'),
    maxEntries: positiveInt().optional(),
  },
  '{ ttlSeconds, maxEntries }',
);

const retriesSchema = obj(
  {
    attempts: intBetween(0, 10),
    /** Wait before the first retry; doubles for each next one. */
    backoffMs: intBetween(0, 60000, 'a number of milliseconds').default(250),
    retryOn: z
      .array(
        intBetween(400, 599, 'an HTTP error status'),
        expecting('a list of HTTP statuses'),
      )
      .prefault([502, 503, 504]),
  },
  '{ attempts, backoffMs, retryOn }',
);

const timeoutsSchema = obj(
  {
    /** The whole request, retries included. */
    requestSeconds: intBetween(1, 3600, 'a number of seconds').optional(),
    /** One attempt against the backend. */
    backendRequestSeconds: intBetween(
      1,
      3600,
      'a number of seconds',
    ).optional(),
  },
  '{ requestSeconds, backendRequestSeconds }',
).superRefine((t, ctx) => {
  if (t.requestSeconds === undefined && t.backendRequestSeconds === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['requestSeconds'],
      message: 'timeouts needs requestSeconds or backendRequestSeconds',
    });
  } else if (
    t.requestSeconds !== undefined &&
    t.backendRequestSeconds !== undefined &&
    t.backendRequestSeconds > t.requestSeconds
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['backendRequestSeconds'],
      message: `backendRequestSeconds (${t.backendRequestSeconds}) must not exceed requestSeconds (${t.requestSeconds})`,
    });
  }
});

const headerNameSchema = z
  .string(expecting('an HTTP header name'))
  .max(256, 'must be at most 256 characters')
  .regex(
    /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/,
    'must be an HTTP header name such as x-team',
  );

/** agentgateway takes at most 16 headers per operation. */
const MAX_HEADER_OPS = 16;
const headerValuesSchema = z
  .record(
    headerNameSchema,
    z
      .string(expecting('a string'))
      .min(1, 'must not be empty')
      .max(4096, 'must be at most 4096 characters'),
    expecting('a map of headers to values'),
  )
  .refine(
    m => Object.keys(m).length <= MAX_HEADER_OPS,
    `must have at most ${MAX_HEADER_OPS} headers`,
  )
  .superRefine((headers, ctx) => {
    for (const [name, value] of Object.entries(headers)) {
      const what = secretLikeValue(value, name);
      if (what) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: plaintextSecretMessage(
            what,
            "let the gateway send it from there: an AI provider's credentialsSecretRef or a remote MCP server's authSecretRef",
          ),
        });
      }
    }
  })
  .prefault({});

const headerOpsSchema = obj(
  {
    set: headerValuesSchema,
    add: headerValuesSchema,
    remove: z
      .array(headerNameSchema, expecting('a list of header names'))
      .max(MAX_HEADER_OPS, `must have at most ${MAX_HEADER_OPS} headers`)
      .prefault([]),
  },
  '{ set, add, remove }',
).superRefine((h, ctx) => {
  const written = new Set(
    [...Object.keys(h.set), ...Object.keys(h.add)].map(n => n.toLowerCase()),
  );
  h.remove.forEach((name, i) => {
    if (written.has(name.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['remove', i],
        message: `header '${name}' is both written and removed`,
      });
    }
  });
});

const headersSchema = obj(
  { request: headerOpsSchema.optional(), response: headerOpsSchema.optional() },
  '{ request, response }',
);

// --- Policy ---------------------------------------------------------------------

/**
 * A policy attached to a pool's gateway, one of its routes or one of its
 * backends. Carries one or more sections (authentication, rate limit...).
 *
 * @public
 */
export const policySchema = z
  .object(
    {
      name: objectNameSchema,
      description: descriptionSchema.optional(),
      project: objectNameSchema,
      pool: objectNameSchema,
      /** A gateway is named after its pool; routes and backends by their own name. */
      target: obj(
        {
          kind: z.enum(policyTargetKinds, oneOf(policyTargetKinds)),
          name: objectNameSchema,
        },
        '{ kind, name }',
      ),
      jwtAuth: jwtAuthSchema.optional(),
      apiKeyAuth: apiKeyAuthSchema.optional(),
      authorization: authorizationSchema.optional(),
      rateLimit: rateLimitSchema.optional(),
      promptGuard: promptGuardSchema.optional(),
      /** Kept for compatibility and refused: agentgateway has no response cache. */
      responseCache: responseCacheSchema.optional(),
      retries: retriesSchema.optional(),
      timeouts: timeoutsSchema.optional(),
      headers: headersSchema.optional(),
    },
    expecting('an object'),
  )
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.responseCache !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['responseCache'],
        message:
          'cannot be rendered: agentgateway has no response cache (AgentgatewayPolicy has no caching section); leave responseCache out',
      });
    } else if (!policyKinds.some(k => policy[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `a policy needs at least one of: ${policyKinds
          .filter(k => k !== 'responseCache')
          .join(', ')}`,
      });
    }
    if (
      policy.target.kind === 'gateway' &&
      policy.target.name !== policy.pool
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['target', 'name'],
        message: `the gateway of pool '${policy.pool}' is named '${policy.pool}'; a gateway policy must target it (got '${policy.target.name}')`,
      });
    }
  });

/** @public */
export type Policy = z.infer<typeof policySchema>;
/** @public */
export type PolicyInput = z.input<typeof policySchema>;
/** @public */
export type PolicyTarget = Policy['target'];
