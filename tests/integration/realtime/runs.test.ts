// The run commands over socket.io against the real engine and stack: start, watch frames at
// about 10 Hz, a second viewer sees the same counters, bad input never reaches the engine.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import type { RunFrame, RunReport } from "../../../lib/run/model";
import { createApplication, type Application } from "../../../server/app";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

// The health monitor is not under test here; it reports nothing.
const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };

const engine = testEngine();
let http: Server;
let app: Application;
let base: string;
const clients: Client[] = [];

async function serve(): Promise<string> {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function client(base: string): Client {
  const socket: Client = connect(base, { transports: ["websocket"], forceNew: true });
  clients.push(socket);
  return socket;
}

function call<T>(socket: Client, event: keyof ClientToServerEvents, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

before(async () => {
  base = await serve();
});

after(async () => {
  for (const socket of clients) socket.disconnect();
  await engine.shutdown();
  app?.closeRealtime();
  await new Promise((resolve) => http?.close(resolve));
});

describe("run commands over socket.io", { timeout: 180_000 }, () => {
  it("rejects an invalid scenario with path-named problems and starts nothing", async () => {
    const socket = client(base);
    const before = engine.list().length;
    const response = await call(socket, "run:start", { scenario: "version: 1\nname: bad\nbrokers: {}\nservices: []\n" });
    assert.ok("error" in response);
    assert.equal(response.error.code, "INVALID_INPUT");
    assert.ok(response.error.problems?.some((p) => p.path === "services"), JSON.stringify(response.error.problems));
    assert.equal(engine.list().length, before);
    const wrongShape = await call(socket, "run:start", { scenario: 42 });
    assert.ok("error" in wrongShape && wrongShape.error.code === "INVALID_INPUT");
  });

  it("under a 2,500 messages/s producer, streams aggregated frames (~10 Hz) that two viewers see alike, then a report", async () => {
    const queue = unique("rt-orders");
    const scenario = `
version: 1
name: realtime-check
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: new-orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 2500 }, count: 10000 } ]
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 200 } ]
`;
    const first = client(base);
    const frames: RunFrame[] = [];
    const reports: RunReport[] = [];
    first.on("run:frame", (frame) => frames.push(frame));
    first.on("run:report", (report) => reports.push(report));
    const started = await call<{ runId: string }>(first, "run:start", { scenario });
    assert.ok("data" in started, JSON.stringify(started));
    const { runId } = started.data;

    const second = client(base);
    const subscribed = await call<{ frame: RunFrame }>(second, "run:subscribe", { runId });
    assert.ok("data" in subscribed);
    const seenBySecond: RunFrame[] = [];
    second.on("run:frame", (frame) => seenBySecond.push(frame));

    const report = await waitFor(() => reports[0], { timeoutMs: 60_000, description: "the run's report" });
    assert.equal(report.ledger.confirmed, 10000);
    assert.equal(report.ledger.lost, 0);

    const running = frames.filter((f) => f.status === "running");
    const seconds = (running.at(-1)!.at - running[0]!.at) / 1000;
    const perSecond = (running.length - 1) / seconds;
    assert.ok(perSecond <= 11 && perSecond >= 5, `frames arrive at about 10 Hz, not per message: ${perSecond.toFixed(1)}/s over ${seconds.toFixed(1)} s`);
    const lastFirst = frames.at(-1)!;
    const lastSecond = seenBySecond.at(-1)!;
    assert.deepEqual(lastSecond.ledger, lastFirst.ledger, "both viewers end with the same ledger");
    assert.equal(lastSecond.consumers["inventory-service/update-stock"]!.acked, 10000);
    // One frame per ~100 ms whatever the message rate: far fewer frames than messages. How fast the
    // producer really went is the benchmark's to measure (npm run bench), not a timed test's.
    assert.ok(frames.length * 10 < 10000, `${frames.length} frames for 10,000 messages: aggregated, not one per message`);
    const peak = Math.max(...running.map((f) => f.producers["order-service/new-orders"]?.ratePerSec ?? 0));
    assert.ok(peak > 0, "the frames carry the producer's rate");

    const resync = await call<{ frame: RunFrame }>(client(base), "run:subscribe", { runId });
    assert.ok("data" in resync);
    assert.equal(resync.data.frame.ledger.consumed, 10000, "a client that (re)connects gets the same counters");

    const unknown = await call(first, "run:stop", { runId: "no-such-run" });
    assert.ok("error" in unknown && unknown.error.code === "NOT_FOUND");
  });

  it("manual sends go out up to the producer's count, then are refused with what to do", async () => {
    const queue = unique("rt-manual");
    const scenario = `
version: 1
name: manual-sends
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: shop
    producers: [ { name: by-hand, broker: rabbit, to: { queue: ${queue} }, rate: { manual: true }, count: 5 } ]
  - name: stock
    consumers: [ { name: take, broker: rabbit, from: { queue: ${queue} } } ]
`;
    const socket = client(base);
    const started = await call<{ runId: string }>(socket, "run:start", { scenario });
    assert.ok("data" in started, JSON.stringify(started));
    const { runId } = started.data;
    const run = engine.get(runId)!;
    try {
      const first = await call<{ sent: number }>(socket, "run:send", { runId, service: "shop", producer: "by-hand", count: 3 });
      assert.deepEqual("data" in first && first.data, { sent: 3 });
      await waitFor(() => (run.latestFrame().producers["shop/by-hand"]?.published ?? 0) >= 3, { timeoutMs: 10_000, description: "three manual sends to be published" });
      const rest = await call<{ sent: number }>(socket, "run:send", { runId, service: "shop", producer: "by-hand", count: 10 });
      assert.deepEqual("data" in rest && rest.data, { sent: 2 }, "only what is left of the count goes out");
      await waitFor(() => (run.latestFrame().consumers["stock/take"]?.acked ?? 0) === 5, { timeoutMs: 10_000, description: "all five to be consumed" });
      const refused = await call(socket, "run:send", { runId, service: "shop", producer: "by-hand" });
      assert.ok("error" in refused, JSON.stringify(refused));
      assert.equal(refused.error.code, "CONFLICT");
      assert.match(refused.error.message, /shop\/by-hand has sent its whole count \(5\); raise its count/);
      assert.equal(run.latestFrame().producers["shop/by-hand"]!.published, 5);
      // A run without a duration waits for a manual producer's count, then ends by draining.
      const report = await Promise.race([run.done(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the run did not end once the count was sent and consumed")), 30_000))]);
      assert.equal(report.ledger.consumed, 5);
    } finally {
      if (run.status() === "running") await run.stop("test done");
    }
  });
});
