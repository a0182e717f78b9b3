// Waits on a condition instead of sleeping: polls `check` until it returns a value (anything but
// undefined, null or false) or the timeout passes, then fails with the last error it saw.

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message ("the span in Jaeger"); a function is asked at the timeout, so it can say the state then. */
  description?: string | (() => string);
}

export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, options: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 250, description = "the condition" } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      const what = typeof description === "function" ? description() : description;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
