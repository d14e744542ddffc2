import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  aiGatewayBudgetPermissions,
  aiGatewayTeamBudgetPermission,
  budgetSchema,
  budgetWindowAt,
  formatZodIssues,
  summarizeIssues,
  type Budget,
  type BudgetScope,
  type BudgetState,
  type FleetEntry,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import {
  aiGatewayPermissionRules,
  type AiGatewayPermissionResource,
  type BudgetRefusal,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import type {
  BudgetStore,
  StoredBudget,
  StoredBudgetState,
} from '../database/BudgetStore';
import { UnprocessableError, conflict, invalidInput } from '../service/errors';
import type { Caller } from '../service/ResourceService';
import {
  coveredIn,
  poolsOfScope,
  refusalsOfPool,
  resolveScope,
  type PoolContents,
} from './budgetScope';

/** A budget as the API returns it. */
export type BudgetView = {
  kind: 'budget';
  name: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  spec: Budget;
};

const authorizeConditions = createConditionAuthorizer(
  Object.values(aiGatewayPermissionRules),
);

type Action = 'read' | 'create' | 'update' | 'delete';

/**
 * The rules of budgets: validation, permissions (a team's budget: platform
 * admins; a project's or AI backend's: also the project's owners), optimistic
 * concurrency, audit events, the state of the current window, and which
 * refusals a pool renders. The router only translates HTTP to these calls.
 */
export class BudgetService {
  readonly #budgets: BudgetStore;

  constructor(
    private readonly deps: {
      store: AiGatewayStore;
      permissions: PermissionsService;
      auditor: AuditorService;
      clock?: () => Date;
    },
  ) {
    this.#budgets = deps.store.budgets();
  }

  readonly #listeners: Array<(pools: string[]) => void> = [];

  /**
   * Listens for pools whose enforcement may have changed (an exceeded budget
   * was changed or deleted): delivery renders them again.
   */
  onPoolsChanged(listener: (pools: string[]) => void): void {
    this.#listeners.push(listener);
  }

  #poolsChanged(pools: string[]) {
    if (pools.length === 0) return;
    for (const listener of this.#listeners) listener(pools);
  }

  #now() {
    return this.deps.clock?.() ?? new Date();
  }

  async create(body: unknown, caller: Caller): Promise<BudgetView> {
    return this.#audited('create', undefined, caller, async () => {
      const spec = validate(body);
      await this.#authorize(spec.scope, 'create', caller);
      const created = await this.#budgets.insert(
        spec,
        caller.actor,
        this.#now(),
      );
      if (!created) {
        const exists = `Budget '${spec.name}' already exists`;
        throw conflict(exists, [{ field: 'name', message: exists }]);
      }
      return view(created);
    });
  }

  async get(name: string, caller: Caller): Promise<BudgetView> {
    return view(await this.#readable(name, caller));
  }

  async list(caller: Caller): Promise<{ items: BudgetView[] }> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: aiGatewayBudgetPermissions.read }],
      { credentials: caller.credentials },
    );
    if (decision.result === AuthorizeResult.DENY) return { items: [] };
    const items: BudgetView[] = [];
    for (const budget of await this.#budgets.listAll()) {
      if (decision.result === AuthorizeResult.ALLOW) {
        items.push(view(budget));
        continue;
      }
      const resource = await this.#resource(budget.spec.scope, budget.name);
      if (resource && authorizeConditions(decision, resource)) {
        items.push(view(budget));
      }
    }
    return { items };
  }

  async update(
    name: string,
    body: unknown,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<BudgetView> {
    return this.#audited('update', name, caller, async () => {
      if (isObject(body) && body.name !== undefined && body.name !== name) {
        throw invalidInput('The name of a budget cannot change', [
          { field: 'name', message: `must be '${name}' (the name in the URL)` },
        ]);
      }
      const spec = validate(isObject(body) ? { ...body, name } : body);
      if (expectedVersion === undefined) {
        throw invalidInput('An update needs the version it was based on', [
          {
            field: 'version',
            message:
              'version is required (the version you read; or send an If-Match header) so concurrent edits are not lost',
          },
        ]);
      }
      const previous = await this.#readable(name, caller);
      await this.#authorize(previous.spec.scope, 'update', caller);
      await this.#authorize(spec.scope, 'update', caller);
      const result = await this.#budgets.update(
        spec,
        expectedVersion,
        caller.actor,
        this.#now(),
      );
      if (result.outcome === 'missing') {
        throw new NotFoundError(`Budget '${name}' not found`);
      }
      if (result.outcome === 'conflict') {
        throw conflict(
          `Budget '${name}' was changed by someone else: you sent version ${expectedVersion}, the current version is ${result.currentVersion}. Read it again and reapply your change.`,
          [
            {
              field: 'version',
              message: `is not the current version (${result.currentVersion}); read the budget again and reapply your change`,
            },
          ],
        );
      }
      await this.#enforcementChanged(name, [previous.spec.scope, spec.scope]);
      return view(result.budget);
    });
  }

  async delete(name: string, caller: Caller): Promise<{ deleted: string }> {
    return this.#audited('delete', name, caller, async () => {
      const budget = await this.#readable(name, caller);
      await this.#authorize(budget.spec.scope, 'delete', caller);
      const pools = (await this.#isExceeded(name))
        ? await poolsOfScope(this.deps.store, budget.spec.scope)
        : [];
      if (!(await this.#budgets.delete(name))) {
        throw new NotFoundError(`Budget '${name}' not found`);
      }
      this.#poolsChanged(pools);
      return { deleted: name };
    });
  }

  /** The budget's state in the window that holds now. */
  async state(name: string, caller: Caller): Promise<BudgetState> {
    const budget = await this.#readable(name, caller);
    const now = this.#now();
    const { start, end } = budgetWindowAt(budget.spec.window, now);
    const stored = await this.#budgets.getState(name, start.getTime());
    return stateView(budget.spec, start, end, stored);
  }

  /**
   * The refusals a pool renders: for each budget exceeded in its current
   * window, the pool's AI backends and MCP servers it covers.
   */
  async refusalsFor(contents: PoolContents): Promise<BudgetRefusal[]> {
    const now = this.#now().getTime();
    const states = await this.#budgets.exceededAt(now);
    if (states.length === 0) return [];
    const exceeded: Array<{ budget: Budget; state: StoredBudgetState }> = [];
    for (const state of states) {
      const budget = await this.#budgets.get(state.budget);
      // A state of a window that is not the budget's current one (its window changed) does not count.
      if (
        budget &&
        budgetWindowAt(budget.spec.window, new Date(now)).start.getTime() ===
          state.windowStart
      ) {
        exceeded.push({ budget: budget.spec, state });
      }
    }
    return refusalsOfPool(contents, exceeded);
  }

  /**
   * The budget state of each of `pools` for the fleet: how many budgets
   * cover what the pool serves, which are exceeded (what the pool's desired
   * state refuses or down-routes, so no more than its readers see in its
   * manifests) and how many others passed a soft threshold. A fixed number
   * of queries for the whole fleet: budgets, their current states, and the
   * placement of MCP servers, AI backends and projects (only when there are
   * budgets).
   */
  async poolBudgets(
    pools: string[],
  ): Promise<Map<string, NonNullable<FleetEntry['budgets']>>> {
    const now = this.#now();
    const out = new Map<string, NonNullable<FleetEntry['budgets']>>(
      pools.map(p => [p, { total: 0, exceeded: [], pastSoftThreshold: 0 }]),
    );
    const budgets = await this.#budgets.listAll();
    if (budgets.length === 0 || pools.length === 0) return out;
    const [states, servers, backends, owners] = await Promise.all([
      this.#budgets.statesAt(now.getTime()),
      this.deps.store.placements('mcpServer'),
      this.deps.store.placements('aiBackend'),
      this.deps.store.projectOwners(),
    ]);
    const stateOf = new Map(states.map(s => [s.budget, s]));
    const contents = new Map<string, PoolContents>(
      pools.map(p => [p, { mcpServers: [], aiBackends: [] }]),
    );
    for (const s of servers) contents.get(s.pool)?.mcpServers.push(s);
    for (const b of backends) contents.get(b.pool)?.aiBackends.push(b);
    for (const { spec } of budgets) {
      const window = budgetWindowAt(spec.window, now);
      const state = stateOf.get(spec.name);
      // A state of another window (the budget's window changed) does not count.
      const current =
        state?.windowStart === window.start.getTime() ? state : undefined;
      const fraction = current ? current.spent / limitOf(spec).limit : 0;
      const pastSoft =
        spec.softThresholds.length > 0 &&
        fraction >= Math.min(...spec.softThresholds);
      for (const [pool, held] of contents) {
        const covered = coveredIn(held, owners, spec.scope);
        if (covered.aiBackends.length + covered.mcpServers.length === 0) {
          continue;
        }
        const entry = out.get(pool)!;
        entry.total += 1;
        if (current?.exceededSince !== undefined) {
          entry.exceeded.push({
            budget: spec.name,
            scope: { kind: spec.scope.kind, name: spec.scope.name },
            action: spec.onExceeded.kind,
            ...(spec.onExceeded.kind === 'downRoute'
              ? { model: spec.onExceeded.model }
              : {}),
            until: new Date(current.windowEnd).toISOString(),
          });
        } else if (pastSoft) {
          entry.pastSoftThreshold += 1;
        }
      }
    }
    return out;
  }

  async #isExceeded(name: string): Promise<boolean> {
    const now = this.#now().getTime();
    return (await this.#budgets.exceededAt(now)).some(s => s.budget === name);
  }

  /** A change to an exceeded budget changes what its pools (old and new scope) enforce. */
  async #enforcementChanged(name: string, scopes: BudgetScope[]) {
    if (this.#listeners.length === 0 || !(await this.#isExceeded(name))) {
      return;
    }
    const pools = new Set<string>();
    for (const scope of scopes) {
      for (const pool of await poolsOfScope(this.deps.store, scope)) {
        pools.add(pool);
      }
    }
    this.#poolsChanged([...pools].sort());
  }

  /** Loads a budget the caller may read; 404 both when missing and when hidden. */
  async #readable(name: string, caller: Caller): Promise<StoredBudget> {
    const budget = await this.#budgets.get(name);
    const notFound = new NotFoundError(`Budget '${name}' not found`);
    if (!budget) throw notFound;
    const resource = await this.#resource(budget.spec.scope, name);
    if (
      !(await this.#allowed(aiGatewayBudgetPermissions.read, resource, caller))
    ) {
      throw notFound;
    }
    return budget;
  }

  /**
   * Checks that the caller may `action` a budget of `scope`: a resource
   * permission on the scope's project (or team), and for a team's budget
   * the team-budget permission too. 422 when the scope names nothing.
   */
  async #authorize(scope: BudgetScope, action: Action, caller: Caller) {
    const resource = await this.#resource(scope, '');
    if (!resource) {
      const what = scope.kind === 'project' ? 'project' : 'AI backend';
      throw new UnprocessableError(
        `The budget's scope names no ${what} '${scope.name}'`,
        [{ field: 'scope.name', message: `names no ${what} that exists` }],
      );
    }
    const denied = new NotAllowedError(
      scope.kind === 'team'
        ? `You are not allowed to ${action} budgets of teams (only platform admins may)`
        : `You are not allowed to ${action} budgets in project '${resource.project}'`,
    );
    if (
      !(await this.#allowed(
        aiGatewayBudgetPermissions[action],
        resource,
        caller,
      ))
    ) {
      throw denied;
    }
    if (
      scope.kind === 'team' &&
      action !== 'read' &&
      !(await this.#allowed(aiGatewayTeamBudgetPermission, undefined, caller))
    ) {
      throw denied;
    }
  }

  /** What the permission rules look at: the scope's project and owner group. */
  async #resource(
    scope: BudgetScope,
    name: string,
  ): Promise<AiGatewayPermissionResource | undefined> {
    const resolved = await resolveScope(this.deps.store, scope);
    if (!resolved) return undefined;
    return {
      kind: 'budget',
      name,
      project: resolved.project ?? '',
      owner: resolved.owner,
    };
  }

  async #allowed(
    permission: ResourcePermission | BasicPermission,
    resource: AiGatewayPermissionResource | undefined,
    caller: Caller,
  ): Promise<boolean> {
    const options = { credentials: caller.credentials };
    if (permission.type === 'basic') {
      const [decision] = await this.deps.permissions.authorize(
        [{ permission }],
        options,
      );
      return decision.result === AuthorizeResult.ALLOW;
    }
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission }],
      options,
    );
    if (!resource) return decision.result === AuthorizeResult.ALLOW;
    return authorizeConditions(decision, resource);
  }

  async #audited<T>(
    actionType: string,
    name: string | undefined,
    caller: Caller,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await this.deps.auditor.createEvent({
      eventId: 'budget-mutate',
      severityLevel: actionType === 'delete' ? 'high' : 'medium',
      request: caller.request,
      meta: { actionType, kind: 'budget', ...(name ? { name } : {}) },
    });
    try {
      const result = await fn();
      const r = result as Partial<BudgetView> & { deleted?: string };
      await event.success({
        meta: r.name
          ? { name: r.name, version: r.version }
          : { deleted: r.deleted },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

function validate(body: unknown): Budget {
  const result = budgetSchema.safeParse(body, { reportInput: true });
  if (!result.success) {
    const issues = formatZodIssues(result.error);
    throw invalidInput(`Invalid budget: ${summarizeIssues(issues)}`, issues);
  }
  return result.data;
}

function view(budget: StoredBudget): BudgetView {
  return {
    kind: 'budget',
    name: budget.name,
    version: budget.version,
    createdAt: budget.createdAt,
    createdBy: budget.createdBy,
    updatedAt: budget.updatedAt,
    updatedBy: budget.updatedBy,
    spec: budget.spec,
  };
}

/** The limit of a budget, as a number and its unit. */
export function limitOf(budget: Budget): {
  limit: number;
  unit: 'usd' | 'tokens';
} {
  return budget.limit.usd !== undefined
    ? { limit: budget.limit.usd, unit: 'usd' }
    : { limit: budget.limit.tokens!, unit: 'tokens' };
}

export function stateView(
  budget: Budget,
  start: Date,
  end: Date,
  stored: StoredBudgetState | undefined,
): BudgetState {
  const { limit, unit } = limitOf(budget);
  const spent = stored?.spent ?? 0;
  return {
    budget: budget.name,
    windowStart: start.toISOString(),
    windowEnd: end.toISOString(),
    spent,
    limit,
    unit,
    fraction: spent / limit,
    notifiedThresholds: stored?.notifiedThresholds ?? [],
    ...(stored?.exceededSince !== undefined
      ? { exceededSince: new Date(stored.exceededSince).toISOString() }
      : {}),
    ...(stored?.evaluatedAt !== undefined
      ? { evaluatedAt: new Date(stored.evaluatedAt).toISOString() }
      : {}),
    ...(stored?.details?.unpricedModels?.length
      ? { unpricedModels: stored.details.unpricedModels }
      : {}),
    ...(stored?.details?.error ? { error: stored.details.error } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
