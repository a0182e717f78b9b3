// Command floods: a token bucket per requester (a learner, or one connection outside a class) for
// socket commands and the classroom's HTTP routes. The lab sends a command when a person clicks
// (start, send, fault, a message of the flight recorder) and a few on its own at a page load or a
// reconnect (subscribe, watch, list), so a burst of 40 and 10 a second afterwards never meets a
// person, while a script looping on commands is refused after a few seconds of work.
import { errorPayload, type ErrorPayload } from "../../lib/errors";

export interface CommandLimit {
  /** Takes one token of `key`'s bucket: undefined when allowed, else the seconds until one is back. */
  take(key: string): number | undefined;
}

export interface CommandLimitOptions {
  /** Tokens a full bucket holds: the burst allowed at once. */
  burst: number;
  /** Tokens added back every second: the rate allowed for as long as it lasts. */
  perSecond: number;
  now?: () => number;
}

export const defaultCommandLimit: CommandLimitOptions = { burst: 40, perSecond: 10 };

export function createCommandLimit(options: CommandLimitOptions = defaultCommandLimit): CommandLimit {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refilled = (bucket: { tokens: number; at: number }, at: number) => Math.min(options.burst, bucket.tokens + ((at - bucket.at) / 1000) * options.perSecond);
  return {
    take(key) {
      const at = now();
      // Full buckets hold nothing worth keeping: dropped once the map grows, so it stays as small as the busy callers.
      if (buckets.size > 10_000) for (const [k, b] of buckets) if (refilled(b, at) >= options.burst) buckets.delete(k);
      const bucket = buckets.get(key) ?? { tokens: options.burst, at };
      bucket.tokens = refilled(bucket, at);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    },
  };
}

/** The refusal a flooding requester gets: the code, what happened, and when to try again. */
export function rateLimitedPayload(what: string, retryAfterSeconds: number, options: CommandLimitOptions = defaultCommandLimit): ErrorPayload {
  const message = `Too many ${what}: at most ${options.perSecond} a second (${options.burst} at once). Wait ${retryAfterSeconds} s and try again; your runs and the class carry on.`;
  return { ...errorPayload("RATE_LIMITED", message), retryAfterSeconds };
}
