import type { z } from 'zod';

/**
 * A problem with one field, for people.
 *
 * @public
 */
export type FieldIssue = { field: string; message: string };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `spec.groups[0].providers[1].weight` from a zod path ('' for the root).
 *
 * @public
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p);
      if (!IDENTIFIER.test(key)) return `[${JSON.stringify(key)}]`;
      return i === 0 ? key : `.${key}`;
    })
    .join('');
}

const SECRET_LIKE = /pass|secret|token|key|credential|auth/i;

/** Turns zod's generic English into a fragment that fits after the field name. */
function humanize(issue: z.core.$ZodIssue): string {
  const { message } = issue;
  if (issue.code === 'invalid_type' && /received undefined$/.test(message)) {
    return 'is required';
  }
  return message;
}

/**
 * Field-level messages from a zod error, e.g.
 * `{ field: 'redis.host', message: 'Redis host is required when mode is manual' }`.
 * An unknown field is reported on the field itself; when its name looks like
 * a secret (password, apiKey, token...) the message says secrets are given by
 * reference, since that is how an attempt to send a secret value shows up.
 *
 * @public
 */
export function formatZodIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          field: formatPath([...issue.path, key]),
          message: SECRET_LIKE.test(key)
            ? `is not a known field; secret values are never accepted, give a reference to a Kubernetes Secret instead (e.g. ${key.replace(
                /(SecretRef)?$/,
                '',
              )}SecretRef: { name, key })`
            : 'is not a known field',
        });
      }
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? 'is not allowed';
      out.push({
        field: formatPath(issue.path),
        message: `is not a valid key: it ${inner}`,
      });
    } else {
      out.push({ field: formatPath(issue.path), message: humanize(issue) });
    }
  }
  return out;
}

/**
 * One line for logs and error bodies: "redis.host: is required; replicas: ...".
 *
 * @public
 */
export function summarizeIssues(issues: FieldIssue[]): string {
  return issues
    .map(i => (i.field ? `${i.field}: ${i.message}` : i.message))
    .join('; ');
}
