import type { Budget } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { Knex } from 'knex';

/** The largest version the `version` column holds (a 32-bit integer). */
const MAX_VERSION = 2_147_483_647;

/** A budget as stored: the validated object plus bookkeeping. */
export type StoredBudget = {
  name: string;
  version: number;
  spec: Budget;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** A budget's state in one window (times in ms since the epoch, UTC). */
export type StoredBudgetState = {
  budget: string;
  windowStart: number;
  windowEnd: number;
  spent: number;
  limit: number;
  unit: 'usd' | 'tokens';
  notifiedThresholds: number[];
  exceededSince?: number;
  evaluatedAt?: number;
  /** What the last evaluation noticed (unpriced models, a read error). */
  details?: { unpricedModels?: string[]; error?: string };
};

export type BudgetUpdateResult =
  | { outcome: 'updated'; budget: StoredBudget }
  | { outcome: 'missing' }
  | { outcome: 'conflict'; currentVersion: number };

/**
 * Budgets and their per-window state, on knex (SQLite or PostgreSQL). Writes
 * that more than one replica could make at once (a threshold notified, the
 * limit exceeded) are compare-and-set, so each happens once per window.
 */
export class BudgetStore {
  constructor(private readonly db: Knex) {}

  async get(name: string): Promise<StoredBudget | undefined> {
    const row = await this.db('aigw_budgets').where({ name }).first();
    return row ? toBudget(row) : undefined;
  }

  /** Every budget, by name (budgets are few: one or a few per team and project). */
  async listAll(): Promise<StoredBudget[]> {
    const rows = await this.db('aigw_budgets').orderBy('name', 'asc');
    return rows.map(toBudget);
  }

  /** Inserts a new budget; undefined when one of that name exists (a race the caller lost). */
  async insert(
    spec: Budget,
    actor: string,
    now: Date,
  ): Promise<StoredBudget | undefined> {
    const row = {
      name: spec.name,
      scope_kind: spec.scope.kind,
      scope_name: spec.scope.name,
      version: 1,
      spec: JSON.stringify(spec),
      created_by: actor,
      updated_by: actor,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const inserted = await this.db('aigw_budgets')
      .insert(row)
      .onConflict('name')
      .ignore()
      .returning('name');
    return inserted.length === 1 ? toBudget(row) : undefined;
  }

  /** Compare-and-set on the version: a stale version changes nothing. */
  async update(
    spec: Budget,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<BudgetUpdateResult> {
    const possible =
      Number.isSafeInteger(expectedVersion) &&
      expectedVersion >= 1 &&
      expectedVersion < MAX_VERSION;
    const changed = possible
      ? await this.db('aigw_budgets')
          .where({ name: spec.name, version: expectedVersion })
          .update({
            scope_kind: spec.scope.kind,
            scope_name: spec.scope.name,
            version: expectedVersion + 1,
            spec: JSON.stringify(spec),
            updated_by: actor,
            updated_at: now.toISOString(),
          })
      : 0;
    if (changed === 1) {
      return { outcome: 'updated', budget: (await this.get(spec.name))! };
    }
    const current = await this.db('aigw_budgets')
      .where({ name: spec.name })
      .first('version');
    return current
      ? { outcome: 'conflict', currentVersion: Number(current.version) }
      : { outcome: 'missing' };
  }

  /** Deletes the budget and its state. */
  async delete(name: string): Promise<boolean> {
    await this.db('aigw_budget_state').where({ budget: name }).delete();
    return (await this.db('aigw_budgets').where({ name }).delete()) > 0;
  }

  async getState(
    budget: string,
    windowStart: number,
  ): Promise<StoredBudgetState | undefined> {
    const row = await this.db('aigw_budget_state')
      .where({ budget, window_start: windowStart })
      .first();
    return row ? toState(row) : undefined;
  }

  /** States of earlier windows still marked exceeded (to lift them). */
  async exceededBefore(
    budget: string,
    windowStart: number,
  ): Promise<StoredBudgetState[]> {
    const rows = await this.db('aigw_budget_state')
      .where({ budget })
      .where('window_start', '<', windowStart)
      .whereNotNull('exceeded_since');
    return rows.map(toState);
  }

  /** Budgets exceeded in the window that holds `at`, by name. */
  async exceededAt(at: number): Promise<StoredBudgetState[]> {
    const rows = await this.db('aigw_budget_state')
      .where('window_start', '<=', at)
      .where('window_end', '>', at)
      .whereNotNull('exceeded_since');
    return rows.map(toState);
  }

  /** The state of every budget in the window that holds `at` (evaluated at least once in it). */
  async statesAt(at: number): Promise<StoredBudgetState[]> {
    const rows = await this.db('aigw_budget_state')
      .where('window_start', '<=', at)
      .where('window_end', '>', at);
    return rows.map(toState);
  }

  /**
   * Records the spend read in a window; creates the window's row on its
   * first evaluation. Notified thresholds and the exceeded mark are left as
   * they are (see `markNotified`, `setExceeded`).
   */
  async recordSpend(
    state: Pick<
      StoredBudgetState,
      | 'budget'
      | 'windowStart'
      | 'windowEnd'
      | 'spent'
      | 'limit'
      | 'unit'
      | 'evaluatedAt'
      | 'details'
    >,
  ): Promise<StoredBudgetState> {
    const values = {
      spent: state.spent,
      limit_amount: state.limit,
      unit: state.unit,
      window_end: state.windowEnd,
      evaluated_at: state.evaluatedAt ?? null,
      details: state.details ? JSON.stringify(state.details) : null,
    };
    await this.db('aigw_budget_state')
      .insert({
        budget: state.budget,
        window_start: state.windowStart,
        notified_thresholds: '[]',
        exceeded_since: null,
        ...values,
      })
      .onConflict(['budget', 'window_start'])
      .merge(values);
    return (await this.getState(state.budget, state.windowStart))!;
  }

  /**
   * Adds `thresholds` to the window's notified ones, unless someone else
   * changed them since `seen` was read. True when this call recorded them:
   * only then are the notifications sent.
   */
  async markNotified(
    seen: StoredBudgetState,
    thresholds: number[],
  ): Promise<boolean> {
    const next = [...new Set([...seen.notifiedThresholds, ...thresholds])].sort(
      (a, b) => a - b,
    );
    const changed = await this.db('aigw_budget_state')
      .where({
        budget: seen.budget,
        window_start: seen.windowStart,
        notified_thresholds: JSON.stringify(seen.notifiedThresholds),
      })
      .update({ notified_thresholds: JSON.stringify(next) });
    return changed === 1;
  }

  /**
   * Marks the window exceeded since `at` (or lifts it, with undefined). True
   * when this call changed it: only then are the pools rendered again.
   */
  async setExceeded(
    budget: string,
    windowStart: number,
    at: number | undefined,
  ): Promise<boolean> {
    const query = this.db('aigw_budget_state').where({
      budget,
      window_start: windowStart,
    });
    if (at === undefined) query.whereNotNull('exceeded_since');
    else query.whereNull('exceeded_since');
    return (await query.update({ exceeded_since: at ?? null })) === 1;
  }
}

function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

function toBudget(row: any): StoredBudget {
  return {
    name: row.name,
    version: Number(row.version),
    spec: JSON.parse(row.spec) as Budget,
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

function toState(row: any): StoredBudgetState {
  const details = row.details ? JSON.parse(row.details) : undefined;
  return {
    budget: row.budget,
    windowStart: Number(row.window_start),
    windowEnd: Number(row.window_end),
    spent: Number(row.spent),
    limit: Number(row.limit_amount),
    unit: row.unit,
    notifiedThresholds: JSON.parse(row.notified_thresholds),
    exceededSince:
      row.exceeded_since === null ? undefined : Number(row.exceeded_since),
    evaluatedAt:
      row.evaluated_at === null ? undefined : Number(row.evaluated_at),
    details,
  };
}
