import type { Entity } from '@backstage/catalog-model';
import {
  AI_GATEWAY_KIND_ANNOTATION,
  normalizeGroupRef,
  type BudgetScope,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

type EntityLike = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
};

/** Catalog kinds the catalog module makes of projects and AI backends. */
const SUITE_ENTITY_KINDS = ['system', 'resource', 'component'];

/**
 * The budget scope an entity stands for: a catalog Group is a team, an AI
 * Gateway project or AI backend entity (by its `ai-gateway.io/kind`
 * annotation) is that project or AI backend; undefined for anything else.
 */
export function budgetScopeOfEntity(
  entity: EntityLike,
): BudgetScope | undefined {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const { name, namespace = 'default', annotations } = entity.metadata;
  if (kind === 'group') {
    const team = normalizeGroupRef(`group:${namespace}/${name}`);
    return team ? { kind: 'team', name: team } : undefined;
  }
  if (!SUITE_ENTITY_KINDS.includes(kind)) return undefined;
  const suiteKind = annotations?.[AI_GATEWAY_KIND_ANNOTATION];
  if (suiteKind === 'project') return { kind: 'project', name };
  if (suiteKind === 'aiBackend') return { kind: 'aiBackend', name };
  return undefined;
}

/**
 * Whether the Budgets card applies to an entity: catalog groups (teams), and
 * AI Gateway projects and AI backends (for `EntitySwitch.Case` in the legacy
 * frontend system).
 *
 * @public
 */
export function isBudgetCardAvailable(entity: Entity): boolean {
  return budgetScopeOfEntity(entity) !== undefined;
}

/** Whether a budget's scope is `scope` (team refs compare normalised). */
export function isSameBudgetScope(a: BudgetScope, b: BudgetScope): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'team') {
    return normalizeGroupRef(a.name) === normalizeGroupRef(b.name);
  }
  return a.name === b.name;
}

/** "team group:default/team-a", "project payments", "AI backend llm". */
export function describeBudgetScope(scope: BudgetScope): string {
  if (scope.kind === 'team') return `team ${scope.name}`;
  if (scope.kind === 'project') return `project ${scope.name}`;
  return `AI backend ${scope.name}`;
}
