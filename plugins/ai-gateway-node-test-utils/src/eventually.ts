/**
 * Polls `check` until it returns a value (not undefined/false), and throws,
 * naming `what` and the last error, after `ms`. For what the control plane
 * does asynchronously: delivery, notifications between replicas.
 *
 * @public
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${
          last ? `: ${last}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
