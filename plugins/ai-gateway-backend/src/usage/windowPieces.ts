/** A window of time in ms since the epoch: `(start, end]`. */
export type TimeWindow = { start: number; end: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Cuts `(start, end]` into UTC whole days and hours where it can, and the
 * partial hours at its two edges. The usage totals add up exactly over
 * windows that tile a range, and a piece that has ended never changes, so a
 * long window is answered from pieces of which only the newest are read
 * again: a 30-day total reads two partial hours and the newest closed hour,
 * not 30 days of samples three times.
 */
export function windowPieces(start: number, end: number): TimeWindow[] {
  const pieces: TimeWindow[] = [];
  let t = start;
  while (t < end) {
    let next: number;
    if (t % DAY_MS === 0 && t + DAY_MS <= end) next = t + DAY_MS;
    else if (t % HOUR_MS === 0 && t + HOUR_MS <= end) next = t + HOUR_MS;
    else next = Math.min(end, Math.floor(t / HOUR_MS) * HOUR_MS + HOUR_MS);
    pieces.push({ start: t, end: next });
    t = next;
  }
  return pieces;
}

/**
 * Answers of queries about windows that have ended, least recently used
 * dropped first beyond `maxSamples` samples in all. Only immutable facts
 * are kept (a closed window's totals), so a replica that has not cached one
 * asks Prometheus and gets the same answer.
 */
export class ClosedWindowCache<T> {
  readonly #entries = new Map<string, T[]>();
  readonly #maxSamples: number;
  #samples = 0;

  constructor(options: { maxSamples: number }) {
    this.#maxSamples = options.maxSamples;
  }

  get(key: string): T[] | undefined {
    const value = this.#entries.get(key);
    if (value) {
      // Re-insert: Map iteration order is the LRU order.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T[]) {
    if (value.length > this.#maxSamples) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#samples -= old.length;
    }
    this.#entries.set(key, value);
    this.#samples += value.length;
    for (const [k, v] of this.#entries) {
      if (this.#samples <= this.#maxSamples) break;
      this.#entries.delete(k);
      this.#samples -= v.length;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
