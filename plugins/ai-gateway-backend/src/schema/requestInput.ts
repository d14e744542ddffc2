import {
  formatPath,
  type FieldIssue,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * Checks of a request that no schema can make, run before the validated
 * router:
 *
 * - NUL characters (U+0000) in the path, a query parameter or any string or
 *   key of the body: PostgreSQL text cannot hold them, so they would fail in
 *   SQL instead of being refused.
 * - The key `__proto__` anywhere in the body: JSON.parse keeps it as data,
 *   but assigning it to a JavaScript object replaces the prototype, so zod
 *   drops it from maps without a word.
 * - Nesting deeper than any object of the API, which would otherwise be
 *   walked recursively by the validators.
 *
 * Messages never repeat the values they refuse.
 */

/** Deeper than any request body of the API (a pool is about 6 levels deep). */
export const MAX_BODY_DEPTH = 32;
/** Keys a JavaScript object cannot hold as data. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__']);
/** At most this many issues per request: the first ones say enough. */
const MAX_ISSUES = 20;

const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';

/** The issues of a request's path, query parameters and parsed JSON body. */
export function requestInputIssues(request: {
  path: string;
  query: unknown;
  body: unknown;
}): FieldIssue[] {
  const issues = [
    ...pathIssues(request.path),
    ...queryIssues(request.query),
    ...bodyIssues(request.body),
  ];
  return issues.slice(0, MAX_ISSUES);
}

/**
 * NUL in a path segment. Every route's only path parameter is `name`, the
 * second segment (`/pools/{name}/...`); other segments are the path itself.
 */
export function pathIssues(path: string): FieldIssue[] {
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segments[i]);
    } catch {
      // Bad percent-encoding: the validated router answers that.
      continue;
    }
    if (decoded.includes('\0')) {
      return [{ field: i === 2 ? 'name' : 'path', message: NUL_MESSAGE }];
    }
  }
  return [];
}

/** NUL in a query parameter's name or value (values may be nested by the query parser). */
export function queryIssues(query: unknown): FieldIssue[] {
  if (!query || typeof query !== 'object') return [];
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name.includes('\0')) {
      issues.push({
        field: 'query',
        message: 'parameter names must not contain NUL characters (\\u0000)',
      });
    } else if (containsNul(value)) {
      issues.push({ field: name, message: NUL_MESSAGE });
    }
  }
  return issues;
}

function containsNul(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k.includes('\0')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/**
 * NUL in strings and keys, reserved keys and excessive nesting in a parsed
 * JSON body, each named by its path (`body` for the body itself). Walks
 * without recursion, so no depth of input can overflow the stack.
 */
export function bodyIssues(body: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const field = (path: PropertyKey[]) => formatPath(path) || 'body';
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [
    { value: body, path: [] },
  ];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0'))
        issues.push({ field: field(path), message: NUL_MESSAGE });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (path.length >= MAX_BODY_DEPTH) {
      issues.push({
        field: field(path),
        message: `is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`,
      });
      continue;
    }
    // Own keys, as JSON.parse made them (`__proto__` included); pushed in
    // reverse so issues come out in document order.
    const entries = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.keys(value).map(
          k => [k, (value as Record<string, unknown>)[k]] as const,
        );
    const later: Array<{ value: unknown; path: PropertyKey[] }> = [];
    for (const [key, inner] of entries) {
      const at = [...path, key];
      if (typeof key === 'string' && key.includes('\0')) {
        issues.push({
          field: field(path),
          message: 'keys must not contain NUL characters (\\u0000)',
        });
      } else if (typeof key === 'string' && RESERVED_KEYS.has(key)) {
        issues.push({
          field: field(at),
          message: `is a reserved key and cannot be used (${key})`,
        });
      } else {
        later.push({ value: inner, path: at });
      }
    }
    stack.push(...later.reverse());
  }
  return issues.slice(0, MAX_ISSUES);
}
