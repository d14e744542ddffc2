import { EnrollmentTokens } from './EnrollmentTokens';

describe('EnrollmentTokens', () => {
  it('issues unguessable tokens that name their pool, with a sha256 hash', () => {
    const a = EnrollmentTokens.issue('prod-eu');
    const b = EnrollmentTokens.issue('prod-eu');
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^aigw_prod-eu_[A-Za-z0-9_-]{43}$/);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token.slice(-43));
    expect(EnrollmentTokens.poolOf(a.token)).toBe('prod-eu');
  });

  it('matches only the current token', () => {
    const current = EnrollmentTokens.issue('p');
    const rotatedAway = EnrollmentTokens.issue('p');
    expect(EnrollmentTokens.matches(current.token, current.hash)).toBe(true);
    expect(EnrollmentTokens.matches(rotatedAway.token, current.hash)).toBe(
      false,
    );
    expect(EnrollmentTokens.matches(current.token, undefined)).toBe(false);
  });

  it('rejects malformed tokens', () => {
    expect(EnrollmentTokens.poolOf('aigw_Bad_Pool_xxx')).toBeUndefined();
    expect(EnrollmentTokens.poolOf('')).toBeUndefined();
    expect(EnrollmentTokens.poolOf(`aigw_p_${'a'.repeat(42)}`)).toBeUndefined();
  });
});
