import type { ResponseError } from '@backstage/errors';
import type { FieldIssue } from '@ai-gateway-backstage/plugin-ai-gateway-common';

/**
 * The HTTP status, the server's own words and the fields it names (the
 * control plane's 4xx bodies carry `issues`) of a failed request (a
 * ResponseError's message is only the status line). By name, not
 * instanceof: the error may come from another copy of @backstage/errors.
 */
export function failureOf(error: Error): {
  status?: number;
  message: string;
  issues?: FieldIssue[];
} {
  const e = error as Partial<ResponseError>;
  if (e.name === 'ResponseError' && typeof e.statusCode === 'number') {
    const issues = (e.body?.error as { issues?: unknown } | undefined)?.issues;
    return {
      status: e.statusCode,
      message: e.cause?.message || error.message,
      ...(Array.isArray(issues) ? { issues: issues as FieldIssue[] } : {}),
    };
  }
  return { message: error.message };
}
