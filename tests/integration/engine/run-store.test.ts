// The run history on the real stack: a run on RabbitMQ, started through an engine with a recorder,
// is in the store with its scenario (secrets removed), frames and report; the HTTP API lists,
// filters, renames, pins and deletes it, and names the bad field of a bad request.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../../server/config";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createRunsApi } from "../../../server/http/runs-api";
import { createRunRecorder } from "../../../server/runs/recorder";
import { openRunStore } from "../../../server/runs/store";
import { loadScenario, unique } from "../../support/engine";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-run-history-"));
const store = openRunStore(path.join(dir, "runs.sqlite"), { maxBytes: 50_000_000 });
const logged: string[] = [];
const recorder = createRunRecorder(store, (message) => logged.push(message));
const engine = createEngine(engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), { recorder });
const api = createRunsApi({ store, engine, log: (message) => logged.push(message) });
const server = createServer((request, response) => {
  if (!api(request, response, new URL(request.url ?? "/", "http://127.0.0.1"))) response.writeHead(404).end();
});
let base = "";

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route answers its own shape; the asserts read it
  return { status: response.status, body: (await response.json()) as { data?: any; error?: { code: string; message: string } } };
}

describe("the run history on the real stack", { timeout: 120_000 }, () => {
  it("records a RabbitMQ run (scenario, frames, report) and serves it: list, filter, rename, pin, delete", async () => {
    const queue = unique("history");
    const run = await engine.start(loadScenario(`
version: 1
name: history-orders
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: shop
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 100 }, count: 150 } ]
  - name: billing
    consumers: [ { name: bill, broker: rabbit, from: { queue: ${queue} }, ack: manual } ]
`), { limitMs: 60_000, recordAs: { origin: "lesson", lessonId: "01-first-queue", stepId: "run" } });
    const report = await run.done();
    await recorder.settled();
    assert.deepEqual(logged, [], "nothing went wrong while recording");

    const stored = store.get(run.id)!;
    assert.ok(stored, "the run is in the store");
    assert.equal(stored.status, "finished");
    assert.equal(stored.origin, "lesson");
    assert.deepEqual(stored.brokers, ["rabbitmq"]);
    assert.equal(stored.report?.ledger.consumed, report.ledger.consumed);
    assert.equal(stored.report?.ledger.consumed, 150);
    assert.match(stored.scenarioText, new RegExp(`name: ${queue}`));
    const frames = store.frames(run.id);
    assert.ok(frames.length >= 10, `frames recorded: ${frames.length}`);
    assert.equal(frames.at(-1)!.ledger.consumed, 150, "the last frame has the final ledger");
    // Each frame carries the newest message events within its budget (server/engine/frame.ts), so
    // which kinds a recording holds depends on timing; that it holds this run's events does not.
    const recordedEvents = frames.flatMap((f) => f.tail);
    assert.ok(recordedEvents.length > 0, "the frames carry the sampled message events");
    assert.ok(recordedEvents.every((e) => e.id.startsWith("shop/orders/")), `only this run's messages: ${[...new Set(recordedEvents.map((e) => e.id))].slice(0, 5).join(", ")}`);

    const list = await call("GET", "/api/runs?lesson=01-first-queue&broker=rabbitmq&outcome=clean");
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.runs.map((r: { runId: string }) => r.runId), [run.id]);
    assert.equal((await call("GET", "/api/runs?broker=kafka")).body.data.runs.length, 0);
    const bad = await call("GET", "/api/runs?outcome=broken");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!.message, /outcome/);
    assert.match((await call("GET", "/api/runs?colour=red")).body.error!.message, /colour|Unrecognized/i);

    const renamed = await call("PATCH", `/api/runs/${run.id}`, { title: "before the kill", pinned: true });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.data.title, "before the kill");
    assert.equal(renamed.body.data.pinned, true);
    const empty = await call("PATCH", `/api/runs/${run.id}`, { title: "" });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error!.message, /title/);
    assert.equal((await call("GET", `/api/runs/${run.id}/frames`)).body.data.length, frames.length);

    assert.equal((await call("DELETE", `/api/runs/${run.id}`)).status, 200);
    const gone = await call("GET", `/api/runs/${run.id}`);
    assert.equal(gone.status, 404);
    assert.match(gone.body.error!.message, /GET \/api\/runs lists them/);
  });
});
