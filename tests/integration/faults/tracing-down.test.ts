// Tracing never blocks messaging: with the run's OTLP endpoint on a closed port (what a stopped
// Jaeger looks like to a service), messages flow at full speed, nothing is lost, and the
// dropped-span counter rises in the frames and the report.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { loadScenario, unique } from "../../support/engine";
import { printLedger } from "./support";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("Jaeger unreachable", { timeout: 120_000 }, () => {
  it("messages still flow, nothing is lost, droppedSpans rises, nothing blocks", async () => {
    const context = { ...engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), otlpEndpoint: `http://127.0.0.1:${await closedPort()}` };
    const queue = unique("faults-no-jaeger");
    const run = await createEngine(context).start(loadScenario(`
version: 1
name: tracing-down
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 200 }, count: 1000 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 50 } ]
`), { limitMs: 60_000 });
    const dropped: number[] = [];
    run.events.on("frame", (frame) => dropped.push(frame.droppedSpans));
    const report = await run.done();
    printLedger("tracing endpoint unreachable", report, { droppedSpans: report.traces.droppedSpans, seconds: Math.round(report.durationMs / 100) / 10 });
    assert.equal(report.status, "finished");
    assert.deepEqual(report.ledger, { confirmed: 1000, consumed: 1000, lost: 0, duplicated: 0, recovered: 0 });
    // Not a speed test (the benchmark measures tracing's cost): an export that held the data path
    // would hold it up to the exporter's 3 s timeout, batch after batch, and the delays would add
    // up past these bounds, which leave room for a machine busy with other tests.
    assert.ok(report.durationMs < 30_000, `1000 messages at 200/s took ${report.durationMs} ms: the exporter did not hold anything up`);
    assert.ok(report.latencyMs.p99 < 5_000, `no message waited for an export (end-to-end p99 ${report.latencyMs.p99} ms)`);
    assert.ok(report.traces.droppedSpans >= 1000, `every span was dropped and counted (${report.traces.droppedSpans})`);
    const rising = dropped.filter((n, i) => i > 0 && n > dropped[i - 1]!).length;
    // Failed exports are counted batch by batch, after the exporter gives up on each: steps, not a ramp.
    assert.ok(rising >= 1, `droppedSpans rose during the run, frame by frame: ${dropped.filter((_, i) => i % 10 === 0).join(", ")}`);
  });
});
