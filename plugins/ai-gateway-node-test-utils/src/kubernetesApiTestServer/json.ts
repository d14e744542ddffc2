/** Plain-JSON helpers: the server stores objects as parsed JSON, never typed models. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality, ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  const bo = b as JsonObject;
  return ak.every(
    key =>
      Object.prototype.hasOwnProperty.call(bo, key) &&
      deepEqual((a as JsonObject)[key], bo[key]),
  );
}

/** A field path as segments; keys are joined with NUL so `.` and `/` in label keys survive. */
export type FieldPath = string[];
export const pathKey = (path: FieldPath): string => path.join('\u0000');
export const keyPath = (key: string): FieldPath => key.split('\u0000');
/** `.metadata.labels.app`: how the API server prints a field in conflict messages. */
export const printPath = (path: FieldPath): string => `.${path.join('.')}`;

/**
 * The leaf fields of an object: scalars, lists (treated as atomic, see the
 * server-side apply caveats) and empty maps. `null` values are skipped: in an
 * applied configuration they mean "not specified".
 */
export function leafFields(
  value: JsonObject,
  exclude: (path: FieldPath) => boolean = () => false,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: JsonObject, prefix: FieldPath) => {
    for (const [key, child] of Object.entries(node)) {
      if (child === null || child === undefined) continue;
      const path = [...prefix, key];
      if (exclude(path)) continue;
      if (isObject(child) && Object.keys(child).length > 0) {
        walk(child, path);
      } else {
        out.set(pathKey(path), child);
      }
    }
  };
  walk(value, []);
  return out;
}

export function getPath(value: unknown, path: FieldPath): unknown {
  let node = value;
  for (const segment of path) {
    if (!isObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/**
 * Sets a leaf. An empty map only makes sure a map exists, so applying
 * `annotations: {}` does not wipe annotations set by someone else.
 */
export function setPath(target: JsonObject, path: FieldPath, value: unknown) {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(node[segment])) node[segment] = {};
    node = node[segment] as JsonObject;
  }
  const last = path[path.length - 1];
  if (isObject(value) && Object.keys(value).length === 0) {
    if (!isObject(node[last])) node[last] = {};
  } else {
    node[last] = clone(value);
  }
}

/** Removes a field and any maps the removal left empty. */
export function deletePath(target: JsonObject, path: FieldPath) {
  const parents: JsonObject[] = [];
  let node: unknown = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(node)) return;
    parents.push(node);
    node = node[segment];
  }
  if (!isObject(node)) return;
  delete node[path[path.length - 1]];
  for (let i = path.length - 2; i >= 0; i--) {
    const child = parents[i][path[i]];
    if (isObject(child) && Object.keys(child).length === 0 && i > 0) {
      delete parents[i][path[i]];
    } else {
      break;
    }
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Thrown for JSON patches that cannot be applied; answered as 422. */
export class JsonPatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

function resolveParent(doc: unknown, tokens: string[], pointer: string) {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) {
      throw new JsonPatchError(`missing path "${pointer}"`);
    }
  }
  if (!Array.isArray(node) && !isObject(node)) {
    throw new JsonPatchError(`missing path "${pointer}"`);
  }
  return { parent: node as Container, key: tokens[tokens.length - 1] };
}

function arrayIndex(
  array: unknown[],
  key: string,
  forAdd: boolean,
  pointer: string,
) {
  if (forAdd && key === '-') return array.length;
  const index = Number(key);
  const max = forAdd ? array.length : array.length - 1;
  if (!/^\d+$/.test(key) || index > max) {
    throw new JsonPatchError(`array index out of bounds in "${pointer}"`);
  }
  return index;
}

function readAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(parent, key, false, pointer)]
    : parent[key];
  if (value === undefined)
    throw new JsonPatchError(`missing path "${pointer}"`);
  return value;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new JsonPatchError('cannot remove the root');
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0];
  }
  if (!(key in parent)) throw new JsonPatchError(`missing path "${pointer}"`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(
  doc: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace, pointer);
    parent.splice(index, replace ? 1 : 0, clone(value));
  } else {
    if (replace && !(key in parent)) {
      throw new JsonPatchError(`missing path "${pointer}"`);
    }
    parent[key] = clone(value);
  }
  return doc;
}

/** RFC 6902 JSON patch; returns a new document. */
export function jsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new JsonPatchError('a JSON patch must be an array of operations');
  }
  let doc = clone(document);
  for (const op of operations) {
    if (!isObject(op) || typeof op.path !== 'string') {
      throw new JsonPatchError('invalid JSON patch operation');
    }
    const path = op.path;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, path);
        break;
      case 'move': {
        const value = removeAt(doc, String(op.from));
        doc = addAt(doc, path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, readAt(doc, String(op.from)), false);
        break;
      case 'test':
        if (!deepEqual(readAt(doc, path), op.value)) {
          throw new JsonPatchError(`test operation failed at "${path}"`);
        }
        break;
      default:
        throw new JsonPatchError(
          `unknown JSON patch operation "${String(op.op)}"`,
        );
    }
  }
  return doc;
}

/** A `FieldsV1` tree (`{"f:spec": {"f:replicas": {}}}`) from owned leaf paths. */
export function fieldsV1(keys: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const key of keys) {
    let node = root;
    for (const segment of keyPath(key)) {
      const name = `f:${segment}`;
      if (!isObject(node[name])) node[name] = {};
      node = node[name] as JsonObject;
    }
  }
  return root;
}
