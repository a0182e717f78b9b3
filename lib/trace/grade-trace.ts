// The trace grader: given a trace in Jaeger's shape (the app's trace view and the lessons read the
// same), it checks each messaging span against the OpenTelemetry messaging conventions
// (messaging-conventions.ts) and lists what follows them and what does not, with the rule and the
// span. Pure: no I/O, so the browser, the lesson checks and the tests all grade the same way.
import { kindsOfOperation, legacyAttributes, messagingSpanName, operationTypes } from "./messaging-conventions";
import type { OperationType } from "./messaging-conventions";

export interface GradableSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: readonly { refType: string; traceID: string; spanID: string }[];
  tags: readonly { key: string; value: unknown }[];
}

export interface GradableTrace {
  traceID: string;
  spans: readonly GradableSpan[];
}

/** The rules, by id, as a learner reads them. */
export const conventionRules = {
  "operation-type": "messaging.operation.type is one of create, send, receive, process, settle",
  "operation-name": "messaging.operation.name is set",
  "system": "messaging.system is set",
  "destination": "messaging.destination.name is set",
  "span-name": "the span is named {operation} {destination}",
  "span-kind": "the span kind fits the operation (send: PRODUCER, receive and settle: CLIENT, process: CONSUMER)",
  "message-id": "send and process spans of one message carry messaging.message.id",
  "consumer-group": "Kafka consumer spans carry messaging.consumer.group.name",
  "kafka-position": "Kafka process spans carry the partition (messaging.destination.partition.id) and messaging.kafka.offset",
  "routing-key": "RabbitMQ spans of a message with a routing key carry messaging.rabbitmq.destination.routing_key",
  "creation-link": "a process span is the child of its message's send span (parent mode) or links to it (link mode)",
  "receive-links": "a receive span links to every message it received (messaging.batch.message_count links)",
  "settle-target": "a settle span is a child of the process span or links to the message",
  "error-type": "a failed span carries error.type",
  "legacy-attribute": "no attribute names from before the current conventions",
} as const;

export type ConventionRule = keyof typeof conventionRules;
export const conventionRuleIds = Object.keys(conventionRules) as [ConventionRule, ...ConventionRule[]];

export interface ConventionCheck {
  rule: ConventionRule;
  ok: boolean;
  spanId: string;
  /** The span's name, as the trace view shows it. */
  span: string;
  /** What was found when the check failed. */
  detail?: string;
}

/** What else to expect: with `propagation`, a process span must be tied to its send span that way only. */
export interface GradeOptions {
  propagation?: "parent" | "link";
}

export interface TraceGrade {
  /** Spans graded (those with messaging attributes or a PRODUCER/CONSUMER kind). */
  messagingSpans: number;
  checks: ConventionCheck[];
  issues: ConventionCheck[];
  clean: boolean;
}

const tag = (span: GradableSpan, key: string): unknown => span.tags.find((t) => t.key === key)?.value;
const text = (value: unknown): string | undefined => (value === undefined || value === null || value === "" ? undefined : String(value));
const kindOf = (span: GradableSpan) => String(tag(span, "span.kind") ?? "internal").toLowerCase();
const failed = (span: GradableSpan) => tag(span, "error") === true || String(tag(span, "otel.status_code")) === "ERROR";

function isMessaging(span: GradableSpan): boolean {
  const kind = kindOf(span);
  return kind === "producer" || kind === "consumer" || span.tags.some((t) => t.key.startsWith("messaging."));
}

/** The checks of one span; `byId` holds the trace's spans, to see what its references point at. */
function gradeSpan(span: GradableSpan, byId: Map<string, GradableSpan>, options: GradeOptions): ConventionCheck[] {
  const checks: ConventionCheck[] = [];
  const check = (rule: ConventionRule, ok: boolean, detail?: string) => checks.push({ rule, ok, spanId: span.spanID, span: span.operationName, ...(ok || !detail ? {} : { detail }) });
  const type = text(tag(span, "messaging.operation.type"));
  const name = text(tag(span, "messaging.operation.name"));
  const system = text(tag(span, "messaging.system"));
  const destination = text(tag(span, "messaging.destination.name"));
  const kind = kindOf(span);
  const known = type !== undefined && (operationTypes as string[]).includes(type);

  check("operation-type", known, type ? `"${type}" is not an operation type` : "messaging.operation.type is missing");
  check("operation-name", name !== undefined, "messaging.operation.name is missing");
  check("system", system !== undefined, "messaging.system is missing");
  check("destination", destination !== undefined, "messaging.destination.name is missing");
  if (name) check("span-name", span.operationName === messagingSpanName(name, destination), `expected "${messagingSpanName(name, destination)}"`);
  if (known) check("span-kind", kindsOfOperation[type as OperationType].includes(kind as never), `${kind.toUpperCase()} for a ${type} span`);
  // A batch's span (messaging.batch.message_count set: Pub/Sub's publish call) has no one message id.
  const batch = tag(span, "messaging.batch.message_count") !== undefined;
  if ((type === "send" || type === "process") && !batch) check("message-id", text(tag(span, "messaging.message.id")) !== undefined, "messaging.message.id is missing");
  if (system === "kafka" && (type === "process" || type === "receive" || type === "settle")) {
    check("consumer-group", text(tag(span, "messaging.consumer.group.name")) !== undefined, "messaging.consumer.group.name is missing");
  }
  if (system === "kafka" && type === "process") {
    const missing = ["messaging.destination.partition.id", "messaging.kafka.offset"].filter((key) => text(tag(span, key)) === undefined);
    check("kafka-position", missing.length === 0, `${missing.join(" and ")} missing`);
  }
  if (system === "rabbitmq" && (type === "send" || type === "process") && destination?.includes(":")) {
    check("routing-key", text(tag(span, "messaging.rabbitmq.destination.routing_key")) !== undefined, "messaging.rabbitmq.destination.routing_key is missing");
  }

  const links = span.references.filter((r) => r.refType === "FOLLOWS_FROM");
  const parent = span.references.find((r) => r.refType === "CHILD_OF");
  const typeIn = (id: string) => text(tag(byId.get(id)!, "messaging.operation.type"));
  // Jaeger keeps one reference per pair of spans: a parent that is also linked shows as the link alone.
  if (type === "process") {
    const creation = (r: { spanID: string }) => ["send", "create"].includes(typeIn(r.spanID) ?? "");
    // A parent outside the trace cannot be judged here; a message from outside Brokerlab may carry no context.
    const childOfSend = parent !== undefined && (!byId.has(parent.spanID) || creation(parent));
    const linked = links.length > 0 && links.every((r) => !byId.has(r.spanID) || creation(r));
    const external = tag(span, "brokerlab.external") === true;
    if (options.propagation === "link") check("creation-link", external || (linked && !childOfSend), childOfSend ? "a child of the send span, not linked to it (parent propagation)" : "no link to the message's send span");
    else if (options.propagation === "parent") check("creation-link", external || childOfSend, linked ? "linked to the send span instead of its child (link propagation)" : "not a child of the message's send span");
    else check("creation-link", childOfSend || linked || external, links.length > 0 ? "links to a span that is not a send span" : parent && byId.has(parent.spanID) ? "its parent is not a send span" : "neither a child of nor linked to the message's send span");
  }
  if (type === "receive") {
    const count = Number(tag(span, "messaging.batch.message_count") ?? 1);
    check("receive-links", links.length === count, `${links.length} link(s) for ${count} message(s)`);
  }
  if (type === "settle") {
    const ok = links.length > 0 || (parent !== undefined && (!byId.has(parent.spanID) || typeIn(parent.spanID) === "process"));
    check("settle-target", ok, "neither a child of a process span nor linked to a message");
  }
  if (failed(span)) check("error-type", text(tag(span, "error.type")) !== undefined, "failed, without error.type");
  const legacy = span.tags.map((t) => t.key).filter((key) => key in legacyAttributes);
  check("legacy-attribute", legacy.length === 0, legacy.map((key) => `${key}${legacyAttributes[key] ? ` (now ${legacyAttributes[key]})` : ""}`).join(", "));
  return checks;
}

export function gradeTrace(trace: GradableTrace, options: GradeOptions = {}): TraceGrade {
  const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
  const graded = trace.spans.filter(isMessaging);
  const checks = graded.flatMap((span) => gradeSpan(span, byId, options));
  const issues = checks.filter((c) => !c.ok);
  return { messagingSpans: graded.length, checks, issues, clean: issues.length === 0 };
}

/** "clean" or "N issues", for a compact verdict. */
export const gradeSummary = (grade: TraceGrade): string =>
  grade.messagingSpans === 0 ? "no messaging spans" : grade.clean ? "clean" : `${grade.issues.length} issue${grade.issues.length === 1 ? "" : "s"}`;
