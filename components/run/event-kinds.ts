// What each kind of message event means, in a learner's words, and how it is drawn: shared by
// the message log (badges, filter) and the flight recorder (timeline steps).
import type { MessageEvent, MessageEventKind } from "../../lib/run/ipc";

export type EventTone = "send" | "ok" | "info" | "warn" | "bad";

export interface EventKindInfo {
  label: string;
  tone: EventTone;
  /** One sentence: what happened to the message at this step. */
  explain: string;
}

export const eventKinds: Record<MessageEventKind, EventKindInfo> = {
  published: { label: "published", tone: "send", explain: "The producer handed the message to the broker." },
  confirmed: { label: "confirmed", tone: "ok", explain: "The broker took responsibility for it (a publisher confirm, or Kafka's ack): it was routed and stored." },
  returned: { label: "returned", tone: "bad", explain: "Unroutable: no queue was bound for its routing key, so the broker sent it back (mandatory)." },
  "send-failed": { label: "send failed", tone: "bad", explain: "The broker refused the publish or the connection failed before it confirmed." },
  delivered: { label: "delivered", tone: "info", explain: "The broker delivered it to a consumer." },
  processed: { label: "processed", tone: "ok", explain: "The consumer's work on it succeeded." },
  acked: { label: "acked", tone: "ok", explain: "The consumer acknowledged it (Kafka: committed its offset), so the broker forgets it." },
  nacked: { label: "nacked", tone: "warn", explain: "The consumer rejected it: the broker requeues it, dead-letters it or drops it." },
  requeued: { label: "requeued", tone: "warn", explain: "Put back into the queue: it will be delivered again, flagged as redelivered." },
  retried: { label: "retried", tone: "warn", explain: "Processing failed; a copy is scheduled for another attempt after a backoff." },
  "dead-lettered": { label: "dead-lettered", tone: "bad", explain: "Given up on: moved to the dead-letter queue or topic, where it waits for a human." },
  dropped: { label: "dropped", tone: "bad", explain: "Processing failed and the message is gone (dropped, or auto-ack had already removed it)." },
  duplicate: { label: "duplicate", tone: "warn", explain: "This consumer had already processed a message with this id." },
  forwarded: { label: "forwarded", tone: "send", explain: "After processing, the consumer published the next message of the chain." },
  republished: { label: "republished", tone: "warn", explain: "Published again after the connection was lost before the broker confirmed it." },
  "in-dead-letter-queue": { label: "in dead-letter queue", tone: "bad", explain: "Found waiting in a dead-letter queue; the detail shows its x-death history." },
  replied: { label: "replied", tone: "send", explain: "The server published its answer to the request's reply-to queue, quoting its correlation id." },
  "reply-received": { label: "reply received", tone: "ok", explain: "The client matched the reply to its request by correlation id, within the timeout." },
  "timed-out": { label: "timed out", tone: "bad", explain: "No reply came within the request's timeout; the client stopped waiting for it." },
  "late-reply": { label: "late reply", tone: "warn", explain: "The reply came after the client had given up: it is counted and ignored." },
};

export const allEventKinds = Object.keys(eventKinds) as MessageEventKind[];

/** A kind this view does not know yet (an engine newer than the page) still shows, in plain grey. */
export const kindInfo = (kind: MessageEventKind): EventKindInfo => eventKinds[kind] ?? { label: String(kind), tone: "info", explain: "" };

/** "inventory-service#1 · update-stock" (the replica only when it says something). */
export function actorText(event: Pick<MessageEvent, "service" | "replica" | "actor">): string {
  return `${event.service}${event.replica > 0 ? `#${event.replica}` : ""} · ${event.actor}`;
}

/** Local wall-clock time with milliseconds: 14:03:07.215 */
export function clockTime(at: number): string {
  const date = new Date(at);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A duration for people: 850 µs, 12.4 ms, 3.20 s. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export const countText = (value: number) => value.toLocaleString("en-US");
