/** `sha256:0123456789ab…` → `01234567`, as revisions are shown everywhere. */
export const shortRevision = (revision: string) =>
  revision.replace(/^sha256:/, '').slice(0, 8);

/** Whether what runs is what is desired, as a label. */
export function drift(revisions: {
  desiredRevision?: string;
  runningRevision?: string;
}): { label: string; drifted: boolean } {
  const { desiredRevision, runningRevision } = revisions;
  if (!runningRevision) return { label: 'never applied', drifted: true };
  if (runningRevision === desiredRevision) {
    return {
      label: `in sync (${shortRevision(runningRevision)})`,
      drifted: false,
    };
  }
  return {
    label: `${shortRevision(runningRevision)} → ${
      desiredRevision ? shortRevision(desiredRevision) : 'unknown'
    }`,
    drifted: true,
  };
}
