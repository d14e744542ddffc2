import type { ResponseError } from '@backstage/errors';

/**
 * The HTTP status and the server's own words of a failed request (a
 * ResponseError's message is only the status line). By name, not
 * instanceof: the error may come from another copy of @backstage/errors.
 */
export function failureOf(error: Error): { status?: number; message: string } {
  const e = error as Partial<ResponseError>;
  if (e.name === 'ResponseError' && typeof e.statusCode === 'number') {
    return { status: e.statusCode, message: e.cause?.message || error.message };
  }
  return { message: error.message };
}
