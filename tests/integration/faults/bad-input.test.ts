// Bad input over the real socket API: each is rejected with a clear error naming what is wrong,
// no broker is called (the engine's admin adapters count their use), and the server stays up.
// A message with a malformed traceparent is consumed normally and starts a new trace.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import { headerNames } from "../../../lib/run/ipc";
import { createApplication, type Application } from "../../../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { loadScenario, unique } from "../../support/engine";
import { fetchTrace } from "../../support/jaeger-traces";
import { waitFor } from "../../support/wait-for";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };

let brokerCalls = 0;
const config = loadConfig();
const engine = createEngine(engineContextFrom(config, {
  createRabbitAdmin: (options) => { brokerCalls += 1; return createRabbitAdmin(options); },
  createKafkaAdmin: (options) => { brokerCalls += 1; return createKafkaAdmin(options); },
}));
let http: Server;
let app: Application;
let socket: Client;

function call<T>(event: string, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

const valid = (queue = "orders", extra: Record<string, unknown> = {}) => ({
  version: 1,
  name: "bad-input",
  brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
  resources: { rabbit: { queues: [{ name: queue }] }, kafka: { topics: [{ name: "events" }] } },
  services: [{ name: "order-service", producers: [{ name: "orders", broker: "rabbit", to: { queue }, ...extra }] }],
});

/** run:start must fail with INVALID_INPUT, a problem at `path` whose message matches, and no broker call. */
async function rejected(scenario: unknown, path: string, message: RegExp) {
  const calls = brokerCalls;
  const runs = engine.list().length;
  const response = await call("run:start", { scenario });
  assert.ok("error" in response, `rejected: ${JSON.stringify(response).slice(0, 200)}`);
  assert.equal(response.error.code, "INVALID_INPUT");
  const problem = response.error.problems?.find((p) => p.path === path);
  assert.ok(problem, `a problem at ${path}: ${JSON.stringify(response.error.problems)}`);
  assert.match(problem.message, message);
  assert.equal(brokerCalls, calls, "no broker was called");
  assert.equal(engine.list().length, runs, "no run was created");
  console.log(`rejected ${path}: ${problem.message.slice(0, 120)}`);
}

before(async () => {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"], forceNew: true });
});

after(async () => {
  socket.disconnect();
  await engine.shutdown();
  app.closeRealtime();
  await new Promise((resolve) => http.close(resolve));
});

describe("bad input is refused before any broker sees it", { timeout: 120_000 }, () => {
  it("broker-illegal names: over 255 bytes, amq. prefix, a 300-character topic", async () => {
    await rejected(valid("q".repeat(256)), "services[0].producers[0].to.queue", /at most 255 bytes/);
    await rejected(valid("amq.orders"), "services[0].producers[0].to.queue", /must not start with "amq\."/);
    const declared = { ...valid(), services: [{ name: "order-service" }], resources: { rabbit: { queues: [{ name: "amq.gen-1" }] } } };
    await rejected(declared, "resources.rabbit.queues[0].name", /must not start with "amq\."/);
    const topic = { ...valid(), resources: { kafka: { topics: [{ name: "t".repeat(300) }] } } };
    await rejected(topic, "resources.kafka.topics[0].name", /at most 249 characters/);
  });

  it("a payload over the configured limit (scenario and manual send)", async () => {
    await rejected(valid("orders", { payload: { blob: "x".repeat(300_000) } }), "services[0].producers[0].payload", /a payload may be at most 262144 bytes/);
    const send = await call("run:send", { runId: "any-run", service: "order-service", producer: "orders", payload: { blob: "x".repeat(300_000) } });
    assert.ok("error" in send && send.error.code === "INVALID_INPUT" && /at most 262144 bytes/.test(send.error.message), JSON.stringify(send).slice(0, 300));
  });

  it("NaN, negative and absurd rates; 10,000 producers", async () => {
    await rejected(`version: 1\nname: nan\nbrokers: { rabbit: { kind: rabbitmq } }\nresources: { rabbit: { queues: [ { name: q } ] } }\nservices:\n  - name: s\n    producers: [ { name: p, broker: rabbit, to: { queue: q }, rate: { perSecond: .nan } } ]\n`, "services[0].producers[0].rate.perSecond", /received NaN/);
    await rejected(valid("orders", { rate: { perSecond: -5 } }), "services[0].producers[0].rate.perSecond", /greater than 0/);
    await rejected(valid("orders", { rate: { perSecond: 1e9 } }), "services[0].producers[0].rate.perSecond", /at most 100000/);
    const many = valid();
    many.services[0]!.producers = Array.from({ length: 10_000 }, (_, i) => ({ name: `p${i}`, broker: "rabbit", to: { queue: "orders" } }));
    await rejected(many, "services[0].producers", /at most 50 producers/);
  });

  it("__proto__ keys, in a scenario and in a manual payload", async () => {
    const polluted = JSON.parse(JSON.stringify(valid()).replace('"to":', '"headers":{"__proto__":{"polluted":true}},"to":')) as unknown;
    await rejected(polluted, "services[0].producers[0].headers.__proto__", /not allowed as a key/);
    const text = `version: 1\nname: proto\nbrokers: { rabbit: { kind: rabbitmq } }\n__proto__: { polluted: true }\nservices: [ { name: s } ]\n`;
    await rejected(text, "__proto__", /not allowed as a key/);
    const send = await call("run:send", { runId: "any-run", service: "s", producer: "p", payload: JSON.parse('{"__proto__": {"admin": true}}') });
    assert.ok("error" in send && send.error.code === "INVALID_INPUT" && /not allowed as a key/.test(send.error.message), JSON.stringify(send));
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype was touched");
  });

  it("an unknown socket event and a malformed fault get clear errors; the server is still up", async () => {
    const unknown = await call("run:explode", { runId: "x" });
    assert.ok("error" in unknown && unknown.error.code === "INVALID_INPUT" && /Unknown event "run:explode"/.test(unknown.error.message), JSON.stringify(unknown));
    const fault = await call("run:fault", { runId: "any-run", action: "explode", service: "s" });
    assert.ok("error" in fault && fault.error.code === "INVALID_INPUT", JSON.stringify(fault));
    const latency = await call("run:fault", { runId: "any-run", action: "latency", service: "s", ms: -1 });
    assert.ok("error" in latency && latency.error.problems?.some((p) => p.path === "ms"), JSON.stringify(latency));
    const list = await call<unknown[]>("run:list", {});
    assert.ok("data" in list, "the server still answers");
  });

  it("a malformed traceparent on an incoming message: consumed normally, in a new trace", async () => {
    const queue = unique("faults-traceparent");
    const run = await engine.start(loadScenario(`
version: 1
name: traceparent
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${queue} } } ]
`), { durationMs: 6_000 });
    const admin = createRabbitAdmin({ url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL });
    const id = "outside/garbled/1";
    try {
      const confirmed = await admin.publish(queue, [{ messageId: id, body: Buffer.from("{}"), headers: { traceparent: "00-zzzz-not-a-trace-01", [headerNames.id]: id, [headerNames.runId]: run.id, [headerNames.attempt]: 1 } }]);
      assert.deepEqual(confirmed, [id]);
    } finally {
      await admin.close();
    }
    const report = await run.done();
    assert.equal(report.consumers["inventory-service/stock"]!.acked, 1, "the message was processed and acked");
    assert.equal(report.ledger.consumed, 1);
    assert.ok(!report.timeline?.some((e) => e.kind === "replica" && /crashed/.test(e.detail)), "the consumer did not crash");
    const traceId = run.messages.get(id)?.traceId;
    assert.match(traceId ?? "", /^[\da-f]{32}$/, "the CONSUMER span got a trace id of its own");
    const spans = await waitFor(() => fetchTrace(traceId!), { timeoutMs: 20_000, description: "the new trace in Jaeger" });
    const consumer = spans.find((s) => s.kind === "consumer");
    assert.ok(consumer, "the trace holds the CONSUMER span");
    assert.equal(consumer.references.filter((r) => r.refType === "CHILD_OF").length, 0, "it has no parent: a new trace");
  });
});
