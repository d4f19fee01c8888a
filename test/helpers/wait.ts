/**
 * Waits that end: each has a time limit and, when it runs out, says what it was waiting for (a wait with no limit
 * spins forever when the awaited thing never happens, as a dropped key once made a benchmark do for 25 minutes).
 */

/** Polls `check` until it returns something other than undefined/false; `pollMs` 0 polls on every turn of the event loop. */
export async function waitUntil<T>(check: () => T | undefined | false, what: string, { timeoutMs = 10_000, pollMs = 20 } = {}): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => (pollMs > 0 ? setTimeout(r, pollMs) : setImmediate(r)));
  }
}

/** The promise's value, or an error naming `what` if it takes longer than `timeoutMs`. */
export function within<T>(promise: Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
