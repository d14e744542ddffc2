import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Pool enrollment tokens: shown once when issued, stored only as a SHA-256
 * hash. The pool name is part of the token so an operator needs nothing else
 * to identify itself.
 */
export const EnrollmentTokens = {
  issue(pool: string): { token: string; hash: string } {
    const token = `aigw_${pool}_${randomBytes(32).toString('base64url')}`;
    return { token, hash: EnrollmentTokens.hash(token) };
  },

  hash(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  },

  /** The pool a token claims to belong to, or undefined if it is malformed. */
  poolOf(token: string): string | undefined {
    const match =
      /^aigw_([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)_[A-Za-z0-9_-]{43}$/.exec(
        token,
      );
    return match?.[1];
  },

  /** Constant-time comparison of a presented token with a stored hash. */
  matches(token: string, storedHash: string | undefined): boolean {
    if (!storedHash) return false;
    const a = Buffer.from(EnrollmentTokens.hash(token), 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  },
};
