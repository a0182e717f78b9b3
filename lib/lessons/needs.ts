// What a check needs read before it can be decided, so the server asks the brokers and Jaeger
// only for that: extra queues, dead-letter queues to peek into, trace searches, per-replica counts.
import type { Check, CheckOf } from "./checks";

export interface TraceNeed {
  key: string;
  service: string;
  /** Span tags Jaeger should match besides the run id (as strings, the way its search takes them). */
  tags: Record<string, string>;
}

export interface CheckNeeds {
  queues: string[];
  deadLetters: string[];
  traces: TraceNeed[];
  replicas: boolean;
  events: boolean;
  /** The run's notes (runNote checks). */
  notes?: boolean;
  /** Brokers whose connection list to read (brokerConnections checks). */
  connections?: string[];
}

export function traceNeedOf(check: CheckOf<"traceHasSpan"> | CheckOf<"traceCrosses"> | CheckOf<"traceLinked"> | CheckOf<"traceConforms">): TraceNeed {
  if (check.kind === "traceLinked" || check.kind === "traceConforms") return { key: JSON.stringify({ service: check.service, tags: {} }), service: check.service, tags: {} };
  if (check.kind === "traceCrosses") return { key: JSON.stringify({ service: check.services[0] }), service: check.services[0]!, tags: {} };
  const tags = Object.fromEntries(Object.entries(check.attributes ?? {}).map(([k, v]) => [k, String(v)]));
  return { key: JSON.stringify({ service: check.service, tags }), service: check.service, tags };
}

export function checkNeeds(check: Check, skip: (check: Check) => boolean = () => false): CheckNeeds {
  const needs: CheckNeeds = { queues: [], deadLetters: [], traces: [], replicas: false, events: false };
  const add = <T>(list: T[], item: T, same: (a: T) => boolean) => void (list.some(same) || list.push(item));
  const walk = (node: Check) => {
    if (skip(node)) return;
    switch (node.kind) {
      case "all":
      case "any":
        return node.checks.forEach(walk);
      case "queueDepth":
      case "queueConsumers":
        return add(needs.queues, node.queue, (q) => q === node.queue);
      case "xDeath":
        return add(needs.deadLetters, node.queue, (q) => q === node.queue);
      case "traceHasSpan":
      case "traceCrosses":
      case "traceLinked":
      case "traceConforms": {
        const need = traceNeedOf(node);
        return add(needs.traces, need, (t) => t.key === need.key);
      }
      case "replicaMetric":
        needs.replicas = true;
        return;
      case "deliveryOrder":
      case "partitionByKey":
      case "resumedAfterGap":
        needs.events = true;
        return;
      case "runNote":
        needs.notes = true;
        return;
      case "brokerConnections":
        needs.connections ??= [];
        return add(needs.connections, node.broker, (b) => b === node.broker);
      default:
        return;
    }
  };
  walk(check);
  return needs;
}
