// The Pub/Sub client library's own spans, renamed to the messaging conventions' model as they end:
// spans started the way the library starts them, through a real SDK tracer with the processor,
// graded by the trace grader.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { TracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { gradeTrace, type GradableSpan } from "../../../lib/trace/grade-trace";
import { createPubsubLibrarySpanProcessor, libraryScope } from "../../../server/brokers/pubsub/library-spans";

let finished: ReadableSpan[] = [];
const collect: SpanProcessor = { onStart() {}, onEnd: (span) => void finished.push(span), forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
const provider = new TracerProvider({ spanProcessors: [createPubsubLibrarySpanProcessor(), collect] });
const library = provider.getTracer(libraryScope);
const kinds = ["internal", "server", "client", "producer", "consumer"];

/** A finished span in Jaeger's shape, as the grader reads it. */
function jaegerShape(span: ReadableSpan): GradableSpan {
  const { traceId, spanId } = span.spanContext();
  const parent = span.parentSpanContext ? [{ refType: "CHILD_OF", traceID: traceId, spanID: span.parentSpanContext.spanId }] : [];
  const links = span.links.map((l) => ({ refType: "FOLLOWS_FROM", traceID: l.context.traceId, spanID: l.context.spanId }));
  const tags = [...Object.entries(span.attributes).map(([key, value]) => ({ key, value })), { key: "span.kind", value: kinds[span.kind] }];
  return { traceID: traceId, spanID: spanId, operationName: span.name, references: [...parent, ...links], tags };
}

describe("the Pub/Sub library's spans in the conventions' model", () => {
  it("renames create, the batch send, subscribe (as receive, CLIENT, linked to its creation) and ack, and they grade clean", () => {
    finished = [];
    const base = { "messaging.system": "gcp_pubsub", "gcp.project_id": "brokerlab", "code.function": "test" };
    // The library names the create span with the full topic path, then updates it to the topic's id.
    const create = library.startSpan("projects/brokerlab/topics/orders create", { kind: SpanKind.PRODUCER, attributes: { ...base, "messaging.destination.name": "orders", "messaging.operation": "create" } });
    create.updateName("orders create");
    const send = library.startSpan("projects/brokerlab/topics/orders send", { kind: SpanKind.PRODUCER, attributes: { ...base, "messaging.destination.name": "orders", "messaging.operation": "create" }, links: [{ context: create.spanContext() }] }, ROOT_CONTEXT);
    send.setAttribute("messaging.batch.message_count", 1);
    const subscribe = library.startSpan("billing subscribe", { kind: SpanKind.CONSUMER, attributes: { ...base, "messaging.destination.name": "billing", "messaging.operation": "receive" } }, trace.setSpan(ROOT_CONTEXT, create));
    const ack = library.startSpan("billing ack", { kind: SpanKind.CLIENT, attributes: { ...base, "messaging.destination.name": "billing", "messaging.operation": "receive" }, links: [{ context: subscribe.spanContext() }] }, ROOT_CONTEXT);
    ack.setAttribute("messaging.batch.message_count", 1);
    subscribe.addLink({ context: ack.spanContext() });
    for (const span of [ack, subscribe, send, create]) span.end();

    const spans = finished;
    const byName = new Map(spans.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ["ack billing", "create orders", "receive billing", "send orders"]);
    const receive = byName.get("receive billing")!;
    assert.equal(receive.kind, SpanKind.CLIENT);
    assert.deepEqual(receive.links.map((l) => l.context.spanId), [create.spanContext().spanId], "one link: the message's creation context");
    assert.equal(byName.get("ack billing")!.attributes["messaging.operation.type"], "settle");
    assert.ok(spans.every((s) => !("messaging.operation" in s.attributes)), "the old messaging.operation is gone");
    for (const span of spans) {
      const grade = gradeTrace({ traceID: span.spanContext().traceId, spans: spans.filter((s) => s.spanContext().traceId === span.spanContext().traceId).map(jaegerShape) });
      assert.ok(grade.clean, `${span.name}: ${grade.issues.map((i) => `${i.rule} on ${i.span}: ${i.detail}`).join("; ")}`);
    }
  });

  it("leaves other scopes' spans and the library's internal spans alone", () => {
    finished = [];
    provider.getTracer("brokerlab-pubsub").startSpan("orders create", { attributes: { "messaging.system": "gcp_pubsub", "messaging.destination.name": "orders" } }).end();
    library.startSpan("subscriber scheduler").end();
    assert.deepEqual(finished.map((s) => s.name), ["orders create", "subscriber scheduler"]);
  });
});
