import { ClosedWindowCache, windowPieces } from './windowPieces';

const H = 3_600_000;
const D = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe('windowPieces', () => {
  it('tiles a window with partial edge hours, whole hours and whole days', () => {
    const start = at('2026-11-01T10:17:00Z');
    const end = at('2026-11-04T02:40:30Z');
    const pieces = windowPieces(start, end);
    // Contiguous and covering exactly (start, end].
    expect(pieces[0].start).toBe(start);
    expect(pieces[pieces.length - 1].end).toBe(end);
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i].start).toBe(pieces[i - 1].end);
    }
    const lengths = pieces.map(p => p.end - p.start);
    expect(lengths[0]).toBe(43 * 60_000); // 10:17 -> 11:00
    expect(lengths.slice(1, 14)).toEqual(new Array(13).fill(H)); // 11:00 -> 00:00
    expect(lengths.slice(14, 16)).toEqual([D, D]); // Nov 2 and 3
    expect(lengths.slice(16, 18)).toEqual([H, H]); // 00:00 -> 02:00
    expect(lengths[18]).toBe(40 * 60_000 + 30_000); // 02:00 -> 02:40:30
    expect(pieces).toHaveLength(19);
  });

  it('keeps a window inside one hour whole', () => {
    const start = at('2026-11-01T10:17:00Z');
    const end = at('2026-11-01T10:50:00Z');
    expect(windowPieces(start, end)).toEqual([{ start, end }]);
  });

  it('uses whole days for a window aligned to midnight (a monthly budget)', () => {
    const start = at('2026-11-01T00:00:00Z');
    const end = at('2026-11-03T05:30:00Z');
    const lengths = windowPieces(start, end).map(p => p.end - p.start);
    expect(lengths).toEqual([D, D, H, H, H, H, H, 30 * 60_000]);
  });
});

describe('ClosedWindowCache', () => {
  it('drops the least recently used entries beyond its sample budget', () => {
    const cache = new ClosedWindowCache<number>({ maxSamples: 5 });
    cache.set('a', [1, 2]);
    cache.set('b', [3, 4]);
    expect(cache.get('a')).toEqual([1, 2]); // a is now the most recent
    cache.set('c', [5, 6]);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual([1, 2]);
    expect(cache.get('c')).toEqual([5, 6]);
    cache.set('huge', [1, 2, 3, 4, 5, 6]);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
