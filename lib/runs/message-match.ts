// The same message in two recorded runs (the comparison's flight recorders): each run's sampled
// message histories rebuilt from the message events its frames carry, the messages both runs hold
// (by the recorder's id, `<service>/<producer>/<seq>`, the same in two runs of one scenario), and
// what differs between the two histories: steps one run has and the other lacks, redeliveries, and
// how long after the publish each step came. Pure, so the page and the tests share it.
import { reportsCreation, type MessageEvent, type MessageEventKind } from "../run/ipc";
import type { RunFrame } from "../run/model";
import type { LoggedMessageView } from "../run/model-view";

/** Every message the recording holds events of, by id, its events in time order. */
export function recordedMessages(frames: readonly RunFrame[]): Map<string, LoggedMessageView> {
  const messages = new Map<string, LoggedMessageView>();
  for (const frame of frames) {
    for (const event of frame.tail) {
      let message = messages.get(event.id);
      if (!message) messages.set(event.id, (message = { id: event.id, firstAt: event.at, events: [] }));
      message.firstAt = Math.min(message.firstAt, event.at);
      message.events.push(event);
    }
  }
  for (const message of messages.values()) {
    message.events.sort((p, q) => p.at - q.at);
    // The message's trace is its producer's when the recording has a producer event with one.
    const traceId = message.events.find((e) => e.traceId && reportsCreation(e.kind))?.traceId ?? message.events.find((e) => e.traceId)?.traceId;
    if (traceId) message.traceId = traceId;
  }
  return messages;
}

/** The sequence number of a recorder id (`service/producer/42` → 42), for ordering; Infinity when it has none. */
const seqOf = (id: string): number => {
  const last = Number(id.slice(id.lastIndexOf("/") + 1));
  return Number.isFinite(last) ? last : Number.POSITIVE_INFINITY;
};

const hasPublish = (message: LoggedMessageView) => message.events.some((e) => e.kind === "published");

/**
 * How telling a pair is: a redelivery in one run only first, then histories both recorded from the
 * publish, then any other difference (often only the sampling keeping different steps).
 */
function rank(a: LoggedMessageView, b: LoggedMessageView): number {
  const rows = flightDifferences(a, b);
  const redelivery = rows.some((row) => row.a.redelivered !== row.b.redelivered);
  return (redelivery ? 4 : 0) + (hasPublish(a) && hasPublish(b) ? 2 : 0) + (rows.some((row) => row.differs) ? 1 : 0);
}

/** The ids both runs hold, the most telling first (see rank), then by producer and sequence number. */
export function commonMessageIds(a: ReadonlyMap<string, LoggedMessageView>, b: ReadonlyMap<string, LoggedMessageView>): string[] {
  const both = [...a.keys()].filter((id) => b.has(id));
  const ranks = new Map(both.map((id) => [id, rank(a.get(id)!, b.get(id)!)]));
  const producer = (id: string) => id.slice(0, id.lastIndexOf("/"));
  return both.sort((p, q) => ranks.get(q)! - ranks.get(p)! || producer(p).localeCompare(producer(q)) || seqOf(p) - seqOf(q));
}

/** A message's life in order, so the steps of two histories line up whatever the sampling kept. */
const lifecycle: readonly MessageEventKind[] = [
  "published", "confirmed", "returned", "send-failed", "republished", "delivered", "duplicate", "processed", "replied", "reply-received",
  "late-reply", "timed-out", "retried", "nacked", "requeued", "forwarded", "acked", "dead-lettered", "in-dead-letter-queue", "dropped",
];

export interface StageSide {
  /** How many times the step happened. */
  count: number;
  /** Milliseconds from the publish (or the first event) to its first occurrence. */
  afterMs?: number;
  redelivered: boolean;
}

export interface FlightDifference {
  kind: MessageEventKind;
  a: StageSide;
  b: StageSide;
  /** What a reader should notice, e.g. "redelivered in B, not in A"; empty when nothing stands out. */
  notes: string[];
  differs: boolean;
}

function sideOf(message: LoggedMessageView, kind: MessageEventKind): StageSide {
  const origin = message.events.find((e) => e.kind === "published")?.at ?? message.firstAt;
  const events: MessageEvent[] = message.events.filter((e) => e.kind === kind);
  return { count: events.length, ...(events[0] ? { afterMs: events[0].at - origin } : {}), redelivered: events.some((e) => e.redelivered === true) };
}

/** Whether both histories start at the publish, so step times are times after it (else after the first step recorded). */
export const bothFromPublish = (a: LoggedMessageView, b: LoggedMessageView): boolean => hasPublish(a) && hasPublish(b);

/** Step by step (in a message's life order), each run's count and time, and what differs. */
export function flightDifferences(a: LoggedMessageView, b: LoggedMessageView): FlightDifference[] {
  const kinds = [...new Set([...a.events, ...b.events].map((e) => e.kind))];
  const place = (kind: MessageEventKind) => (lifecycle.includes(kind) ? lifecycle.indexOf(kind) : lifecycle.length);
  kinds.sort((p, q) => place(p) - place(q));
  return kinds.map((kind) => {
    const sa = sideOf(a, kind);
    const sb = sideOf(b, kind);
    const notes: string[] = [];
    if (sa.count === 0) notes.push(`only in B`);
    else if (sb.count === 0) notes.push(`only in A`);
    else if (sa.count !== sb.count) notes.push(`${sa.count}× in A, ${sb.count}× in B`);
    if (sb.redelivered && !sa.redelivered) notes.push("redelivered in B, not in A");
    if (sa.redelivered && !sb.redelivered) notes.push("redelivered in A, not in B");
    return { kind, a: sa, b: sb, notes, differs: notes.length > 0 };
  });
}
