import { compare, type Operation } from 'fast-json-patch';
import { canonicalize } from './canonical';
import type { ManifestObject } from './types';

/** @public */
export type ObjectDiff = {
  ref: string;
  apiVersion: string;
  kind: string;
  name: string;
  /** JSON patch turning the live object (as far as we manage it) into the desired one. */
  patch: Operation[];
};

/** @public */
export type BundleDiff = {
  /** Desired, not in the cluster: will be created. */
  added: ObjectDiff[];
  /** Desired and live, with differences in the fields we manage: will be updated. */
  changed: ObjectDiff[];
  /** Live and labelled for the pool, no longer desired: will be pruned. */
  removed: ObjectDiff[];
  unchanged: number;
};

/**
 * An object read from the cluster: only its identity matters to the diff.
 *
 * @public
 */
export type LiveObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
};

const key = (o: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
}) => `${o.apiVersion}/${o.kind}/${o.metadata?.name}`;

/**
 * Keeps only the parts of `live` that `desired` sets: server-side apply
 * owns exactly those fields, so defaults and status the server adds are not
 * differences.
 *
 * @public
 */
export function projectOnto(desired: unknown, live: unknown): unknown {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return live;
    return live.map((item, i) =>
      i < desired.length ? projectOnto(desired[i], item) : item,
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live))
      return live;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired as object)) {
      if (k in (live as object)) {
        out[k] = projectOnto(
          (desired as Record<string, unknown>)[k],
          (live as Record<string, unknown>)[k],
        );
      }
    }
    return out;
  }
  return live;
}

/**
 * What applying `desired` would change in a namespace holding `live`.
 *
 * @public
 */
export function diffBundle(
  desired: ManifestObject[],
  live: LiveObject[],
): BundleDiff {
  const liveByKey = new Map(live.map(o => [key(o), o]));
  const desiredKeys = new Set(desired.map(key));
  const diff: BundleDiff = {
    added: [],
    changed: [],
    removed: [],
    unchanged: 0,
  };
  const head = (o: LiveObject) => ({
    ref: `${o.kind}/${o.metadata?.name}`,
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    name: o.metadata?.name ?? '',
  });
  for (const object of desired) {
    const current = liveByKey.get(key(object));
    const wanted = canonicalize(object);
    if (!current) {
      diff.added.push({
        ...head(object),
        patch: [{ op: 'add', path: '', value: wanted }],
      });
      continue;
    }
    const patch = compare(
      canonicalize(projectOnto(wanted, current)) as object,
      wanted,
    );
    if (patch.length) diff.changed.push({ ...head(object), patch });
    else diff.unchanged++;
  }
  for (const object of live) {
    if (!desiredKeys.has(key(object))) {
      diff.removed.push({
        ...head(object),
        patch: [{ op: 'remove', path: '' }],
      });
    }
  }
  const byRef = (a: ObjectDiff, b: ObjectDiff) => a.ref.localeCompare(b.ref);
  diff.added.sort(byRef);
  diff.changed.sort(byRef);
  diff.removed.sort(byRef);
  return diff;
}
