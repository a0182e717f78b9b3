// Request/reply as the engine sees it: counters per requester and replier, round-trip latency
// merged from the processes' HDR windows (run and live window), and the latest outcomes.
import * as hdr from "hdr-histogram-js";
import { requesterGauges } from "../../../lib/run/patterns";
import type { PatternFrame, ReplierCounters, RequestOutcome, RequesterCounters, RequestsView } from "../../../lib/run/patterns";
import { summarize } from "../latency";
import { createCounterSlots } from "./slots";

type Histogram = ReturnType<typeof hdr.build>;
const newHistogram = (): Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
const recentPerRequester = 50;

const zero = (): RequesterCounters => ({ sent: 0, confirmed: 0, failed: 0, replied: 0, errors: 0, timedOut: 0, late: 0, unmatched: 0, pending: 0, done: false });

export function createRequestBook() {
  const requesters = createCounterSlots<RequesterCounters>(requesterGauges);
  const repliers = createCounterSlots<ReplierCounters>();
  const run = new Map<string, Histogram>();
  let window = new Map<string, Histogram>();
  const recent = new Map<string, RequestOutcome[]>();
  const histogram = (book: Map<string, Histogram>, key: string) => {
    let found = book.get(key);
    if (!found) book.set(key, (found = newHistogram()));
    return found;
  };

  return {
    frame(service: string, replica: number, frame: PatternFrame) {
      requesters.set(service, replica, frame.requesters);
      repliers.set(service, replica, frame.repliers);
      for (const [name, encoded] of Object.entries(frame.rtt ?? {})) {
        const decoded = hdr.decodeFromCompressedBase64(encoded);
        histogram(run, `${service}/${name}`).add(decoded);
        histogram(window, `${service}/${name}`).add(decoded);
      }
      for (const outcome of frame.requests ?? []) {
        const list = recent.get(outcome.requester) ?? [];
        list.push(outcome);
        if (list.length > recentPerRequester) list.splice(0, list.length - recentPerRequester);
        recent.set(outcome.requester, list);
      }
    },
    exited(service: string, replica: number) {
      requesters.exited(service, replica);
      repliers.exited(service, replica);
    },
    /** The view per requester key; `takeWindow` starts a new live window. */
    view(takeWindow: boolean): Record<string, RequestsView> {
      const out: Record<string, RequestsView> = {};
      for (const [key, counters] of Object.entries(requesters.sum())) {
        out[key] = {
          counters: { ...zero(), ...counters },
          rtt: summarize(run.get(key) ?? newHistogram()),
          window: summarize(window.get(key) ?? newHistogram()),
          recent: [...(recent.get(key) ?? [])],
        };
      }
      if (takeWindow) window = new Map();
      return out;
    },
    repliers: (): Record<string, ReplierCounters> => repliers.sum(),
    /** Every requester has sent what it should and awaits nothing; every replier is idle. */
    drained(): boolean {
      return Object.values(requesters.sum()).every((c) => c.done === true && c.pending === 0)
        && Object.values(repliers.sum()).every((c) => c.inFlight === 0);
    },
  };
}
