// The delays of a consumer's retry policy (onError.backoffMs), shared by the derived retry
// resources of each broker kind and the service runtime. Imports nothing.

/** What the retry math reads of a consumer's onError. */
interface RetryPolicy {
  retries: number;
  backoffMs: readonly number[];
}

/** The delay before the retry that follows failed attempt `attempt` (1-based); the last backoff value repeats. */
export function retryDelay(onError: Pick<RetryPolicy, "backoffMs">, attempt: number): number {
  const { backoffMs } = onError;
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(attempt - 1, backoffMs.length - 1)]!;
}

/** The distinct non-zero delays a policy uses over its retries. */
export function retryDelays(onError: RetryPolicy): number[] {
  const delays = Array.from({ length: onError.retries }, (_, i) => retryDelay(onError, i + 1)).filter((ms) => ms > 0);
  return [...new Set(delays)].sort((a, b) => a - b);
}
