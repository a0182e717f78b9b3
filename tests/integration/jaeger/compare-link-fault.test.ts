// Comparing two real traces of one run, a message before and one after a link fault (200 ms of
// latency on the consumer's link from the third second): the same spans match one to one, nothing
// is only in one trace, and the later trace is longer end to end by about the latency, which the
// comparison puts between the send span and the process span.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareTraces } from "../../../lib/trace/compare-traces";
import { loadConfig } from "../../../server/config";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const jaeger = createJaegerQueryClient({ baseUrl: loadConfig().JAEGER_QUERY_URL });

describe("compare a trace before and after a link fault", { timeout: 120_000 }, () => {
  it("RabbitMQ: the same three spans, longer by the link's latency", async () => {
    const queue = unique("compare-fault");
    const started = await testEngine().start(loadScenario(`
version: 1
name: compare-fault
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, autoDelete: true } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 140 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} } } ]
faults:
  - { at: 3s, latency: inventory-service, ms: 200 }
`), { limitMs: 60_000 });
    const report = await started.done();
    assert.equal(report.ledger.lost, 0);
    const faultAt = report.timeline!.find((e) => e.kind === "fault")!.at;
    const messages = started.messages.recent(2_000).filter((m) => m.traceId);
    const processedAt = (m: (typeof messages)[number]) => m.events.find((e) => e.kind === "processed")?.at;
    const before = messages.find((m) => (processedAt(m) ?? Infinity) < faultAt - 1_000)!.traceId!;
    const after = messages.find((m) => (processedAt(m) ?? 0) > faultAt + 1_000)!.traceId!;
    const complete = async (id: string) => {
      const trace = await jaeger.trace(id);
      return trace && trace.spans.length >= 3 ? trace : undefined;
    };
    const a = await waitFor(() => complete(before), { timeoutMs: 20_000, description: "the trace before the fault in Jaeger" });
    const b = await waitFor(() => complete(after), { timeoutMs: 20_000, description: "the trace after the fault in Jaeger" });

    const comparison = compareTraces(a, b);
    assert.deepEqual(comparison.rows.map((r) => `${r.service} ${r.operation} @${r.depth}`), [
      `order-service send ${queue} @0`, `inventory-service process ${queue} @1`, `inventory-service ack ${queue} @2`,
    ]);
    assert.equal(comparison.onlyA + comparison.onlyB + comparison.structural, 0);
    const rise = comparison.b.duration - comparison.a.duration;
    console.log(`COMPARE before ${comparison.a.duration} µs, after ${comparison.b.duration} µs, rise ${rise} µs`);
    assert.ok(rise > 150_000, `the trace after the fault is longer by about 200 ms: ${comparison.a.duration} → ${comparison.b.duration} µs`);
    const process = comparison.rows[1]!;
    const waitRise = process.b!.offset - process.a!.offset;
    assert.ok(waitRise > 150_000, `the process span starts about 200 ms later after its send: ${process.a!.offset} → ${process.b!.offset} µs`);
  });
});
