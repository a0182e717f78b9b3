// Jaeger's span references become the links a traceLinked check reads: a FOLLOWS_FROM reference
// (link propagation) counts, a CHILD_OF parent does not.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { JaegerTrace } from "../../../server/jaeger/query-client";
import { traceViews } from "../../../server/lessons/snapshot";

const span = (spanID: string, references: JaegerTrace["spans"][number]["references"]): JaegerTrace["spans"][number] => ({
  traceID: "t-consumer", spanID, operationName: "orders process", references, startTime: 0, duration: 1, tags: [{ key: "span.kind", value: "consumer" }], logs: [], processID: "p1",
});

it("a FOLLOWS_FROM reference is a link to the producer's trace; a CHILD_OF parent is not", () => {
  const [view] = traceViews([{
    traceID: "t-consumer",
    processes: { p1: { serviceName: "shipping-service" } },
    spans: [
      span("s1", [{ refType: "FOLLOWS_FROM", traceID: "t-producer", spanID: "p9" }]),
      span("s2", [{ refType: "CHILD_OF", traceID: "t-consumer", spanID: "s1" }]),
    ],
  }]);
  assert.deepEqual(view!.spans.map((s) => [s.service, s.kind, s.links]), [["shipping-service", "consumer", ["t-producer"]], ["shipping-service", "consumer", []]]);
});
