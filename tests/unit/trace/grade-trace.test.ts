// The trace grader on a conforming trace (send, process, ack; and link mode's two traces) and on
// broken ones: legacy names, a wrong span name and kind, a process span with no link, a failed span
// without error.type, a receive span missing links, a Kafka process span without its group.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gradeSummary, gradeTrace } from "../../../lib/trace/grade-trace";
import type { GradableSpan, GradableTrace } from "../../../lib/trace/grade-trace";

type Ref = GradableSpan["references"][number];
const span = (spanID: string, operationName: string, tags: Record<string, unknown>, references: Ref[] = [], traceID = "t1"): GradableSpan => ({
  traceID, spanID, operationName, references, tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});
const messaging = (system: string, type: string, operation: string, destination: string, kind: string, more: Record<string, unknown> = {}) => ({
  "messaging.system": system, "messaging.operation.type": type, "messaging.operation.name": operation, "messaging.destination.name": destination, "span.kind": kind, ...more,
});
const child = (spanID: string, traceID = "t1"): Ref => ({ refType: "CHILD_OF", traceID, spanID });
const link = (spanID: string, traceID = "t1"): Ref => ({ refType: "FOLLOWS_FROM", traceID, spanID });

const send = span("s1", "send orders:order.created", messaging("rabbitmq", "send", "send", "orders:order.created", "producer", { "messaging.message.id": "m1", "messaging.rabbitmq.destination.routing_key": "order.created" }));
const process = span("s2", "process orders:order.created:order_queue", messaging("rabbitmq", "process", "process", "orders:order.created:order_queue", "consumer", { "messaging.message.id": "m1", "messaging.rabbitmq.destination.routing_key": "order.created" }), [child("s1")]);
const ack = span("s3", "ack orders:order.created:order_queue", messaging("rabbitmq", "settle", "ack", "orders:order.created:order_queue", "client"), [child("s2")]);
const http = span("s0", "GET /orders", { "span.kind": "server" });
const parentTrace: GradableTrace = { traceID: "t1", spans: [http, send, process, ack] };

const rulesBroken = (trace: GradableTrace) => gradeTrace(trace).issues.map((issue) => `${issue.rule} ${issue.spanId}`).sort();

describe("gradeTrace", () => {
  it("grades a parent-mode trace (send, its child process span, an ack under it) clean, and skips non-messaging spans", () => {
    const grade = gradeTrace(parentTrace);
    assert.equal(grade.messagingSpans, 3);
    assert.deepEqual(grade.issues, []);
    assert.ok(grade.checks.length > 20, "each span is checked against several rules");
    assert.ok(grade.checks.some((c) => c.rule === "creation-link" && c.spanId === "s2" && c.ok));
    assert.equal(gradeSummary(grade), "clean");
  });

  it("grades link mode's consumer trace clean when its process span links into the producer's trace", () => {
    const consumer = span("c1", "process orders", messaging("aws_sqs", "process", "process", "orders", "consumer", { "messaging.message.id": "m1" }), [link("p1", "t-producer")], "t2");
    const receive = span("r1", "receive orders", messaging("aws_sqs", "receive", "receive", "orders", "client", { "messaging.batch.message_count": 2 }), [link("p1", "t-producer"), link("p2", "t-other")], "t3");
    assert.deepEqual(rulesBroken({ traceID: "t2", spans: [consumer] }), []);
    assert.deepEqual(rulesBroken({ traceID: "t3", spans: [receive] }), []);
  });

  it("lists what the instrumentations wrote before the model: legacy names, the old span name, no operation type", () => {
    const legacy = span("s2", "order_queue process", {
      "span.kind": "consumer", "messaging.system": "rabbitmq", "messaging.destination_kind": "topic", "messaging.rabbitmq.routing_key": "order_queue", "messaging.operation": "process", "messaging.message.id": "m1",
    }, [child("s1")]);
    const grade = gradeTrace({ traceID: "t1", spans: [send, legacy] });
    assert.deepEqual(grade.issues.map((i) => i.rule).sort(), ["destination", "legacy-attribute", "operation-name", "operation-type"]);
    const names = grade.issues.find((i) => i.rule === "legacy-attribute")!;
    assert.match(names.detail!, /messaging\.rabbitmq\.routing_key \(now messaging\.rabbitmq\.destination\.routing_key\)/);
    assert.equal(names.span, "order_queue process");
    assert.equal(gradeSummary(grade), "4 issues");
  });

  it("catches a wrong name and kind, a process span without a link, a failure without error.type", () => {
    const misnamed = span("s1", "publish orders", messaging("kafka", "send", "send", "orders", "client", { "messaging.message.id": "m1" }));
    const unlinked = span("s2", "process orders", messaging("kafka", "process", "process", "orders", "internal", {
      "messaging.message.id": "m1", "messaging.consumer.group.name": "g", "messaging.destination.partition.id": "0", "messaging.kafka.offset": "4", "otel.status_code": "ERROR",
    }));
    assert.deepEqual(rulesBroken({ traceID: "t1", spans: [misnamed, unlinked] }), ["creation-link s2", "error-type s2", "span-kind s2", "span-name s1"]);
  });

  it("wants Kafka's group and position, every message of a receive linked, and a settle span tied to a message", () => {
    const kafka = span("s2", "process orders", messaging("kafka", "process", "process", "orders", "consumer", { "messaging.message.id": "m1" }), [link("p1", "t0")]);
    const receive = span("s3", "receive orders", messaging("aws_sqs", "receive", "receive", "orders", "client", { "messaging.batch.message_count": 3 }), [link("p1", "t0")]);
    const commit = span("s4", "commit orders", messaging("kafka", "settle", "commit", "orders", "client", { "messaging.consumer.group.name": "g" }));
    assert.deepEqual(rulesBroken({ traceID: "t1", spans: [kafka, receive, commit] }), ["consumer-group s2", "kafka-position s2", "receive-links s3", "settle-target s4"]);
  });

  it("wants a process span tied to a send span, unless its message came from outside Brokerlab", () => {
    const underProcess = span("s5", "process orders", messaging("aws_sqs", "process", "process", "orders", "consumer", { "messaging.message.id": "m1" }), [child("s2")]);
    const external = span("s6", "process orders", messaging("aws_sqs", "process", "process", "orders", "consumer", { "messaging.message.id": "x1", "brokerlab.external": true }));
    assert.deepEqual(rulesBroken({ traceID: "t1", spans: [send, process, underProcess, external] }), ["creation-link s5"]);
  });

  it("holds a process span to one propagation when asked: a child in parent mode, linked in link mode", () => {
    const linked = span("c1", "process orders", messaging("aws_sqs", "process", "process", "orders", "consumer", { "messaging.message.id": "m1" }), [link("p1", "t-producer")], "t2");
    const linkedTrace = { traceID: "t2", spans: [linked] };
    assert.deepEqual(gradeTrace(linkedTrace, { propagation: "link" }).issues, []);
    assert.match(gradeTrace(linkedTrace, { propagation: "parent" }).issues[0]!.detail!, /instead of its child/);
    assert.deepEqual(gradeTrace(parentTrace, { propagation: "parent" }).issues, []);
    assert.deepEqual(gradeTrace(parentTrace, { propagation: "link" }).issues.map((i) => [i.rule, i.spanId, i.detail]), [["creation-link", "s2", "a child of the send span, not linked to it (parent propagation)"]]);
  });

  it("says when a trace holds no messaging span", () => {
    assert.equal(gradeSummary(gradeTrace({ traceID: "t", spans: [http] })), "no messaging spans");
  });
});
