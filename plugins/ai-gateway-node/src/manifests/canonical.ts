/**
 * Canonical JSON: object keys sorted, `undefined` dropped. Two renders of the
 * same desired state give byte-identical text, which is what makes a
 * revision hash (and so "out of sync") meaningful.
 *
 * @public
 */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) {
    return value
      .filter(item => item !== undefined)
      .map(item => canonicalize(item)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = canonicalize(field);
    }
    return out as T;
  }
  return value;
}

/** @public */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
