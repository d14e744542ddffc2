import { ConflictError, CustomErrorBase, InputError } from '@backstage/errors';
import type { FieldIssue } from '@ai-gateway-backstage/plugin-ai-gateway-common';

export type { FieldIssue };

/** An error that names the fields at fault; the router puts `issues` in the error body. */
export type WithIssues = Error & { issues: FieldIssue[] };

/** 400: the request does not match the schema; `issues` names each field. */
export function invalidInput(
  message: string,
  issues: FieldIssue[],
): InputError & WithIssues {
  return Object.assign(new InputError(message), { issues });
}

/**
 * 409: the request clashes with the state of the store (a duplicate name or
 * MCP prefix, a stale version, dependents in the way); `issues` names the
 * field the client can change.
 */
export function conflict(
  message: string,
  issues: FieldIssue[],
): ConflictError & WithIssues {
  return Object.assign(new ConflictError(message), { issues });
}

/**
 * 422: the body is well-formed but refers to something that does not exist
 * (or lives in another project). @backstage/errors has no class for 422, and
 * folding it into 400 or 409 would hide from clients that the request itself
 * was fine and only its references are not.
 */
export class UnprocessableError extends CustomErrorBase {
  name = 'UnprocessableError' as const;
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super(message);
  }
}

/** The field issues an error carries, if it carries any. */
export function issuesOf(error: unknown): FieldIssue[] | undefined {
  const issues = (error as Partial<WithIssues> | undefined)?.issues;
  return Array.isArray(issues) ? issues : undefined;
}
