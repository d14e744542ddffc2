import type {
  AiBackend,
  Budget,
  BudgetScope,
  Pool,
  Project,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { BudgetRefusal } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { AiGatewayStore } from '../database/AiGatewayStore';
import type { StoredBudgetState } from '../database/BudgetStore';

const PAGE = 500;

/** Every object of `kind` matching `filters`, page by page. */
async function listAll<T>(
  store: AiGatewayStore,
  kind: 'project' | 'mcpServer' | 'aiBackend',
  filters: Record<string, string>,
) {
  const out: Array<{ name: string; pool?: string; spec: T }> = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.list<T>(kind, { filters, after, limit: PAGE });
    out.push(...page.items);
    if (!page.hasMore) return out;
    after = page.items[page.items.length - 1].name;
  }
}

/**
 * What a budget's scope is, resolved against the store: the group that owns
 * it (whom thresholds notify), and for an AI backend its pool. Undefined
 * when the project or AI backend no longer exists.
 */
export type ResolvedScope = {
  scope: BudgetScope;
  /** The owner group: the team itself, or the project's owner. */
  owner: string;
  /** The project of a project or AI backend budget. */
  project?: string;
  /** The pool of an AI backend budget. */
  pool?: Pool;
};

export async function resolveScope(
  store: AiGatewayStore,
  scope: BudgetScope,
): Promise<ResolvedScope | undefined> {
  if (scope.kind === 'team') return { scope, owner: scope.name };
  if (scope.kind === 'project') {
    const project = await store.get<Project>('project', scope.name);
    return project
      ? { scope, owner: project.spec.owner, project: project.name }
      : undefined;
  }
  const backend = await store.get<AiBackend>('aiBackend', scope.name);
  if (!backend) return undefined;
  const [project, pool] = await Promise.all([
    store.get<Project>('project', backend.project),
    store.get<Pool>('pool', backend.spec.pool),
  ]);
  if (!project) return undefined;
  return {
    scope,
    owner: project.spec.owner,
    project: project.name,
    pool: pool?.spec,
  };
}

/**
 * The pools that hold an object the budget covers: the pools of the team's
 * (or the project's) MCP servers and AI backends, or the AI backend's pool.
 * Exactly these render a refusal when the budget is exceeded.
 */
export async function poolsOfScope(
  store: AiGatewayStore,
  scope: BudgetScope,
): Promise<string[]> {
  if (scope.kind === 'aiBackend') {
    const backend = await store.get<AiBackend>('aiBackend', scope.name);
    return backend ? [backend.spec.pool] : [];
  }
  const projects =
    scope.kind === 'project'
      ? [scope.name]
      : (await listAll<Project>(store, 'project', { owner: scope.name })).map(
          p => p.name,
        );
  const pools = new Set<string>();
  for (const project of projects) {
    for (const kind of ['mcpServer', 'aiBackend'] as const) {
      for (const o of await listAll(store, kind, { project })) {
        if (o.pool) pools.add(o.pool);
      }
    }
  }
  return [...pools].sort();
}

/** What a pool's desired state holds that refusals are computed from. */
export type PoolContents = {
  mcpServers: Array<{ name: string; project: string }>;
  aiBackends: Array<{ name: string; project: string }>;
  /** The owners of the projects of the pool and of what it holds. */
  projects?: Array<{ name: string; owner: string }>;
};

/**
 * The refusals one pool renders for the budgets exceeded now: per budget,
 * the pool's AI backends and MCP servers in its scope (none: no refusal).
 */
export function refusalsOfPool(
  contents: PoolContents,
  exceeded: Array<{ budget: Budget; state: StoredBudgetState }>,
): BudgetRefusal[] {
  const owners = new Map((contents.projects ?? []).map(p => [p.name, p.owner]));
  const refusals: BudgetRefusal[] = [];
  for (const { budget, state } of exceeded) {
    const { scope } = budget;
    const { aiBackends, mcpServers } = coveredIn(contents, owners, scope);
    if (aiBackends.length === 0 && mcpServers.length === 0) continue;
    const until = new Date(state.windowEnd).toISOString();
    refusals.push({
      budget: budget.name,
      scope: { kind: scope.kind, name: scope.name },
      aiBackends: aiBackends.map(b => b.name).sort(),
      mcpServers: mcpServers.map(s => s.name).sort(),
      action:
        budget.onExceeded.kind === 'downRoute'
          ? { kind: 'downRoute', model: budget.onExceeded.model }
          : { kind: 'refuse' },
      message: `Budget ${budget.name} of ${describeScope(
        scope,
      )} is spent until ${until}`,
      until,
    });
  }
  return refusals.sort((a, b) => a.budget.localeCompare(b.budget));
}

/**
 * What of a pool's contents a budget's scope covers: for a team, what its
 * projects (by `owners`: project -> owner) hold; for a project, what it
 * holds; for an AI backend, that backend only.
 */
export function coveredIn(
  contents: Pick<PoolContents, 'mcpServers' | 'aiBackends'>,
  owners: Map<string, string>,
  scope: BudgetScope,
): {
  aiBackends: PoolContents['aiBackends'];
  mcpServers: PoolContents['mcpServers'];
} {
  const covers = (o: { name: string; project: string }) =>
    scope.kind === 'team'
      ? owners.get(o.project) === scope.name
      : o.project === scope.name;
  return {
    aiBackends:
      scope.kind === 'aiBackend'
        ? contents.aiBackends.filter(b => b.name === scope.name)
        : contents.aiBackends.filter(covers),
    // An AI backend's budget counts tokens only: its pool's MCP servers are not in it.
    mcpServers:
      scope.kind === 'aiBackend' ? [] : contents.mcpServers.filter(covers),
  };
}

export function describeScope(scope: BudgetScope): string {
  if (scope.kind === 'team') return scope.name;
  return `${scope.kind === 'project' ? 'project' : 'AI backend'} ${scope.name}`;
}
