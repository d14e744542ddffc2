/**
 * A simplified model of server-side apply field ownership.
 *
 * Every manager owns a set of leaf field paths (scalars, lists as a whole,
 * empty maps). Apply replaces the applying manager's set with the leaves of
 * its configuration, removes fields it applied before but no longer does
 * (unless someone else owns them) and reports conflicts when it would change
 * a field another manager owns. Non-apply writes (create, update, patch) take
 * ownership of the fields they change, without conflicts, as on a real server.
 * Lists are atomic, unlike the real server's merge keys (e.g. containers by
 * name).
 */
import {
  clone,
  deepEqual,
  deletePath,
  FieldPath,
  fieldsV1,
  getPath,
  isObject,
  JsonObject,
  keyPath,
  leafFields,
  pathKey,
  printPath,
  setPath,
} from './json';

export type FieldManager = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fields: Set<string>;
};

export type FieldConflict = { manager: FieldManager; path: FieldPath };

/** Identity and server-owned fields: nobody owns them, apply never touches them. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

export function isUntracked(path: FieldPath): boolean {
  const [top, second] = path;
  if (top === 'apiVersion' || top === 'kind' || top === 'status') return true;
  return top === 'metadata' && SERVER_METADATA.has(second);
}

export function trackedLeaves(object: JsonObject): Map<string, unknown> {
  return leafFields(object, isUntracked);
}

function isEmptyMap(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}

/** Whether a live value already satisfies an applied leaf (an empty map matches any map). */
function satisfies(live: unknown, applied: unknown): boolean {
  return isEmptyMap(applied) ? isObject(live) : deepEqual(live, applied);
}

const sameManager = (
  m: FieldManager,
  name: string,
  op: FieldManager['operation'],
) => m.manager === name && m.operation === op;

function copyManagers(managers: FieldManager[]): FieldManager[] {
  return managers.map(m => ({ ...m, fields: new Set(m.fields) }));
}

/** Drops managers that own nothing any more, as the real server does. */
function compact(managers: FieldManager[]): FieldManager[] {
  return managers.filter(m => m.fields.size > 0);
}

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined when the
 * object does not exist yet). Returns the merged object and new ownership, or
 * the conflicts when `force` is false and another manager owns a field that
 * the configuration would change.
 */
export function applyConfiguration(params: {
  live: JsonObject | undefined;
  config: JsonObject;
  managers: FieldManager[];
  manager: string;
  force: boolean;
  apiVersion: string;
  time: string;
}):
  | { object: JsonObject; managers: FieldManager[] }
  | { conflicts: FieldConflict[] } {
  const { live, config, manager, force, apiVersion, time } = params;
  const applied = trackedLeaves(config);
  const managers = copyManagers(params.managers);
  const previous = managers.find(m => sameManager(m, manager, 'Apply'));
  const others = managers.filter(m => m !== previous);

  const conflicts: FieldConflict[] = [];
  if (live) {
    for (const [key, value] of applied) {
      if (satisfies(getPath(live, keyPath(key)), value)) continue;
      for (const other of others) {
        if (other.fields.has(key))
          conflicts.push({ manager: other, path: keyPath(key) });
      }
    }
  }
  if (conflicts.length > 0 && !force) return { conflicts };
  // Forced: the applier takes the conflicting fields over.
  for (const { manager: other, path } of conflicts) {
    other.fields.delete(pathKey(path));
  }

  const object = clone(live ?? {});
  if (previous) {
    for (const key of previous.fields) {
      if (applied.has(key) || others.some(m => m.fields.has(key))) continue;
      const path = keyPath(key);
      // A former leaf that now holds fields (an empty map that was filled in)
      // is a parent of owned fields, not a field to remove.
      const current = getPath(object, path);
      if (isObject(current) && Object.keys(current).length > 0) continue;
      deletePath(object, path);
    }
  }
  for (const [key, value] of applied) setPath(object, keyPath(key), value);

  const mine: FieldManager = {
    manager,
    operation: 'Apply',
    apiVersion,
    time,
    fields: new Set(applied.keys()),
  };
  const next = previous
    ? managers.map(m => (m === previous ? mine : m))
    : [...managers, mine];
  return { object, managers: compact(next) };
}

/**
 * Ownership after a non-apply write (create, update, patch) by `manager`:
 * it takes over every field it changed; removed fields lose their owners.
 */
export function recordUpdate(params: {
  before: JsonObject | undefined;
  after: JsonObject;
  managers: FieldManager[];
  manager: string;
  apiVersion: string;
  time: string;
}): FieldManager[] {
  const { before, after, manager, apiVersion, time } = params;
  const beforeLeaves = before
    ? trackedLeaves(before)
    : new Map<string, unknown>();
  const afterLeaves = trackedLeaves(after);
  const changed: string[] = [];
  for (const [key, value] of afterLeaves) {
    if (!beforeLeaves.has(key) || !deepEqual(beforeLeaves.get(key), value)) {
      changed.push(key);
    }
  }
  const managers = copyManagers(params.managers);
  for (const m of managers) {
    for (const key of m.fields) {
      if (!afterLeaves.has(key)) m.fields.delete(key);
    }
    for (const key of changed) m.fields.delete(key);
  }
  if (changed.length === 0) return compact(managers);
  let mine = managers.find(m => sameManager(m, manager, 'Update'));
  if (!mine) {
    mine = {
      manager,
      operation: 'Update',
      apiVersion,
      time,
      fields: new Set(),
    };
    managers.push(mine);
  }
  mine.time = time;
  mine.apiVersion = apiVersion;
  for (const key of changed) mine.fields.add(key);
  return compact(managers);
}

/** Whether two ownership states are the same, ignoring timestamps. */
export function sameOwnership(a: FieldManager[], b: FieldManager[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((m, i) => {
    const o = b[i];
    if (
      !sameManager(o, m.manager, m.operation) ||
      o.fields.size !== m.fields.size
    ) {
      return false;
    }
    for (const key of m.fields) if (!o.fields.has(key)) return false;
    return true;
  });
}

/** `metadata.managedFields` as the API server renders it. */
export function managedFieldsEntries(managers: FieldManager[]): JsonObject[] {
  return managers.map(m => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    time: m.time,
    fieldsType: 'FieldsV1',
    fieldsV1: fieldsV1(m.fields),
  }));
}

/** The real server's conflict message, e.g. `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: FieldConflict[]): {
  message: string;
  causes: Array<{ reason: string; message: string; field: string }>;
} {
  const byManager = new Map<FieldManager, FieldPath[]>();
  for (const { manager, path } of conflicts) {
    byManager.set(manager, [...(byManager.get(manager) ?? []), path]);
  }
  const n = conflicts.length;
  const parts = [...byManager].map(([m, paths]) => {
    const who = `"${m.manager}" using ${m.apiVersion}`;
    return paths.length === 1
      ? `conflict with ${who}: ${printPath(paths[0])}`
      : `conflicts with ${who}:\n${paths
          .map(p => `- ${printPath(p)}`)
          .join('\n')}`;
  });
  return {
    message: `Apply failed with ${n} conflict${
      n === 1 ? '' : 's'
    }: ${parts.join('\n')}`,
    causes: conflicts.map(({ manager, path }) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${manager.manager}" using ${manager.apiVersion}`,
      field: printPath(path),
    })),
  };
}
