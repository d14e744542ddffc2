import type { Policy, PolicyKind } from '../model/policy';
import { policyKinds } from '../model/policy';

/**
 * Where a policy is attached, from the least to the most specific.
 *
 * @public
 */
export const policyLevels = ['gateway', 'route', 'backend'] as const;
/** @public */
export type PolicyLevel = (typeof policyLevels)[number];

/**
 * The point of the data path a question is asked about.
 *
 * @public
 */
export type PolicyScope =
  | { level: 'gateway' }
  | { level: 'route' | 'backend'; target: string };

/** Sections whose values combine across levels instead of replacing each other. */
const MERGED_SECTIONS: ReadonlySet<PolicyKind> = new Set(['headers']);

/** @public */
export type PolicySource = { policy: string; level: PolicyLevel };

/** @public */
export type EffectiveSection = {
  section: PolicyKind;
  /** What applies at this scope. */
  value: unknown;
  /** The policy whose value applies (for merged sections: the most specific contributor). */
  from: PolicySource;
  /** merged: values of several levels combined; overrides: a more specific level replaced others; inherited: set at one less specific level only. */
  mode: 'set-here' | 'inherited' | 'overrides' | 'merged';
  /** Contributors of a merged section, least specific first. */
  mergedFrom?: PolicySource[];
  /** Values that do not apply here, and why. */
  overridden: Array<PolicySource & { reason: string }>;
};

function levelRank(level: PolicyLevel) {
  return policyLevels.indexOf(level);
}

/**
 * The policies of a pool that reach `scope`: the gateway's, and the target's own route (and backend).
 *
 * @public
 */
export function policiesAt(
  policies: Policy[],
  scope: PolicyScope,
): Array<Policy & { level: PolicyLevel }> {
  return policies
    .filter(p => {
      if (p.target.kind === 'gateway') return true;
      if (scope.level === 'gateway') return false;
      if (p.target.name !== scope.target) return false;
      return levelRank(p.target.kind) <= levelRank(scope.level);
    })
    .map(p => ({ ...p, level: p.target.kind }));
}

/** The mode of a section set at one level only: here, or at a less specific level. */
function singleSourceMode(setHere: boolean): EffectiveSection['mode'] {
  return setHere ? 'set-here' : 'inherited';
}

function mergeHeaders(values: Array<NonNullable<Policy['headers']>>) {
  const out: Record<
    'request' | 'response',
    {
      set: Record<string, string>;
      add: Record<string, string>;
      remove: string[];
    }
  > = {
    request: { set: {}, add: {}, remove: [] },
    response: { set: {}, add: {}, remove: [] },
  };
  for (const value of values) {
    for (const side of ['request', 'response'] as const) {
      const ops = value[side];
      if (!ops) continue;
      Object.assign(out[side].set, ops.set);
      Object.assign(out[side].add, ops.add);
      out[side].remove = [...new Set([...out[side].remove, ...ops.remove])];
    }
  }
  return out;
}

/**
 * The effective policy at a point of the data path: for each section, which
 * policy applies, from which level, and which others it overrides. The more
 * specific level wins (backend over route over gateway); headers merge
 * across levels. Two policies of one level setting the same section conflict:
 * the first by name applies, deterministically, and the other is reported.
 *
 * @public
 */
export function effectivePolicy(
  policies: Policy[],
  scope: PolicyScope,
): EffectiveSection[] {
  const applicable = policiesAt(policies, scope).sort(
    (a, b) =>
      levelRank(a.level) - levelRank(b.level) || a.name.localeCompare(b.name),
  );
  const out: EffectiveSection[] = [];
  for (const section of policyKinds) {
    const setters = applicable.filter(p => p[section] !== undefined);
    if (!setters.length) continue;
    // One winner per level: the first by name; later ones of that level conflict.
    const perLevel = new Map<
      PolicyLevel,
      Array<Policy & { level: PolicyLevel }>
    >();
    for (const p of setters)
      perLevel.set(p.level, [...(perLevel.get(p.level) ?? []), p]);
    const overridden: EffectiveSection['overridden'] = [];
    const winners: Array<Policy & { level: PolicyLevel }> = [];
    for (const [level, list] of perLevel) {
      winners.push(list[0]);
      for (const loser of list.slice(1)) {
        overridden.push({
          policy: loser.name,
          level,
          reason: `conflicts with policy ${list[0].name} at the same ${level} level; ${list[0].name} applies (first by name)`,
        });
      }
    }
    const mostSpecific = winners[winners.length - 1];
    const here = scope.level === mostSpecific.level;
    if (MERGED_SECTIONS.has(section) && winners.length > 1) {
      out.push({
        section,
        value: mergeHeaders(winners.map(w => w.headers!)),
        from: { policy: mostSpecific.name, level: mostSpecific.level },
        mode: 'merged',
        mergedFrom: winners.map(w => ({ policy: w.name, level: w.level })),
        overridden,
      });
      continue;
    }
    for (const w of winners.slice(0, -1)) {
      overridden.push({
        policy: w.name,
        level: w.level,
        reason: `overridden by policy ${mostSpecific.name} at the more specific ${mostSpecific.level} level`,
      });
    }
    out.push({
      section,
      value: mostSpecific[section],
      from: { policy: mostSpecific.name, level: mostSpecific.level },
      mode: winners.length > 1 ? 'overrides' : singleSourceMode(here),
      overridden,
    });
  }
  return out;
}
