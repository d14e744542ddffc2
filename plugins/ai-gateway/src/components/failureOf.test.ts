import { ResponseError } from '@backstage/errors';
import { failureOf } from './failureOf';

describe('failureOf', () => {
  it("gives a failed request's status and the server's own message", async () => {
    const error = await ResponseError.fromResponse({
      status: 409,
      statusText: 'Conflict',
      headers: {
        get: (h: string) =>
          h.toLowerCase() === 'content-type' ? 'application/json' : null,
      },
      text: async () =>
        JSON.stringify({
          error: { name: 'ConflictError', message: 'version 3 is stale' },
          response: { statusCode: 409 },
        }),
    } as unknown as Response);
    expect(failureOf(error)).toEqual({
      status: 409,
      message: 'version 3 is stale',
    });
  });

  it('gives the fields the server names', async () => {
    const error = await ResponseError.fromResponse({
      status: 400,
      statusText: 'Bad Request',
      headers: {
        get: (h: string) =>
          h.toLowerCase() === 'content-type' ? 'application/json' : null,
      },
      text: async () =>
        JSON.stringify({
          error: {
            name: 'InputError',
            message: 'Invalid budget: limit.usd: must be greater than 0',
            issues: [{ field: 'limit.usd', message: 'must be greater than 0' }],
          },
          response: { statusCode: 400 },
        }),
    } as unknown as Response);
    expect(failureOf(error)).toEqual({
      status: 400,
      message: 'Invalid budget: limit.usd: must be greater than 0',
      issues: [{ field: 'limit.usd', message: 'must be greater than 0' }],
    });
  });

  it('gives only the message of any other error', () => {
    expect(failureOf(new Error('Failed to fetch'))).toEqual({
      message: 'Failed to fetch',
    });
  });
});
