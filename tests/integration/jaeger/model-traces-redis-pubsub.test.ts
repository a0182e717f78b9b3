// Model traces on Redis (a stream read by a consumer group, and a Pub/Sub channel) and on Google
// Pub/Sub (the emulator), in parent and link propagation: a run's sampled traces, read back from
// Jaeger, hold a send span and a process span for the message, and the trace grader finds nothing
// against the messaging conventions, on Pub/Sub with the client library's own spans included (renamed
// by server/brokers/pubsub/library-spans.ts). The Pub/Sub case skips, saying why, only when the
// emulator is not installed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gradeTrace } from "../../../lib/trace/grade-trace";
import { installedEmulatorVersion, installHint } from "../../../server/brokers/pubsub/probe";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import type { JaegerTrace } from "../../../server/jaeger/query-client";
import { loadScenario, runToReport, unique } from "../../support/engine";
import { jaegerQueryUrl } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

const jaeger = createJaegerQueryClient({ baseUrl: jaegerQueryUrl() });
const noEmulator = installedEmulatorVersion() || process.env.PUBSUB_EMULATOR_HOST ? false : `the Pub/Sub emulator is not installed: ${installHint}`;

type Mode = "parent" | "link";

/**
 * The run's sampled traces once Jaeger has both the send and the process span of each, and a span of
 * `scope` when given: a process exports its spans in batches, so the library's spans of a message can
 * reach Jaeger a batch after Brokerlab's.
 */
async function tracesOf(traceIds: string[], link: boolean, scope?: string): Promise<JaegerTrace[]> {
  assert.ok(traceIds.length > 0, "the run sampled traces");
  const ids = traceIds.slice(0, 3);
  let seen = "nothing yet";
  return waitFor(async () => {
    const traces = await Promise.all(ids.map((id) => jaeger.trace(id)));
    seen = traces.map((t, i) => `${ids[i]}: ${t ? t.spans.map((s) => `${s.operationName} (${s.tags.find((tag) => tag.key === "otel.scope.name")?.value ?? "?"})`).join(", ") : "not found"}`).join("; ");
    if (traces.some((t) => !t)) return undefined;
    // Parent mode: send and process in one trace. Link mode: each in its own trace, linked.
    const has = (t: JaegerTrace, op: string) => t.spans.some((s) => s.operationName.startsWith(`${op} `));
    const spansOf = (t: JaegerTrace) => !scope || t.spans.some((s) => s.tags.some((tag) => tag.key === "otel.scope.name" && tag.value === scope));
    const complete = traces.every((t) => (link ? has(t!, "send") || has(t!, "process") : has(t!, "send") && has(t!, "process")) && spansOf(t!));
    return complete ? (traces as JaegerTrace[]) : undefined;
  }, { timeoutMs: 30_000, description: () => `the run's traces in Jaeger, found ${seen}` });
}

/** Every span of each trace graded, whoever started it; `scope`: spans of it must be among them. */
function assertClean(traces: JaegerTrace[], label: string, scope?: string): void {
  for (const trace of traces) {
    if (scope) assert.ok(trace.spans.some((s) => s.tags.some((t) => t.key === "otel.scope.name" && t.value === scope)), `${label}: trace ${trace.traceID} holds spans of ${scope}`);
    const grade = gradeTrace(trace);
    const issues = grade.issues.map((i) => `${i.rule} on ${i.span}: ${i.detail ?? ""}`).join("; ");
    assert.ok(grade.messagingSpans >= 1, `${label}: trace ${trace.traceID} has messaging spans`);
    assert.ok(grade.clean, `${label}: trace ${trace.traceID} grades clean, found: ${issues}`);
  }
}

const redisScenario = (mode: Mode, id: string) => `
version: 1
name: model-traces-redis
tracing: { propagation: ${mode} }
brokers: { cache: { kind: redis } }
resources: { cache: { streams: [ { name: mt-orders-${id} } ], channels: [ { name: mt-events-${id} } ] } }
services:
  - name: shop
    producers:
      - { name: orders, broker: cache, to: { stream: mt-orders-${id} }, rate: { perSecond: 20 }, count: 20 }
  - name: fulfilment
    consumers: [ { name: orders, broker: cache, from: { stream: mt-orders-${id}, group: fulfilment }, ack: manual } ]
`;

const pubsubScenario = (mode: Mode, id: string) => `
version: 1
name: model-traces-pubsub
tracing: { propagation: ${mode} }
brokers: { gcp: { kind: pubsub } }
resources: { gcp: { topics: [ { name: mt-orders-${id} } ], subscriptions: [ { name: mt-billing-${id}, topic: mt-orders-${id} } ] } }
services:
  - name: shop
    producers: [ { name: orders, broker: gcp, to: { pubsubTopic: mt-orders-${id} }, rate: { perSecond: 20 }, count: 20 } ]
  - name: billing
    consumers: [ { name: bill, broker: gcp, from: { subscription: mt-billing-${id} } } ]
`;

describe("model traces on Redis and Google Pub/Sub, graded", { timeout: 300_000 }, () => {
  for (const mode of ["parent", "link"] as const) {
    it(`Redis Streams, ${mode} propagation: send and process spans, clean`, async () => {
      const report = await runToReport(loadScenario(redisScenario(mode, unique("r"))), { limitMs: 60_000 });
      assert.equal(report.ledger.consumed, 20, JSON.stringify(report.ledger));
      assertClean(await tracesOf(report.traces.sample, mode === "link"), `redis ${mode}`);
    });

    it(`Google Pub/Sub, ${mode} propagation: send and process spans, clean`, { skip: noEmulator }, async () => {
      const report = await runToReport(loadScenario(pubsubScenario(mode, unique("p"))), { durationMs: 8_000 });
      assert.ok(report.ledger.consumed >= 15, JSON.stringify(report.ledger));
      const traces = await tracesOf(report.traces.sample, mode === "link", "@google-cloud/pubsub");
      // The library's create and receive spans are in the message's trace, renamed to the model.
      assertClean(traces, `pubsub ${mode}`, "@google-cloud/pubsub");
      const names = traces.flatMap((t) => t.spans.map((s) => s.operationName));
      assert.ok(names.some((n) => /^create mt-orders-/.test(n)), `the library's create span, renamed: ${names.join(", ")}`);
      if (mode === "parent") assert.ok(names.some((n) => /^receive mt-billing-/.test(n)), `the library's receive span, renamed: ${names.join(", ")}`);
    });
  }
});
