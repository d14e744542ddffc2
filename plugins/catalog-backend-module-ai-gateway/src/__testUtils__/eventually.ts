/** Polls until `check` stops throwing (the catalog processes asynchronously). */
export async function eventually(
  check: () => Promise<void>,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(r => setTimeout(r, 250));
    }
  }
}
