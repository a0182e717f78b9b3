// What the senders (RabbitMQ, Kafka, Amazon) share about the messages they have in flight: a
// signal that wakes every waiter at a change (a free slot, a settled send, a closed sender), and
// the wait for the last unconfirmed message before a sender closes.
import { within } from "./backoff";
import type { Publisher, SendOutcome } from "./messaging";

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

export interface WindowedPublisherOptions<M> {
  /** The most sends in flight at once. */
  window: number;
  /** One send, start to outcome; never rejects. */
  send(message: M): Promise<SendOutcome>;
  /** False while the client cannot send (reconnecting): writable() waits, looking again every 200 ms. */
  ready?: () => boolean;
  /** Runs at close, after writers are woken (flushing a client's batches). */
  onClose?: () => Promise<void>;
}

/**
 * A Publisher around one-send-at-a-time clients (Amazon, Pub/Sub, Redis): a window of sends in
 * flight, writers waiting for a free slot, and the wait for the last one before closing.
 */
export function createWindowedPublisher<M>(options: WindowedPublisherOptions<M>): Publisher<M> {
  const { signal, changed } = createChangeSignal();
  const ready = options.ready;
  let inFlight = 0;
  let closed = false;
  const nextChange = ready ? () => within(changed(), 200) : changed;
  return {
    async writable() {
      while (!closed && (inFlight >= options.window || (ready !== undefined && !ready()))) await nextChange();
      return !closed;
    },
    async publish(message) {
      inFlight += 1;
      try {
        return await options.send(message);
      } finally {
        inFlight -= 1;
        signal();
      }
    },
    inFlight: () => inFlight,
    settle: (timeoutMs) => settleInFlight(() => inFlight, { changed }, timeoutMs),
    async close() {
      closed = true;
      signal();
      await options.onClose?.();
    },
  };
}
