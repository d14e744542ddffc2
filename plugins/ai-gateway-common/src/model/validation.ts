import type { z } from 'zod';

/** A problem with one field, for people. */
export type FieldIssue = { field: string; message: string };

/** `a.b[2].c` from a zod path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/**
 * Field-level messages from a zod error. Unknown keys are reported on the key
 * itself ("redis.password: is not a field of ..."), which is also how an
 * attempt to send a secret value instead of a reference shows up.
 */
export function formatZodIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          field: formatPath([...issue.path, key]),
          message: `is not a known field${/pass|secret|token|key/i.test(key) ? ' (secrets are given as references: a field such as passwordSecretRef: { name, key })' : ''}`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push({ field: formatPath(issue.path), message: 'is required' });
      continue;
    }
    out.push({ field: formatPath(issue.path), message: issue.message });
  }
  return out;
}
