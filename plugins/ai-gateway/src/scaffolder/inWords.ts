import { useEffect } from 'react';

/** True when two lists of lines read the same. */
export function sameLines(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/**
 * Keeps a read-only field's value equal to `lines`, the words of other
 * fields, so that the review (which shows values, not components) reads
 * them. It sets the value only when it differs, so setting it starts no
 * further round.
 */
export function useValueInWords(
  lines: string[],
  value: string[] | undefined,
  onChange: (lines: string[]) => void,
) {
  useEffect(() => {
    if (!sameLines(value, lines)) onChange(lines);
  }, [lines, value, onChange]);
}
