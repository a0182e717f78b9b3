// The trace timeline: Jaeger's trace laid out as a tree with links kept apart, drawn with kind
// badges and a details panel; it waits while Jaeger has not received the trace, follows links to
// other traces, and offers the Jaeger UI only when there is one.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { TraceTimeline } from "../../../components/run/trace-timeline";
import { layoutTrace, traceSchema } from "../../../components/run/trace-data";
import type { Trace } from "../../../components/run/trace-data";

const producerTrace = "a".repeat(32);
const consumerTrace = "b".repeat(32);

function span(traceID: string, spanID: string, operationName: string, processID: string, startTime: number, duration: number, kind: string, references: { refType: string; traceID: string; spanID: string }[] = [], extra: { key: string; value: unknown }[] = []) {
  return { traceID, spanID, operationName, processID, startTime, duration, references, tags: [{ key: "span.kind", value: kind }, { key: "messaging.system", value: "rabbitmq" }, ...extra], logs: [] as { timestamp: number; fields: { key: string; value: unknown }[] }[] };
}

const parentChild: Trace = traceSchema.parse({
  traceID: producerTrace,
  spans: [
    { ...span(producerTrace, "c1", "order_queue process", "p2", 1_000_500, 18_000, "consumer", [{ refType: "CHILD_OF", traceID: producerTrace, spanID: "p1" }], [{ key: "brokerlab.redelivered", value: false }]), logs: [{ timestamp: 1_001_000, fields: [{ key: "event", value: "brokerlab.retry" }, { key: "brokerlab.next_attempt", value: 2 }] }] },
    span(producerTrace, "p1", "publish <default>", "p1", 1_000_000, 4_000, "producer"),
  ],
  processes: { p1: { serviceName: "order-service" }, p2: { serviceName: "inventory-service" } },
});

const linked: Trace = traceSchema.parse({
  traceID: consumerTrace,
  spans: [span(consumerTrace, "c9", "order_queue process", "p2", 2_000_000, 9_000, "consumer", [{ refType: "FOLLOWS_FROM", traceID: producerTrace, spanID: "p1" }])],
  processes: { p2: { serviceName: "inventory-service" } },
});

describe("layoutTrace", () => {
  it("puts a child under its parent, offsets on the trace's axis, and colours by service", () => {
    const layout = layoutTrace(parentChild);
    assert.deepEqual(layout.rows.map((r) => [r.span.spanID, r.depth, r.kind, r.offset, r.parentId ?? null]), [["p1", 0, "producer", 0, null], ["c1", 1, "consumer", 500, "p1"]]);
    assert.deepEqual(layout.services, ["order-service", "inventory-service"]);
    assert.equal(layout.total, 18_500);
  });

  it("keeps a link to another trace apart from the parent", () => {
    const [row] = layoutTrace(linked).rows;
    assert.equal(row!.parentId, undefined);
    assert.deepEqual(row!.links, [{ traceId: producerTrace, spanId: "p1", inTrace: false, refType: "FOLLOWS_FROM" }]);
  });
});

describe("TraceTimeline", () => {
  const requests: string[] = [];
  let answers: Record<string, Response[]>;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  beforeEach(() => {
    requests.length = 0;
    answers = {};
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = String(input);
      requests.push(url);
      const id = url.split("/").pop()!;
      const queue = answers[id] ?? [];
      return queue.length > 1 ? queue.shift()! : (queue[0]?.clone() ?? json(404, { error: { code: "NOT_FOUND", message: "no", retriable: false } }));
    }) as typeof fetch;
  });
  afterEach(cleanup);

  it("draws one row per span with kind badges, and shows a span's attributes and events on click", async () => {
    answers[producerTrace] = [json(200, { data: parentChild })];
    render(createElement(TraceTimeline, { traceId: producerTrace }));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 2));
    assert.match(document.body.textContent ?? "", /2 spans from 2 services/);
    assert.deepEqual(Array.from(document.querySelectorAll(".span-kind")).map((b) => b.textContent), ["PRODUCER", "CONSUMER"]);
    fireEvent.click(document.querySelectorAll(".trace__row")[1]!);
    const details = screen.getByTestId("span-details");
    assert.match(details.textContent ?? "", /CONSUMER span in inventory-service/);
    assert.match(details.textContent ?? "", /Parentpublish <default> \(order-service\)/);
    assert.match(details.textContent ?? "", /messaging\.systemrabbitmq/);
    assert.match(details.textContent ?? "", /brokerlab\.retry/);
    assert.match(document.body.textContent ?? "", /The Jaeger UI is not installed here/);
    assert.equal(document.querySelector("a[href*='/trace/']"), null);
  });

  it("waits while Jaeger has not received the trace, then draws it", async () => {
    answers[producerTrace] = [json(404, { error: { code: "NOT_FOUND", message: "not yet", retriable: false } }), json(200, { data: parentChild })];
    render(createElement(TraceTimeline, { traceId: producerTrace }));
    await waitFor(() => assert.match(document.body.textContent ?? "", /Waiting for Jaeger to receive the spans/));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 2), { timeout: 4000 });
  });

  it("marks a link, follows it to the linked trace and back, and links to the Jaeger UI when there is one", async () => {
    answers[consumerTrace] = [json(200, { data: linked })];
    answers[producerTrace] = [json(200, { data: parentChild })];
    render(createElement(TraceTimeline, { traceId: consumerTrace, jaegerUiUrl: "http://jaeger.example:16686/" }));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 1));
    assert.match(document.querySelector(".span-link-badge")?.textContent ?? "", /link to another trace/);
    assert.equal(document.querySelector("a[href]")?.getAttribute("href"), `http://jaeger.example:16686/trace/${consumerTrace}`);
    fireEvent.keyDown(document.querySelector(".trace__row")!, { key: "Enter" });
    fireEvent.click(screen.getByRole("button", { name: /in trace aaaaaaaa…: open it/ }));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 2));
    assert.ok(requests.some((url) => url.endsWith(`/api/traces/${producerTrace}`)));
    fireEvent.click(screen.getByRole("button", { name: /Back to bbbbbbbb/ }));
    await waitFor(() => assert.equal(document.querySelectorAll(".trace__row").length, 1));
  });

  it("says what to do when tracing is unavailable", async () => {
    answers[producerTrace] = [json(503, { error: { code: "TRACING_UNAVAILABLE", message: "Jaeger's query API does not answer.", retriable: true } })];
    render(createElement(TraceTimeline, { traceId: producerTrace }));
    await waitFor(() => assert.match(screen.getByRole("alert").textContent ?? "", /does not answer.*npm run stack:up -- jaeger/));
    assert.ok(screen.getByRole("button", { name: "Try again" }));
  });
});
