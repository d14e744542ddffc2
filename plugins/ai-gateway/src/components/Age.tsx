/** "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "never" without a time. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** `2024-05-01 12:00:00 UTC`: one unambiguous clock for everyone reading an incident's timeline. */
export const absoluteTime = (iso: string) =>
  `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** How long ago `at` was, with the exact time on hover. */
export function Age(props: { at: string | undefined }) {
  const { at } = props;
  return <span title={at ? absoluteTime(at) : undefined}>{age(at)}</span>;
}
