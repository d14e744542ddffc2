import { drift, shortRevision } from './revision';

describe('revisions', () => {
  it('shortens a revision to its first 8 hex digits', () => {
    expect(shortRevision('sha256:0123456789abcdef')).toBe('01234567');
    expect(shortRevision('0123456789abcdef')).toBe('01234567');
  });

  it('says whether what runs is what is desired', () => {
    expect(
      drift({ desiredRevision: 'sha256:abc', runningRevision: 'sha256:abc' }),
    ).toEqual({ label: 'in sync (abc)', drifted: false });
    expect(
      drift({
        desiredRevision: 'sha256:aaaaaaaaaa',
        runningRevision: 'sha256:bbbbbbbbbb',
      }),
    ).toEqual({
      label: 'bbbbbbbb → aaaaaaaa',
      drifted: true,
    });
    expect(drift({ desiredRevision: 'sha256:abc' })).toEqual({
      label: 'never applied',
      drifted: true,
    });
  });
});
