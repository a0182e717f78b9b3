// Checks over the run's message log: did a consumer see messages in the order they were sent, did
// it work again after a pause, and did every Kafka key stay on one partition. Message ids end in
// the producer's sequence number;
// "per key" means per Kafka key, or per RabbitMQ routing key.
import type { MessageEvent } from "../run/ipc";
import type { CheckOf } from "./checks";
import type { RunView } from "./snapshot";
import type { Verdict } from "./verdict";

const sequenceOf = (id: string) => {
  const slash = id.lastIndexOf("/");
  const seq = Number(id.slice(slash + 1));
  return Number.isInteger(seq) && slash > 0 ? { stream: id.slice(0, slash), seq } : undefined;
};

const eventsOf = (run: RunView, consumer: string, kind: MessageEvent["kind"]) =>
  run.events.filter((e) => e.kind === kind && `${e.service}/${e.actor}` === consumer).sort((a, b) => a.at - b.at);

/**
 * A message's key: its Kafka key, or on RabbitMQ the routing key it was first delivered with. A
 * retried copy keeps the id but comes back through a retry queue with that queue's routing key.
 */
function keysById(run: RunView, consumer: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const e of eventsOf(run, consumer, "delivered")) {
    const key = e.key ?? e.routingKey;
    if (key !== undefined && !keys.has(e.id)) keys.set(e.id, key);
  }
  return keys;
}

function deliveryOrder(check: CheckOf<"deliveryOrder">, run: RunView): Verdict {
  const event = check.event ?? "processed";
  const minimum = check.minMessages ?? 10;
  const events = eventsOf(run, check.consumer, event);
  const keys = check.per === "key" ? keysById(run, check.consumer) : undefined;
  const highest = new Map<string, number>();
  let seen = 0;
  let late = 0;
  const examples: string[] = [];
  for (const e of events) {
    const at = sequenceOf(e.id);
    if (!at) continue;
    seen += 1;
    const stream = keys ? `${at.stream}#${keys.get(e.id) ?? e.key ?? ""}` : at.stream;
    const before = highest.get(stream);
    if (before !== undefined && at.seq < before) {
      late += 1;
      if (examples.length < 2) examples.push(`#${at.seq} after #${before}`);
    } else highest.set(stream, at.seq);
  }
  const scope = check.per === "key" ? " within a key" : "";
  if (seen < minimum) return { state: seen > 0 ? "partial" : "fail", detail: `${seen} message(s) ${event} by ${check.consumer} so far; needs ${minimum} to judge the order` };
  const summary = late === 0 ? `all ${seen} messages ${event} by ${check.consumer} came in send order${scope}` : `${late} of ${seen} messages ${event} by ${check.consumer} came after a later one${scope} (${examples.join(", ")})`;
  const ok = check.expect === "ordered" ? late === 0 : late > 0;
  return { state: ok ? "pass" : "fail", detail: ok ? summary : `${summary}; this step expects them ${check.expect === "ordered" ? "in order" : "out of order"}` };
}

function partitionByKey(check: CheckOf<"partitionByKey">, run: RunView): Verdict {
  const partitions = new Map<string, Set<number>>();
  for (const e of eventsOf(run, check.consumer, "delivered")) {
    if (e.key === undefined || e.partition === undefined) continue;
    const set = partitions.get(e.key) ?? new Set<number>();
    set.add(e.partition);
    partitions.set(e.key, set);
  }
  const minimum = check.minKeys ?? 2;
  const split = [...partitions].filter(([, set]) => set.size > 1);
  if (split.length > 0) return { state: "fail", detail: `key ${split[0]![0]} arrived on partitions ${[...split[0]![1]].join(" and ")}` };
  if (partitions.size < minimum) return { state: partitions.size > 0 ? "partial" : "fail", detail: `${partitions.size} key(s) seen by ${check.consumer}; needs ${minimum}` };
  const byPartition = new Map<number, number>();
  for (const set of partitions.values()) for (const p of set) byPartition.set(p, (byPartition.get(p) ?? 0) + 1);
  const spread = [...byPartition].sort((a, b) => a[0] - b[0]).map(([p, n]) => `partition ${p}: ${n} key(s)`).join(", ");
  return { state: "pass", detail: `${partitions.size} keys, each always on the same partition (${spread})` };
}

/** Acks, then none for gapSeconds or longer, then at least atLeast acks: work resumed after an outage. */
function resumedAfterGap(check: CheckOf<"resumedAfterGap">, run: RunView): Verdict {
  const acks = eventsOf(run, check.consumer, "acked").map((e) => e.at);
  const gapMs = check.gapSeconds * 1000;
  const atLeast = check.atLeast ?? 1;
  const gapAt = acks.findIndex((at, i) => i > 0 && at - acks[i - 1]! >= gapMs);
  if (acks.length === 0) return { state: "fail", detail: `${check.consumer} has acknowledged nothing yet` };
  if (gapAt < 0) {
    const longest = acks.reduce((max, at, i) => (i > 0 ? Math.max(max, at - acks[i - 1]!) : max), 0);
    return { state: "fail", detail: `${acks.length} ack(s) by ${check.consumer}, never ${check.gapSeconds} s apart (longest pause ${(longest / 1000).toFixed(1)} s): no outage yet` };
  }
  const pause = ((acks[gapAt]! - acks[gapAt - 1]!) / 1000).toFixed(1);
  const after = acks.length - gapAt;
  const summary = `${check.consumer} stopped acknowledging for ${pause} s, then acknowledged ${after} message(s)`;
  return after >= atLeast ? { state: "pass", detail: summary } : { state: "partial", detail: `${summary}; needs ${atLeast}` };
}

export function evaluateEvents(check: CheckOf<"deliveryOrder"> | CheckOf<"partitionByKey"> | CheckOf<"resumedAfterGap">, run: RunView): Verdict {
  if (check.kind === "resumedAfterGap") return resumedAfterGap(check, run);
  return check.kind === "deliveryOrder" ? deliveryOrder(check, run) : partitionByKey(check, run);
}
