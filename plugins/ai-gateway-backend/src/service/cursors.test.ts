import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from './cursors';

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error as Error & { issues?: unknown };
  }
  throw new Error('the cursor was accepted');
}

describe('paging cursors', () => {
  it('give back the position of the list that made them', () => {
    const cursor = encodeCursor('pools', 'prod-eu');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
    expect(cursor.length).toBeLessThan(MAX_CURSOR_LENGTH);
    expect(decodeCursor('pools', cursor, NAME)).toBe('prod-eu');
    expect(
      decodeCursor('pools', encodeCursor('pools', 'x'.repeat(63)), NAME),
    ).toBe('x'.repeat(63));
  });

  it.each([
    ['another list', () => encodeCursor('mcp-servers', 'prod')],
    ['an event log', () => encodeCursor('pools/prod/events', '12')],
    ['garbage', () => 'not-a-cursor'],
    [
      'base64 of a name (the old format)',
      () => Buffer.from('prod').toString('base64url'),
    ],
    [
      'an edited payload',
      () => {
        const [payload, check] = encodeCursor('pools', 'prod').split('.');
        const edited = Buffer.from(
          Buffer.from(payload, 'base64url').toString().replace('prod', 'prof'),
        ).toString('base64url');
        return `${edited}.${check}`;
      },
    ],
    ['a cut cursor', () => encodeCursor('pools', 'prod').slice(0, -1)],
    ['a NUL in the position', () => encodeCursor('pools', 'pro\0d')],
    [
      'another version',
      () => {
        const text = JSON.stringify({ v: 2, list: 'pools', after: 'prod' });
        const [, check] = encodeCursor('pools', 'prod').split('.');
        return `${Buffer.from(text).toString('base64url')}.${check}`;
      },
    ],
    ['a huge value', () => 'A'.repeat(10_000)],
  ])('refuse %s with a 400 naming cursor, without repeating it', (_, make) => {
    const cursor = make();
    const error = refusal(() => decodeCursor('pools', cursor, NAME));
    expect(error.name).toBe('InputError');
    expect(error.issues).toEqual([
      {
        field: 'cursor',
        message: expect.stringMatching(
          /; pass the nextCursor of the previous page of this list unchanged$/,
        ),
      },
    ]);
    expect(error.message).not.toContain(cursor);
  });

  it('keep event-log cursors to their own log', () => {
    const cursor = encodeCursor('pools/prod/events', '42');
    expect(decodeCursor('pools/prod/events', cursor, /^[1-9][0-9]*$/)).toBe(
      '42',
    );
    expect(
      refusal(() => decodeCursor('pools/dev/events', cursor, /^[1-9][0-9]*$/))
        .message,
    ).toBe('Invalid cursor: is the cursor of another list');
  });
});
