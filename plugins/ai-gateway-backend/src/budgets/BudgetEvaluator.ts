import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { servedObjectName } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import {
  budgetWindowAt,
  catalogEntityPath,
  type Budget,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import type { BudgetStore, StoredBudget } from '../database/BudgetStore';
import type { UsageQuery, UsageService } from '../usage/UsageService';
import { limitOf } from './BudgetService';
import {
  describeScope,
  poolsOfScope,
  resolveScope,
  type ResolvedScope,
} from './budgetScope';
import type { ModelPrices } from './modelPrices';

/** The notification topic of budget thresholds and refusals. */
export const BUDGET_NOTIFICATION_TOPIC = 'ai-gateway-budget';

/** What one evaluation of a budget found (for logs and tests). */
export type BudgetEvaluation = {
  budget: string;
  spent?: number;
  fraction?: number;
  notified?: number[];
  exceeded?: boolean;
  error?: string;
};

/**
 * Evaluates every budget against usage: reads the spend of its current
 * window from the usage service, stores it, notifies the owners once per
 * soft threshold and window, and marks the window exceeded at the limit (the
 * pools that hold the scope's objects are rendered again and refuse). A
 * window's exceeded mark is lifted when a new window starts (or the limit is
 * raised above the spend). Every decision is a compare-and-set in the
 * database, so replicas (and a re-run after a crash) never notify twice.
 */
export class BudgetEvaluator {
  readonly #budgets: BudgetStore;

  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      /** Undefined when no metrics source is configured: states say so. */
      usage?: UsageService;
      prices: ModelPrices;
      notifications?: NotificationService;
      /** Renders the pools again and wakes their operators. */
      onPoolsChanged: (pools: string[]) => void;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {
    this.#budgets = deps.store.budgets();
  }

  /** Evaluates every budget once (the scheduled task). */
  async evaluateAll(): Promise<BudgetEvaluation[]> {
    const results: BudgetEvaluation[] = [];
    for (const budget of await this.#budgets.listAll()) {
      try {
        results.push(await this.evaluate(budget));
      } catch (error) {
        this.deps.logger.warn(
          `Could not evaluate budget ${budget.name}`,
          error as Error,
        );
        results.push({ budget: budget.name, error: String(error) });
      }
    }
    return results;
  }

  async evaluate(stored: StoredBudget): Promise<BudgetEvaluation> {
    const budget = stored.spec;
    const now = this.deps.clock?.() ?? new Date();
    const { start, end } = budgetWindowAt(budget.window, now);
    const windowStart = start.getTime();

    // A new window lifts the refusals of the previous ones.
    const lifted = [];
    for (const old of await this.#budgets.exceededBefore(
      budget.name,
      windowStart,
    )) {
      if (
        await this.#budgets.setExceeded(budget.name, old.windowStart, undefined)
      )
        lifted.push(old);
    }
    if (lifted.length > 0) await this.#renderAgain(budget);

    const { limit, unit } = limitOf(budget);
    const base = {
      budget: budget.name,
      windowStart,
      windowEnd: end.getTime(),
      limit,
      unit,
    };
    const scope = await resolveScope(this.deps.store, budget.scope);
    const previous = await this.#budgets.getState(budget.name, windowStart);
    const failed = async (error: string) => {
      await this.#budgets.recordSpend({
        ...base,
        spent: previous?.spent ?? 0,
        evaluatedAt: previous?.evaluatedAt,
        details: { error },
      });
      return { budget: budget.name, error };
    };
    if (!scope) {
      return failed(`The ${describeScope(budget.scope)} no longer exists`);
    }
    if (!this.deps.usage) {
      return failed(
        'Usage is not configured: set aiGateway.metrics.prometheus.url',
      );
    }
    let spend: { spent: number; unpricedModels: string[] };
    try {
      spend = await this.#spend(budget, scope, start, now < end ? now : end);
    } catch (error) {
      this.deps.logger.warn(
        `Could not read the usage of budget ${budget.name}`,
        error as Error,
      );
      return failed(`Could not read usage: ${(error as Error).message}`);
    }
    const state = await this.#budgets.recordSpend({
      ...base,
      spent: spend.spent,
      evaluatedAt: now.getTime(),
      details: spend.unpricedModels.length
        ? { unpricedModels: spend.unpricedModels }
        : undefined,
    });
    const fraction = spend.spent / limit;
    const result: BudgetEvaluation = {
      budget: budget.name,
      spent: spend.spent,
      fraction,
      exceeded: fraction >= 1,
    };

    const crossed = budget.softThresholds.filter(
      t => fraction >= t && !state.notifiedThresholds.includes(t),
    );
    if (
      crossed.length > 0 &&
      (await this.#budgets.markNotified(state, crossed))
    ) {
      result.notified = crossed;
      // At the limit the exceeded notification below says it all.
      if (fraction < 1) {
        await this.#notify(budget, scope, {
          title: `Budget ${budget.name} is at ${percent(fraction)}`,
          description: `${describeScope(budget.scope)} has spent ${amount(
            spend.spent,
            unit,
          )} of ${amount(limit, unit)} this ${windowWord(
            budget,
          )} (threshold ${percent(
            Math.max(...crossed),
          )}). At the limit the gateways ${enforcement(
            budget,
          )} until ${end.toISOString()}.`,
          severity: 'high',
          scopeKey: `${budget.name}:${windowStart}:${Math.max(...crossed)}`,
        });
      }
    }

    if (fraction >= 1) {
      if (
        await this.#budgets.setExceeded(budget.name, windowStart, now.getTime())
      ) {
        await this.#renderAgain(budget);
        await this.#notify(budget, scope, {
          title: `Budget ${budget.name} is spent`,
          description: `${describeScope(budget.scope)} has spent ${amount(
            spend.spent,
            unit,
          )} of ${amount(limit, unit)} this ${windowWord(
            budget,
          )}. The gateways ${enforcement(budget)} until ${end.toISOString()}.`,
          severity: 'critical',
          scopeKey: `${budget.name}:${windowStart}:exceeded`,
        });
      }
    } else if (state.exceededSince !== undefined) {
      // The limit was raised above the spend.
      if (await this.#budgets.setExceeded(budget.name, windowStart, undefined))
        await this.#renderAgain(budget);
    }
    return result;
  }

  /**
   * The spend of the budget's scope in [start, end]: tokens (input plus
   * output) or US dollars (see ModelPrices for how cost is decided). An AI
   * backend's traffic is the traffic of its route (`<namespace>/<HTTPRoute>`
   * in its pool's gateway, as the agentgateway renderer names it).
   */
  async #spend(
    budget: Budget,
    scope: ResolvedScope,
    start: Date,
    end: Date,
  ): Promise<{ spent: number; unpricedModels: string[] }> {
    const usd = budget.limit.usd !== undefined;
    const query: UsageQuery = {
      start,
      end,
      measures: usd
        ? ['inputTokens', 'outputTokens', 'costUsd']
        : ['inputTokens', 'outputTokens'],
      groupBy: ['model'],
    };
    if (budget.scope.kind === 'team')
      query.filter = { team: budget.scope.name };
    else if (budget.scope.kind === 'project') {
      query.filter = { project: budget.scope.name };
    } else {
      if (!scope.pool)
        throw new Error(`the pool of AI backend ${budget.scope.name} is gone`);
      query.pool = {
        name: scope.pool.name,
        namespace: scope.pool.namespace,
        cluster: scope.pool.cluster.name,
      };
      query.filter = {
        route: `${scope.pool.namespace}/${servedObjectName(
          'aiBackend',
          budget.scope.name,
        )}`,
      };
    }
    const totals = await this.deps.usage!.getTotals(query);
    const rows = totals.rows.map(r => ({
      model: r.group.model ?? 'unknown',
      inputTokens: r.values.inputTokens ?? 0,
      outputTokens: r.values.outputTokens ?? 0,
      costUsd: r.values.costUsd,
    }));
    if (!usd) {
      return {
        spent: rows.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0),
        unpricedModels: [],
      };
    }
    const cost = this.deps.prices.costOf(rows);
    return { spent: cost.usd, unpricedModels: cost.unpricedModels };
  }

  async #renderAgain(budget: Budget) {
    const pools = await poolsOfScope(this.deps.store, budget.scope);
    if (pools.length > 0) this.deps.onPoolsChanged(pools);
  }

  async #notify(
    budget: Budget,
    scope: ResolvedScope,
    message: {
      title: string;
      description: string;
      severity: 'high' | 'critical';
      scopeKey: string;
    },
  ) {
    if (!this.deps.notifications) return;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: scope.owner },
        payload: {
          title: message.title,
          description: message.description,
          severity: message.severity,
          topic: BUDGET_NOTIFICATION_TOPIC,
          scope: `budget:${message.scopeKey}`,
          link: linkOf(budget, scope),
        },
      });
    } catch (error) {
      // Recorded as sent: a notification backend that is down must not make
      // every later evaluation (on any replica) send it again.
      this.deps.logger.warn(
        `Could not notify ${scope.owner} about budget ${budget.name}`,
        error as Error,
      );
    }
  }
}

function linkOf(budget: Budget, scope: ResolvedScope): string | undefined {
  if (budget.scope.kind === 'team') {
    const [, namespace, name] = /^group:([^/]+)\/(.+)$/.exec(scope.owner) ?? [];
    return namespace ? `/catalog/${namespace}/group/${name}` : undefined;
  }
  return catalogEntityPath(budget.scope.kind, budget.scope.name);
}

function percent(fraction: number) {
  return `${Math.floor(fraction * 100)} %`;
}

function amount(value: number, unit: 'usd' | 'tokens') {
  return unit === 'usd'
    ? `$${value.toFixed(2)}`
    : `${Math.round(value).toLocaleString('en-US')} tokens`;
}

function windowWord(budget: Budget) {
  return { daily: 'day', weekly: 'week', monthly: 'month' }[budget.window];
}

function enforcement(budget: Budget) {
  return budget.onExceeded.kind === 'downRoute'
    ? `send its LLM requests to ${budget.onExceeded.model} (and refuse its MCP calls)`
    : 'refuse its requests (429)';
}
