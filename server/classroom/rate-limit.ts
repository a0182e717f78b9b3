// A fixed-window counter per key (a client address): enough to make guessing a join code slow
// without keeping more than one small entry per address that tried recently.

export interface RateLimiter {
  /** Counts an attempt; undefined when allowed, else the seconds until the next window. */
  hit(key: string): number | undefined;
  /** The seconds until `key` may try again, without counting an attempt; undefined when it may now. */
  retryAfter(key: string): number | undefined;
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  /** Blocked once `spent` attempts of the window exceed the limit. */
  function wait(key: string, at: number, spent: number): number | undefined {
    const current = windows.get(key);
    if (!current || at - current.start >= options.windowMs || current.count + spent <= options.limit) return undefined;
    return Math.ceil((current.start + options.windowMs - at) / 1000);
  }
  return {
    hit(key) {
      const at = now();
      // Expired windows are dropped as they are met, so the map stays as small as the recent callers.
      if (windows.size > 10_000) for (const [k, w] of windows) if (at - w.start >= options.windowMs) windows.delete(k);
      const current = windows.get(key);
      if (!current || at - current.start >= options.windowMs) {
        windows.set(key, { start: at, count: 1 });
        return undefined;
      }
      current.count += 1;
      return wait(key, at, 0);
    },
    // Asking before an attempt: blocked when one more would exceed the limit.
    retryAfter: (key) => wait(key, now(), 1),
  };
}
