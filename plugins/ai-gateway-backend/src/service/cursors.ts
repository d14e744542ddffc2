import { createHash } from 'node:crypto';
import { invalidInput } from './errors';

/**
 * Paging cursors: opaque to clients, checked when they come back.
 *
 * A cursor is the base64url of `{"v":1,"list":...,"after":...}` followed by
 * `.` and a digest of that text. `list` says which list gave it out
 * (`pools`, or `pools/prod/events` for an object's event log), so a cursor
 * is refused by every other list; the digest catches a cursor that was cut
 * or edited. The digest is not keyed: replicas need no shared secret, and a
 * cursor built by hand can only name a position in the list, which `after`
 * is checked to be. Anything else (another version, another list, garbage)
 * is a 400 naming `cursor`.
 */

const VERSION = 1;
/** Longer than any cursor we give out (a list id and a 63-character name). */
export const MAX_CURSOR_LENGTH = 512;

type Payload = { v: number; list: string; after: string };

/** What cursors point after: an object name in a list, an event id in an event log. */
export const cursorPositions = {
  objectName: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  eventId: /^[1-9][0-9]{0,14}$/,
};

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** The cursor of the page after `after` in `list`. */
export function encodeCursor(list: string, after: string): string {
  const payload: Payload = { v: VERSION, list, after };
  const text = JSON.stringify(payload);
  return `${Buffer.from(text, 'utf8').toString('base64url')}.${digest(text)}`;
}

/**
 * The position a cursor of `list` points after; `after` must match
 * `position` (an object name, an event id). Throws a 400 naming `cursor`
 * for anything `encodeCursor` did not produce for this list.
 */
export function decodeCursor(
  list: string,
  cursor: string,
  position: RegExp,
): string {
  const refuse = (why: string) =>
    invalidInput(`Invalid cursor: ${why}`, [
      {
        field: 'cursor',
        message: `${why}; pass the nextCursor of the previous page of this list unchanged`,
      },
    ]);
  const match =
    cursor.length <= MAX_CURSOR_LENGTH
      ? /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{16})$/.exec(cursor)
      : null;
  if (!match) throw refuse('is not a cursor of this API');
  const text = Buffer.from(match[1], 'base64url').toString('utf8');
  if (digest(text) !== match[2]) {
    throw refuse('is not a cursor of this API (it was changed or cut)');
  }
  let payload: Partial<Payload>;
  try {
    payload = JSON.parse(text);
  } catch {
    throw refuse('is not a cursor of this API');
  }
  if (payload?.v !== VERSION) {
    throw refuse('is a cursor of another version of this API');
  }
  if (payload.list !== list) throw refuse('is the cursor of another list');
  if (typeof payload.after !== 'string' || !position.test(payload.after)) {
    throw refuse('is not a cursor of this API');
  }
  return payload.after;
}
