// Paces a pattern part that sends (requests, tasks, API calls) the way producers are paced:
// `perSecond` for the whole service (each of R replicas sends at rate/R, catching up at most one
// second after a stall), `burst` back to back, `manual` on command. Replica r sends r+1, r+1+R, …
import type { Requester } from "../../../lib/scenario/patterns";
import { delay } from "../../brokers/backoff";

export interface Pacer {
  start(): void;
  /** `count` more now (manual parts, or extra ones). */
  sendNow(count: number): void;
  stop(): void;
  /** Every seq was sent (or the part is manual); settle in-flight work before calling the part done. */
  exhausted(): boolean;
}

export interface PacerOptions {
  rate: Requester["rate"];
  count?: number;
  startAfter?: number;
  replica: number;
  replicas: number;
  /** Sends one; resolves once it is on its way (false: cannot send now, stop). */
  send(seq: number): Promise<boolean>;
  /** Called once the last seq is on its way. */
  onExhausted(): void;
}

export function createPacer(options: PacerOptions): Pacer {
  const { rate, replica, replicas } = options;
  const limit = "burst" in rate ? Math.min(rate.burst, options.count ?? rate.burst) : options.count;
  const stopped = new AbortController();
  let index = 0;
  let finished = false;

  const nextSeq = () => replica + 1 + index * replicas;
  const hasMore = () => limit === undefined || nextSeq() <= limit;

  async function sendNext(): Promise<boolean> {
    if (stopped.signal.aborted || !hasMore()) return false;
    const seq = nextSeq();
    index += 1;
    return options.send(seq);
  }

  function finish(): void {
    if (finished || stopped.signal.aborted || hasMore()) return;
    finished = true;
    options.onExhausted();
  }

  async function paced(perSecond: number): Promise<void> {
    const perReplica = perSecond / replicas;
    let start = performance.now();
    let sent = 0;
    while (!stopped.signal.aborted && hasMore()) {
      let due = Math.floor(((performance.now() - start) / 1000) * perReplica) + 1;
      const cap = Math.max(1, Math.ceil(perReplica));
      if (due - sent > cap) {
        start += ((due - sent - cap) / perReplica) * 1000;
        due = sent + cap;
      }
      while (sent < due && (await sendNext())) sent += 1;
      await delay(Math.max(5, start + (sent / perReplica) * 1000 - performance.now()), stopped.signal);
    }
  }

  return {
    start() {
      if ("manual" in rate) return;
      void (async () => {
        if (options.startAfter) await delay(options.startAfter, stopped.signal);
        if ("burst" in rate) while (await sendNext());
        else await paced(rate.perSecond);
        finish();
      })();
    },
    sendNow(count) {
      void (async () => {
        for (let i = 0; i < count; i++) if (!(await sendNext())) break;
      })();
    },
    stop() {
      stopped.abort();
    },
    exhausted: () => "manual" in rate || finished,
  };
}
