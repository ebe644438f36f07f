/**
 * Polls `check` every `intervalMs` until it returns something truthy (which it returns), or fails
 * after `timeoutMs` naming `what`. The suite waits on conditions like this, never on fixed sleeps.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${options.timeoutMs} ms for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** Resolves after `ms`: only for timing a fault's own length (an outage of N seconds), never to wait for a state. */
export const hold = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
