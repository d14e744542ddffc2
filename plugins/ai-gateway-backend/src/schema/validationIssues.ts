import {
  formatPath,
  formatZodIssues,
  type FieldIssue,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { z } from 'zod';

/**
 * Field issues from the message of a request the validated router refused.
 * Backstage's router passes on only the validator's message, as an
 * InputError: "request/query/limit must be <= 500, request/body/redis must
 * have required property 'host'", or "Unknown query parameter 'projet'".
 * Each part becomes `{ field, message }`. Problems with the body are
 * described by `describeBody` when it can (the domain schema's words say
 * which unknown field, or why a field is required); by the validator's
 * words otherwise.
 */
export function validatorIssues(
  message: string,
  describeBody: () => FieldIssue[] | undefined = () => undefined,
): FieldIssue[] {
  const parts = message
    .split(/, (?=request\/)/)
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => ({
      inBody: part.startsWith('request/body'),
      issue: issueOf(part),
    }));
  const body = parts.some(p => p.inBody) ? describeBody() : undefined;
  return [
    ...parts.filter(p => !(body && p.inBody)).map(p => p.issue),
    ...(body ?? []),
  ];
}

function issueOf(part: string): FieldIssue {
  const unknownQuery = /^Unknown query parameter '(.*)'$/.exec(part);
  if (unknownQuery) {
    return {
      field: unknownQuery[1],
      message: `unknown query parameter '${unknownQuery[1]}'`,
    };
  }
  const located =
    /^request\/(body|query|headers|params|path)(?:\/(\S*))? (.*)$/s.exec(part);
  if (!located) return unlocated(part);
  const [, where, pointer = '', text] = located;
  const path = pointer
    .split('/')
    .filter(Boolean)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(segment => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const required = /^must have required property '(.*)'$/.exec(text);
  if (required) path.push(required[1]);
  const field =
    where === 'headers'
      ? headerName(String(path[0] ?? 'headers'))
      : formatPath(path) || (where === 'body' ? 'body' : where);
  return { field, message: required ? 'is required' : plainer(text) };
}

/** ajv's wording, closer to the domain model's ("must be one of: a, b"). */
function plainer(message: string): string {
  return message
    .replace(
      /^must be equal to one of the allowed values: /,
      'must be one of: ',
    )
    .replace(/^must be <= (\S+)$/, 'must be at most $1')
    .replace(/^must be >= (\S+)$/, 'must be at least $1')
    .replace(
      /^must be (integer|number|string|boolean|object|array)$/,
      (_, type: string) =>
        `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`,
    );
}

/** Messages without a path: name the parameter or header they are about. */
function unlocated(message: string): FieldIssue {
  const empty = /^Empty value found for query parameter '([^']+)'$/.exec(
    message,
  );
  if (empty) return { field: empty[1], message: 'must not be empty' };
  const parameter = /parameter '([^']+)'/.exec(message);
  if (parameter) return { field: parameter[1], message };
  if (/^malformed uri/.test(message)) {
    return {
      field: 'path',
      message: 'is not a valid URI path (bad percent-encoding)',
    };
  }
  if (/^unsupported media type/.test(message)) {
    return { field: 'Content-Type', message: 'must be application/json' };
  }
  return { field: 'request', message };
}

/**
 * The issues the domain schema finds in a body, in the model's own words
 * (e.g. which unknown field, or why a field is required); undefined when it
 * finds none.
 */
export function domainIssues(
  schema: z.ZodType,
  body: unknown,
): FieldIssue[] | undefined {
  const result = schema.safeParse(body);
  if (result.success) return undefined;
  return formatZodIssues(result.error).map(i => ({
    ...i,
    field: i.field || 'body',
  }));
}

/** if-match -> If-Match, as the document names it. */
function headerName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, c: string) => dash + c.toUpperCase(),
  );
}
