import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  budgetSchema,
  catalogEntityRef,
  type Budget,
  type BudgetObject,
  type BudgetState,
  type FieldIssue,
  formatZodIssues,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { AiGatewayClient } from '../AiGatewayClient';
import { formInputError } from '../formErrors';

type Logger = { info(message: string): void };

/** Whether the budget was (or, in a dry run, would be) created or replaced. */
export type BudgetOutcome = 'created' | 'updated';

/**
 * The budget the action's input describes, checked with the control plane's
 * schema. Soft thresholds come as fractions (`softThresholds`, as the API
 * takes them) or, from a form, in percent (`softThresholdsPercent`).
 */
export function budgetOfInput(input: {
  name?: unknown;
  description?: unknown;
  scope?: unknown;
  window?: unknown;
  limit?: unknown;
  softThresholds?: unknown;
  softThresholdsPercent?: unknown;
  onExceeded?: unknown;
}): Budget {
  const { softThresholdsPercent, ...rest } = input;
  const body: Record<string, unknown> = Object.fromEntries(
    // A template's optional parameter left empty renders as undefined or ''.
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''),
  );
  if (softThresholdsPercent !== undefined) {
    if (body.softThresholds !== undefined) {
      throw formInputError('budget', [
        {
          field: 'softThresholdsPercent',
          message:
            'give either softThresholds (fractions) or softThresholdsPercent, not both',
        },
      ]);
    }
    body.softThresholds = fractionsOfPercents(softThresholdsPercent);
  }
  const result = budgetSchema.safeParse(body);
  if (!result.success) {
    // The control plane would answer 400 with the same issues.
    throw formInputError('budget', formatZodIssues(result.error));
  }
  return result.data;
}

function fractionsOfPercents(value: unknown): number[] {
  if (!Array.isArray(value)) {
    throw formInputError('budget', [
      {
        field: 'softThresholdsPercent',
        message: 'must be a list of percents of the limit, e.g. [50, 80]',
      },
    ]);
  }
  const issues: FieldIssue[] = [];
  const fractions = value.map((percent, i) => {
    if (typeof percent !== 'number' || !(percent > 0 && percent < 100)) {
      issues.push({
        field: `softThresholdsPercent[${i}]`,
        message:
          'must be a percent of the limit between 0 and 100, e.g. 80 (the limit itself is the hard threshold)',
      });
    }
    // Rounded so that 7 % is 0.07, not 0.07000000000000001.
    return Number((Number(percent) / 100).toFixed(6));
  });
  if (issues.length) throw formInputError('budget', issues);
  return fractions;
}

/** The catalog entity of what the budget limits: the group, the project's system, the AI backend's resource. */
export function scopeEntityRef(scope: Budget['scope']): string {
  return scope.kind === 'team'
    ? scope.name
    : catalogEntityRef(scope.kind, scope.name) ?? scope.name;
}

/** "$12.34" or "1,000,000 tokens". */
function amount(value: number, unit: 'usd' | 'tokens'): string {
  return unit === 'usd'
    ? `$${value.toFixed(2)}`
    : `${Math.round(value).toLocaleString('en-US')} tokens`;
}

/** The budget's current window in one sentence, for the task's output. */
export function describeBudgetState(
  budget: Budget,
  state: BudgetState,
): string {
  const window = `${state.windowStart.slice(0, 10)} to ${state.windowEnd.slice(
    0,
    10,
  )} (UTC)`;
  const limit = amount(state.limit, state.unit);
  const thresholds = budget.softThresholds.length
    ? ` The owners are notified at ${budget.softThresholds
        .map(t => `${Math.round(t * 1000) / 10} %`)
        .join(', ')} of it.`
    : '';
  if (state.error) {
    return `Limit ${limit} for ${window}. Usage could not be read: ${state.error}.${thresholds}`;
  }
  if (!state.evaluatedAt) {
    return `Limit ${limit} for ${window}; not evaluated yet in this window.${thresholds}`;
  }
  const spent = `${amount(
    state.spent,
    state.unit,
  )} of ${limit} spent (${Math.floor(state.fraction * 100)} %) in ${window}.`;
  if (state.exceededSince) {
    const enforced =
      budget.onExceeded.kind === 'downRoute'
        ? `its LLM requests go to ${budget.onExceeded.model} (MCP calls are refused)`
        : 'its requests are refused (429)';
    return `${spent} Exceeded since ${state.exceededSince}: ${enforced} until the window ends.`;
  }
  const unpriced = state.unpricedModels?.length
    ? ` Not counted (no price): ${state.unpricedModels.join(', ')}.`
    : '';
  return `${spent}${thresholds}${unpriced}`;
}

const is = (error: unknown, status: number) =>
  ResponseError.is(error) && error.statusCode === status;

/**
 * Refused input in the form's words: the client names the fields of a 400 by
 * path only; a 422 (a scope that names nothing) names its field too.
 */
function asFormError(error: unknown): unknown {
  const issues =
    (error as { issues?: FieldIssue[] }).issues ??
    (ResponseError.is(error) && error.statusCode === 422
      ? ((error.body?.error as { issues?: unknown })?.issues as
          | FieldIssue[]
          | undefined)
      : undefined);
  if (
    Array.isArray(issues) &&
    issues.length &&
    (error instanceof InputError || is(error, 422))
  ) {
    return formInputError('budget', issues);
  }
  return error;
}

/**
 * Creates the budget, or replaces the one of that name: reads its version
 * and PUTs; when someone else changed it in between (409) reads it once
 * more. A budget set twice with the same input ends the same, so a retried
 * task needs no memory of an earlier attempt.
 */
export async function setBudget(options: {
  client: AiGatewayClient;
  credentials: BackstageCredentials;
  budget: Budget;
  logger: Logger;
}): Promise<{ budget: BudgetObject; outcome: BudgetOutcome }> {
  const { client, credentials, budget, logger } = options;
  const path = { name: budget.name };
  const read = () =>
    client
      .call(credentials, (api, o) => api.getBudget({ path }, o))
      .catch(error => {
        if (is(error, 404)) return undefined;
        throw error;
      });
  const replace = (version: number) =>
    client.call(credentials, (api, o) =>
      api.updateBudget(
        { path, body: { ...budget, version } as any, header: {} },
        o,
      ),
    );
  try {
    let existing = await read();
    if (!existing) {
      try {
        const created = await client.call(credentials, (api, o) =>
          api.createBudget({ body: budget as any }, o),
        );
        logger.info(`Created budget ${budget.name}`);
        return { budget: created as BudgetObject, outcome: 'created' };
      } catch (error) {
        if (!is(error, 409)) throw error;
        // Created meanwhile by someone else, or taken by a budget this user
        // may not see.
        existing = await read();
        if (!existing) {
          throw formInputError('budget', [
            {
              field: 'name',
              message:
                'is taken by a budget you may not see; choose another name',
            },
          ]);
        }
      }
    }
    let updated;
    try {
      updated = await replace(existing.version);
    } catch (error) {
      if (!is(error, 409)) throw error;
      const current = await read();
      if (!current) throw error;
      logger.info(
        `Budget ${budget.name} changed while it was being replaced (version ${existing.version} → ${current.version}); replacing that version`,
      );
      updated = await replace(current.version);
    }
    logger.info(
      `Replaced budget ${budget.name} (version ${existing.version} → ${updated.version})`,
    );
    return { budget: updated as BudgetObject, outcome: 'updated' };
  } catch (error) {
    throw asFormError(error);
  }
}

/**
 * `ai-gateway:budget:set`: creates a budget or replaces the one of that
 * name, as the user who started the task, and reports its current window.
 *
 * @public
 */
export function setBudgetAction(options: { client: AiGatewayClient }) {
  return createTemplateAction({
    id: 'ai-gateway:budget:set',
    description:
      'Sets a budget (a spend limit per UTC day, week or month on a team, a project or an AI backend, in US dollars or tokens), as the user who started the task: creates it, or replaces the budget of that name. Outputs whether it was created or updated and its current window in words.',
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe('The budget name (lower-case letters, digits and "-")'),
        description: z =>
          z.string().optional().describe('What the budget is for'),
        scope: z =>
          z
            .object({ kind: z.string(), name: z.string() })
            .describe(
              'What it limits: { kind: team, name: a group ref } | { kind: project, name } | { kind: aiBackend, name }',
            ),
        window: z =>
          z
            .string()
            .describe('daily, weekly or monthly (UTC calendar windows)'),
        limit: z =>
          z
            .object({
              usd: z.number().optional(),
              tokens: z.number().optional(),
            })
            .describe(
              'Exactly one of usd (US dollars) or tokens (input plus output)',
            ),
        softThresholds: z =>
          z
            .array(z.number())
            .optional()
            .describe(
              'Fractions of the limit that notify the owners, e.g. [0.5, 0.8] (default [0.8])',
            ),
        softThresholdsPercent: z =>
          z
            .array(z.number())
            .optional()
            .describe(
              'The same in percent of the limit, e.g. [50, 80], as a form asks for them; instead of softThresholds',
            ),
        onExceeded: z =>
          z
            .object({ kind: z.string(), model: z.string().optional() })
            .optional()
            .describe(
              'At the limit: { kind: refuse } (default, 429) or { kind: downRoute, model } (LLM requests go to that model)',
            ),
      },
      output: {
        name: z => z.string().describe('The budget name'),
        outcome: z =>
          z
            .enum(['created', 'updated'])
            .describe(
              'Whether the budget was created or an existing one replaced (in a dry run: would be)',
            ),
        version: z =>
          z
            .number()
            .optional()
            .describe('The budget version (absent in a dry run)'),
        scopeEntityRef: z =>
          z
            .string()
            .describe(
              'The catalog entity of what it limits, e.g. group:default/team-a or system:default/payments',
            ),
        statePath: z =>
          z
            .string()
            .describe(
              "The REST path of the budget's current window, e.g. /budgets/team-a-monthly/state",
            ),
        state: z =>
          z
            .string()
            .describe(
              'The current window in words: spent, limit, whether it is exceeded',
            ),
      },
    },
    async handler(ctx) {
      const budget = budgetOfInput(ctx.input);
      ctx.logger.info(
        `Validated budget ${budget.name}: ${budget.window} limit on ${budget.scope.kind} ${budget.scope.name}`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      const { client } = options;
      ctx.output('name', budget.name);
      ctx.output('scopeEntityRef', scopeEntityRef(budget.scope));
      ctx.output(
        'statePath',
        `/budgets/${encodeURIComponent(budget.name)}/state`,
      );
      if (ctx.isDryRun) {
        // Reading is harmless: it tells whether the real run would replace.
        const existing = await client
          .call(credentials, (api, o) =>
            api.getBudget({ path: { name: budget.name } }, o),
          )
          .catch(error => {
            if (is(error, 404)) return undefined;
            throw error;
          });
        const outcome: BudgetOutcome = existing ? 'updated' : 'created';
        ctx.logger.info(
          `Dry run: budget ${budget.name} would be ${outcome}; nothing was written`,
        );
        ctx.output('outcome', outcome);
        ctx.output(
          'state',
          `Dry run: the budget would be ${outcome}; nothing was written.`,
        );
        return;
      }
      const { outcome, version } = await ctx.checkpoint({
        key: `ai-gateway:budget:set:${budget.name}`,
        fn: async () => {
          const result = await setBudget({
            client,
            credentials,
            budget,
            logger: ctx.logger,
          });
          return { outcome: result.outcome, version: result.budget.version };
        },
      });
      ctx.output('outcome', outcome);
      ctx.output('version', version);
      // The budget is set: a state that cannot be read is reported, not failed.
      const state = await client
        .call(credentials, (api, o) =>
          api.getBudgetState({ path: { name: budget.name } }, o),
        )
        .then(s => describeBudgetState(budget, s as BudgetState))
        .catch(
          (error: Error) =>
            `The current window could not be read: ${error.message}`,
        );
      ctx.logger.info(`Budget ${budget.name} ${outcome}. ${state}`);
      ctx.output('state', state);
    },
  });
}
