// Every kind of fault on one running run, over the socket API (run:fault), the way the lab's
// controls send them: each shows in frame.activeFaults while active and on the timeline, ends on
// request or by itself, and the clients heal on their own. At the end nothing confirmed is lost.
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
import { printLedger, spanEvents } from "./support";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const engine = testEngine();
let http: Server;
let app: Application;
let socket: Client;
let frame: RunFrame | undefined;
let report: RunReport | undefined;

function call<T>(event: string, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

async function fault(runId: string, request: Record<string, unknown>): Promise<{ affected: number; faultId?: string }> {
  const response = await call<{ affected: number; faultId?: string }>("run:fault", { runId, ...request });
  assert.ok("data" in response, `${JSON.stringify(request)} → ${JSON.stringify(response)}`);
  return response.data;
}

const until = <T>(check: () => T | undefined | false, description: string, timeoutMs = 30_000) => waitFor(check, { timeoutMs, intervalMs: 50, description });
const state = (service: string, broker: string) => frame?.services[service]?.[0]?.connections[broker];
const timelineHas = (kind: string, target: string, detail: RegExp, since: number) =>
  (frame?.timeline ?? []).some((e) => e.at >= since && e.kind === kind && e.target === target && detail.test(e.detail));

before(async () => {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"], forceNew: true });
  // Like the browser: a frame carries the timeline only when it changed; keep the last one seen.
  socket.on("run:frame", (f) => (frame = f.timeline || !frame?.timeline ? f : { ...f, timeline: frame.timeline }));
  socket.on("run:report", (r) => (report = r));
});

after(async () => {
  socket.disconnect();
  await engine.shutdown();
  app.closeRealtime();
  await new Promise((resolve) => http.close(resolve));
});

describe("faults over the socket on a running run", { timeout: 240_000 }, () => {
  it("latency, bandwidth, close, reset, cut, drop, slow, pause, restart, kill: shown, ended, healed, nothing lost", async () => {
    const queue = unique("faults-socket");
    const started = await call<{ runId: string }>("run:start", { scenario: `
version: 1
name: socket-faults
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 60 }, count: 2400 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} }, prefetch: 20, work: { ms: 5 } } ]
` });
    assert.ok("data" in started, JSON.stringify(started));
    const { runId } = started.data;
    await until(() => state("inventory-service", "rabbit") === "connected" && state("order-service", "rabbit") === "connected", "both services connected");

    // Latency on the consumer's link: active until ended on request.
    const latency = await fault(runId, { action: "latency", service: "inventory-service", ms: 100, jitterMs: 20 });
    assert.ok(latency.faultId);
    const latencyOn = await until(() => frame?.activeFaults?.find((f) => f.id === latency.faultId && f.target === "inventory-service↔rabbit"), "latency listed in frame.activeFaults");
    const slowed = await until(() => engine.get(runId)!.messages.recent(300).find((m) => m.traceId && m.events.some((e) => e.kind === "processed" && e.at > latencyOn.since + 500)), "a message processed while the latency is on");
    await fault(runId, { action: "end", faultId: latency.faultId });
    await until(() => !frame?.activeFaults?.some((f) => f.id === latency.faultId), "latency gone once ended");

    // A bandwidth cap that ends by itself.
    const capped = await fault(runId, { action: "bandwidth", service: "order-service", bytesPerSecond: 4_000, forMs: 1_500 });
    await until(() => (frame?.timeline ?? []).some((e) => e.kind === "fault-ended" && e.detail.includes("its time is up") && e.detail.startsWith("bandwidth")), "the cap ended after 1.5 s");
    assert.ok(!frame?.activeFaults?.some((f) => f.id === capped.faultId));

    // The broker closes the consumer's connection; the client reconnects and re-subscribes by itself.
    let since = Date.now();
    const closed = await fault(runId, { action: "closeConnection", service: "inventory-service" });
    assert.equal(closed.affected, 1, "one connection (replica 0) was closed by RabbitMQ");
    await until(() => timelineHas("connection", "inventory-service[0]↔rabbit", /^reconnecting/, since), "the consumer noticed");
    await until(() => state("inventory-service", "rabbit") === "connected", "and reconnected");

    // A reset, then a 2 s cut of the producer's link, then 2 s of silently dropped bytes.
    since = Date.now();
    assert.ok((await fault(runId, { action: "reset", service: "order-service" })).affected >= 1);
    await until(() => timelineHas("connection", "order-service[0]↔rabbit", /^reconnecting/, since), "the reset producer reconnects");
    await until(() => state("order-service", "rabbit") === "connected", "producer back after reset");
    since = Date.now();
    await fault(runId, { action: "cut", service: "inventory-service", forMs: 2_000 });
    await until(() => timelineHas("connection", "inventory-service[0]↔rabbit", /^reconnecting/, since), "the cut is noticed");
    await until(() => timelineHas("connection", "inventory-service[0]↔rabbit", /^connected/, since), "the consumer is back after the cut", 40_000);
    since = Date.now();
    await fault(runId, { action: "drop", service: "order-service", forMs: 2_000 });
    await until(() => timelineHas("connection", "order-service[0]↔rabbit", /^reconnecting/, since), "connections that lost bytes are reset when the drop ends");
    await until(() => state("order-service", "rabbit") === "connected", "producer back after the drop", 40_000);

    // Slow, pause, restart, kill and start again.
    const slow = await fault(runId, { action: "slow", service: "inventory-service", ms: 30 });
    await fault(runId, { action: "end", faultId: slow.faultId });
    const paused = await fault(runId, { action: "pause", service: "inventory-service" });
    await until(() => frame?.services["inventory-service"]?.[0]?.state === "paused", "replica shown paused");
    await fault(runId, { action: "resume", service: "inventory-service" });
    await until(() => frame?.services["inventory-service"]?.[0]?.state === "running" && !frame.activeFaults?.some((f) => f.id === paused.faultId), "resumed; the pause ended");
    await fault(runId, { action: "restart", service: "order-service" });
    await until(() => frame?.services["order-service"]?.[0]?.restarts === 1 && state("order-service", "rabbit") === "connected", "restarted and connected again");
    const killed = await fault(runId, { action: "kill", service: "inventory-service", replica: 0 });
    await until(() => frame?.services["inventory-service"]?.[0]?.state === "killed", "replica shown killed");
    await fault(runId, { action: "end", faultId: killed.faultId });
    await until(() => frame?.services["inventory-service"]?.[0]?.state === "running", "started again by ending the kill");

    const final = await until(() => report, "the run drains and reports", 120_000);
    const republished = Object.values(frame?.producers ?? {}).reduce((n, p) => n + (p.republished ?? 0), 0);
    printLedger("socket faults: latency, bandwidth, close, reset, cut, drop, slow, pause, restart, kill", final, { republished, faults: final.timeline?.filter((e) => e.kind === "fault").length });
    assert.equal(final.status, "finished");
    assert.equal(final.ledger.lost, 0, "every confirmed message was consumed");
    assert.equal(final.ledger.consumed, final.ledger.confirmed);
    assert.ok(!final.timeline?.some((e) => e.kind === "replica" && /crashed/.test(e.detail)), `no process crashed: ${JSON.stringify(final.errors)}`);

    const spans = await waitFor(async () => {
      const found = await spanEvents(slowed.traceId!);
      return found?.some((span) => span.kind === "consumer") ? found : undefined;
    }, { timeoutMs: 20_000, description: `trace ${slowed.traceId} in Jaeger` });
    const marked = spans.find((span) => span.kind === "consumer")!.events.find((e) => e.event === "brokerlab.fault");
    assert.equal(marked?.["brokerlab.fault.action"], "latency", "the CONSUMER span carries the fault that touched it");
    assert.equal(marked?.["brokerlab.fault.id"], latency.faultId);
  });
});
