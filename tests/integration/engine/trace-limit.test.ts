// The trace limit on the real stack: a burst far above it is traced up to the limit, the rest is
// counted as untraced (frames and report), every message is still delivered and in the ledger,
// and Jaeger holds exactly the traced messages, each whole (PRODUCER and CONSUMER span).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { loadScenario, unique } from "../../support/engine";
import { fetchTrace, searchTraces } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

describe("trace limit", { timeout: 120_000 }, () => {
  it("traces at most the limit, counts the rest, and Jaeger holds whole traces of exactly the traced messages", async () => {
    const context = { ...engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), tracing: true, traceLimit: 20 };
    const queue = unique("trace-limit");
    const run = await createEngine(context).start(loadScenario(`
version: 1
name: trace-limit
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: limit-producer
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { burst: 600 } } ]
  - name: limit-consumer
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 50 } ]
`), { limitMs: 60_000 });
    let sawUntraced = false;
    run.events.on("frame", (frame) => { if ((frame.tracing?.untraced ?? 0) > 0) sawUntraced = true; });
    const report = await run.done();
    assert.equal(report.status, "finished");
    assert.deepEqual(report.ledger, { confirmed: 600, consumed: 600, lost: 0, duplicated: 0, recovered: 0 });
    const sampling = report.traces.sampling;
    assert.ok(sampling, "the report says how many messages were traced");
    assert.equal(sampling.limitPerSecond, 20);
    assert.equal(sampling.traced + sampling.untraced, 600, `every message decided once: ${JSON.stringify(sampling)}`);
    assert.ok(sampling.traced >= 20 && sampling.traced < 200, `about the limit per second traced: ${sampling.traced}`);
    assert.ok(sawUntraced, "the live frames showed untraced messages during the run");

    // Jaeger: one trace per traced message, each with its send, process and ack spans; untraced messages have none.
    const tags = { "brokerlab.run.id": report.runId };
    await waitFor(async () => (await searchTraces("limit-producer", tags)).length === sampling.traced, { timeoutMs: 30_000, description: `${sampling.traced} traces in Jaeger` });
    const ids = await searchTraces("limit-producer", tags);
    for (const id of ids.slice(0, 5)) {
      const spans = await fetchTrace(id);
      assert.deepEqual(spans?.map((s) => `${s.service}:${s.kind}`).sort(), ["limit-consumer:client", "limit-consumer:consumer", "limit-producer:producer"]);
    }
    // The sampled trace ids the report offers are all real traces.
    for (const id of report.traces.sample) assert.ok(ids.includes(id), `sample trace ${id} is one of the run's traces`);
  });
});
