import { z } from 'zod';
import { expecting, oneOf, unionOf } from './messages';
import { descriptionSchema, objectNameSchema } from './primitives';
import { groupRefSchema } from './project';

/**
 * What a budget limits the spend of: a team (a catalog Group, all of its
 * projects), one project, or one AI backend.
 *
 * @public
 */
export const budgetScopeKinds = ['team', 'project', 'aiBackend'] as const;
/** @public */
export type BudgetScopeKind = (typeof budgetScopeKinds)[number];

/**
 * The budget windows: UTC calendar days, ISO weeks (Monday 00:00 UTC) and
 * calendar months.
 *
 * @public
 */
export const budgetWindows = ['daily', 'weekly', 'monthly'] as const;
/** @public */
export type BudgetWindow = (typeof budgetWindows)[number];

/** @public */
export const budgetExceededActions = ['refuse', 'downRoute'] as const;

const scopeSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object(
        {
          kind: z.literal('team'),
          /** A catalog group ref, normalised to `group:<namespace>/<name>`. */
          name: groupRefSchema,
        },
        expecting('an object'),
      )
      .strict(),
    z
      .object(
        { kind: z.literal('project'), name: objectNameSchema },
        expecting('an object'),
      )
      .strict(),
    z
      .object(
        { kind: z.literal('aiBackend'), name: objectNameSchema },
        expecting('an object'),
      )
      .strict(),
  ],
  unionOf('kind', budgetScopeKinds),
);

const positive = (what: string) =>
  z
    .number(expecting(what))
    .positive('must be greater than 0')
    .max(1e15, 'must be at most 1e15');

const limitSchema = z
  .object(
    {
      /** US dollars spent in the window. */
      usd: positive('an amount of US dollars greater than 0').optional(),
      /** Input plus output tokens in the window. */
      tokens: positive('a number of tokens greater than 0')
        .int('must be a whole number of tokens')
        .optional(),
    },
    expecting('an object with either usd or tokens'),
  )
  .strict()
  .superRefine((limit, ctx) => {
    const given = ['usd', 'tokens'].filter(
      k => (limit as Record<string, unknown>)[k] !== undefined,
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'needs one of usd or tokens'
            : 'must have exactly one of usd or tokens, not both',
        input: limit,
      });
    }
  });

const modelNameSchema = z
  .string(expecting('a model name'))
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\s*]+$/, 'must be one model name, without spaces or "*"');

const onExceededSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('refuse') }, expecting('an object')).strict(),
    z
      .object(
        {
          kind: z.literal('downRoute'),
          /** The (cheaper) model the over-budget traffic is sent to instead. */
          model: modelNameSchema,
        },
        expecting('an object'),
      )
      .strict(),
  ],
  unionOf('kind', budgetExceededActions),
);

const thresholdSchema = z
  .number(expecting('a fraction between 0 and 1, e.g. 0.8'))
  .gt(0, 'must be greater than 0 (a fraction of the limit, e.g. 0.8)')
  .lt(1, 'must be less than 1 (the limit itself is the hard threshold)');

/**
 * A spend limit per UTC calendar window. Soft thresholds (fractions of the
 * limit) notify the scope's owners once per window; at the limit the pools
 * serving the scope refuse (429) or down-route its traffic until the window
 * ends.
 *
 * @public
 */
export const budgetSchema = z
  .object(
    {
      name: objectNameSchema,
      description: descriptionSchema.optional(),
      scope: scopeSchema,
      window: z.enum(budgetWindows, oneOf(budgetWindows)),
      limit: limitSchema,
      softThresholds: z
        .array(thresholdSchema, expecting('a list of fractions, e.g. [0.8]'))
        .max(10, 'must have at most 10 thresholds')
        // overwrite keeps it an array of numbers for the JSON Schema.
        .overwrite(ts => [...new Set(ts)].sort((a, b) => a - b))
        .default([0.8]),
      onExceeded: onExceededSchema.default({ kind: 'refuse' }),
    },
    expecting('an object'),
  )
  .strict();

/** @public */
export type Budget = z.infer<typeof budgetSchema>;
/** @public */
export type BudgetInput = z.input<typeof budgetSchema>;
/** @public */
export type BudgetScope = Budget['scope'];

/**
 * The UTC calendar window of `window` that holds `at`: [start, end).
 *
 * @public
 */
export function budgetWindowAt(
  window: BudgetWindow,
  at: Date,
): { start: Date; end: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (window === 'monthly') {
    return {
      start: new Date(Date.UTC(y, m, 1)),
      end: new Date(Date.UTC(y, m + 1, 1)),
    };
  }
  if (window === 'weekly') {
    // getUTCDay: Sunday 0 ... Saturday 6; weeks start on Monday.
    const sinceMonday = (at.getUTCDay() + 6) % 7;
    return {
      start: new Date(Date.UTC(y, m, d - sinceMonday)),
      end: new Date(Date.UTC(y, m, d - sinceMonday + 7)),
    };
  }
  return {
    start: new Date(Date.UTC(y, m, d)),
    end: new Date(Date.UTC(y, m, d + 1)),
  };
}

/**
 * A budget as the API returns it.
 *
 * @public
 */
export const budgetObjectSchema = z.object({
  kind: z.literal('budget'),
  name: z.string(),
  /** Starts at 1, +1 on every update; send it back (or as If-Match) to update. */
  version: z.number().int().min(1),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  spec: budgetSchema,
});
/** @public */
export type BudgetObject = z.infer<typeof budgetObjectSchema>;

/** @public */
export const budgetListSchema = z.object({
  items: z.array(budgetObjectSchema),
});

/** @public */
export const budgetDeleteResultSchema = z.object({
  /** The name of the deleted budget. */
  deleted: z.string(),
});

/**
 * A budget's state in its current window, as the API returns it.
 *
 * @public
 */
export const budgetStateSchema = z.object({
  budget: z.string(),
  /** The window (ISO 8601, UTC): [windowStart, windowEnd). */
  windowStart: z.string(),
  windowEnd: z.string(),
  /** Spend in the window, in the limit's unit (US dollars or tokens). */
  spent: z.number(),
  limit: z.number(),
  unit: z.enum(['usd', 'tokens']),
  /** spent / limit. */
  fraction: z.number(),
  /** Soft thresholds whose notification was sent in this window. */
  notifiedThresholds: z.array(z.number()),
  /** Since when the limit is exceeded in this window (the gateways refuse), if it is. */
  exceededSince: z.string().optional(),
  /** When usage was last read; absent when the budget was not evaluated in this window yet. */
  evaluatedAt: z.string().optional(),
  /** Models with token usage but neither a reported cost nor a price: their cost is not counted. */
  unpricedModels: z.array(z.string()).optional(),
  /** Why the last evaluation could not read usage, if it could not. */
  error: z.string().optional(),
});
/** @public */
export type BudgetState = z.infer<typeof budgetStateSchema>;
