import { z } from 'zod';

/** The part of a zod issue the message helpers look at. */
type RawIssue = { code?: string; input?: unknown };

/**
 * Error option for a schema: "is required" when the value is missing and
 * "must be {what}" when it has the wrong type, format or value. Decided here,
 * when zod still knows the input, so messages do not depend on the caller
 * parsing with `reportInput`. Other issues (checks with their own messages)
 * are left alone.
 */
export function expecting(what: string, whenMissing = 'is required') {
  return {
    error: (issue: RawIssue) => {
      if (issue.input === undefined) return whenMissing;
      if (
        issue.code === 'invalid_type' ||
        issue.code === 'invalid_value' ||
        issue.code === 'invalid_format' ||
        issue.code === 'invalid_union'
      ) {
        return `must be ${what}`;
      }
      return undefined;
    },
  };
}

/** "must be one of: a, b, c" for enums and discriminators. */
export function oneOf(values: readonly string[], whenMissing?: string) {
  return expecting(`one of: ${values.join(', ')}`, whenMissing);
}

/**
 * Error option of a discriminated union: a missing or unknown discriminator
 * is reported on the discriminator field with the allowed values.
 */
export function unionOf(
  discriminator: string,
  values: readonly string[],
  whenMissing = 'is required',
) {
  return {
    error: (issue: RawIssue) => {
      if (issue.input === undefined) return whenMissing;
      if (issue.code === 'invalid_union') {
        const given =
          typeof issue.input === 'object' && issue.input !== null
            ? (issue.input as Record<string, unknown>)[discriminator]
            : undefined;
        return given === undefined
          ? `is required (one of: ${values.join(', ')})`
          : `must be one of: ${values.join(', ')}`;
      }
      if (issue.code === 'invalid_type') return 'must be an object';
      return undefined;
    },
  };
}

/** A whole number in [min, max], with messages that say so. */
export function intBetween(min: number, max: number, what = 'a whole number') {
  const range = `between ${min} and ${max}`;
  return z
    .number(expecting(`${what} ${range}`))
    .int(`must be ${what} ${range}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** Free text of bounded length. */
export function text(max: number, options: { min?: number } = {}) {
  const min = options.min ?? 0;
  return z
    .string(expecting('text'))
    .min(min, {
      message:
        min === 1 ? 'must not be empty' : `must be at least ${min} characters`,
      abort: true,
    })
    .max(max, `must be at most ${max} characters`);
}

/** A boolean, with a human message. */
export function bool() {
  return z.boolean(expecting('true or false'));
}
