// What the senders (RabbitMQ, Kafka, Amazon) share about the messages they have in flight: a
// signal that wakes every waiter at a change (a free slot, a settled send, a closed sender), and
// the wait for the last unconfirmed message before a sender closes.
import { within } from "./backoff";

export interface ChangeSignal {
  /** Wakes every waiter. */
  signal(): void;
  /** Resolves at the next signal. */
  changed(): Promise<void>;
}

export function createChangeSignal(): ChangeSignal {
  let waiting: (() => void)[] = [];
  return {
    signal() {
      const woken = waiting;
      waiting = [];
      for (const resolve of woken) resolve();
    },
    changed: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
}

/**
 * Waits until nothing is in flight or `timeoutMs` has passed; true when nothing is left. It looks
 * again at every change and at least every 100 ms, so a count that drops without a signal (a send
 * settled between two waits) does not hold it to the deadline.
 */
export async function settleInFlight(inFlight: () => number, changes: Pick<ChangeSignal, "changed">, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (inFlight() > 0 && Date.now() < deadline) await within(changes.changed(), Math.min(100, deadline - Date.now()));
  return inFlight() === 0;
}
