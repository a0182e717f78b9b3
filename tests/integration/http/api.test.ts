// The HTTP API on a real server (port 0) against the real stack: examples from disk, a trace of a
// real run read back from Jaeger, scenario validation, Prometheus metrics, and the token check.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createApplication } from "../../../server/app";
import type { Application } from "../../../server/app";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import type { JaegerQueryClient } from "../../../server/jaeger/query-client";
import { loadConfig } from "../../../server/config";
import type { Engine } from "../../../server/engine/engine";
import type { StackStatus } from "../../../lib/stack";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const servers: { http: Server; app: Application }[] = [];

const monitor: HealthMonitor = {
  start() {},
  async stop() {},
  async refresh() {
    return undefined as unknown as StackStatus;
  },
  current: () => undefined,
  onChange: () => () => {},
};

async function start(options: { token?: string; jaeger?: JaegerQueryClient; engine?: Engine } = {}): Promise<string> {
  const http = createServer();
  const app = createApplication(http, {
    monitor,
    engine: options.engine,
    jaeger: options.jaeger ?? createJaegerQueryClient({ baseUrl: config.JAEGER_QUERY_URL }),
    auth: createTokenAuth(options.token),
    handleNext: async (_request, response) => void response.end("page"),
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  servers.push({ http, app });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

after(async () => {
  for (const { http, app } of servers) {
    app.closeRealtime();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read into the JSON they assert on
type Json = any;
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json });

describe("GET /api/examples", () => {
  it("lists every example with its id, name, description and text", async () => {
    const base = await start();
    const { status, body } = await json(await fetch(`${base}/api/examples`));
    assert.equal(status, 200);
    const ids = body.data.map((example: { id: string }) => example.id);
    assert.ok(ids.includes("order-inventory") && ids.includes("kafka-partitions"), ids.join(", "));
    const first = body.data.find((example: { id: string }) => example.id === "order-inventory");
    assert.equal(first.name, "order-inventory");
    assert.match(first.description, /order service queues every new order/);
    assert.match(first.text, /^# order-inventory/);
  });
});

describe("GET /api/traces/:id", () => {
  let base: string;
  let traceId: string;
  before(async () => {
    base = await start();
    const queue = unique("http-traces");
    const scenario = loadScenario(`
version: 1
name: ${unique("http-trace")}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, autoDelete: true } ] } }
services:
  - name: order-service
    producers: [ { name: new-orders, broker: rabbit, to: { queue: ${queue} }, rate: { burst: 3 } } ]
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} } } ]
`);
    const run = await testEngine().start(scenario, { limitMs: 60_000 });
    const report = await run.done();
    traceId = report.traces.sample[0] ?? "";
    assert.match(traceId, /^[0-9a-f]{32}$/, "the run reports a sample trace id");
  });

  it("answers the trace with spans from both services once Jaeger has it", async () => {
    const trace = await waitFor(
      async () => {
        const { status, body } = await json(await fetch(`${base}/api/traces/${traceId}`));
        const services = status === 200 ? new Set(body.data.spans.map((s: { processID: string }) => body.data.processes[s.processID].serviceName)) : new Set();
        return services.has("order-service") && services.has("inventory-service") ? body.data : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: "the trace with both services through /api/traces" },
    );
    assert.equal(trace.traceID, traceId);
    const consumer = trace.spans.find((s: { references: { refType: string }[] }) => s.references.some((r) => r.refType === "CHILD_OF"));
    assert.ok(consumer, "the consumer span is a child of the producer span");
  });

  it("answers 404 NOT_FOUND for a trace Jaeger does not have, 400 for a malformed id", async () => {
    const missing = await json(await fetch(`${base}/api/traces/${"0".repeat(31)}1`));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "NOT_FOUND");
    assert.equal(missing.body.error.retriable, false);
    assert.match(missing.body.error.message, /Jaeger has no trace/);
    const bad = await json(await fetch(`${base}/api/traces/not-a-trace`));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "INVALID_INPUT");
  });

  it("answers 503 TRACING_UNAVAILABLE when Jaeger does not answer", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await start({ jaeger: createJaegerQueryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 }) });
    const { status, body } = await json(await fetch(`${down}/api/traces/${"a".repeat(32)}`));
    assert.equal(status, 503);
    assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "retriable"]);
    assert.equal(body.error.code, "TRACING_UNAVAILABLE");
    assert.equal(body.error.retriable, true);
  });
});

describe("POST /api/scenarios/validate", () => {
  it("answers ok for a valid scenario, the problems with their paths for an invalid one", async () => {
    const base = await start();
    const valid = await json(await fetch(`${base}/api/scenarios/validate`, { method: "POST", body: "version: 1\nname: ok\nbrokers: { r: { kind: rabbitmq } }\nservices: [ { name: s } ]\n" }));
    assert.deepEqual(valid, { status: 200, body: { data: { ok: true, problems: [] } } });
    const invalid = await json(
      await fetch(`${base}/api/scenarios/validate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ version: 1, name: "bad", brokers: { r: { kind: "rabbitmq" } }, services: [{ name: "s", consumers: [{ name: "c", broker: "r", from: { queue: "q" }, prefetch: -1 }] }] }),
      }),
    );
    assert.equal(invalid.status, 200);
    assert.equal(invalid.body.data.ok, false);
    assert.ok(invalid.body.data.problems.some((p: { path: string }) => p.path === "services[0].consumers[0].prefetch"), JSON.stringify(invalid.body.data.problems));
  });

  it("refuses an empty body, a body over the limit, and other methods", async () => {
    const base = await start();
    const empty = await json(await fetch(`${base}/api/scenarios/validate`, { method: "POST", body: " " }));
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, "INVALID_INPUT");
    const huge = await json(await fetch(`${base}/api/scenarios/validate`, { method: "POST", body: "x".repeat(1_000_001) }));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, "INVALID_INPUT");
    const get = await fetch(`${base}/api/scenarios/validate`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    const unknown = await json(await fetch(`${base}/api/nothing-here`));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "NOT_FOUND");
  });
});

describe("GET /metrics", () => {
  it("exposes the server's process metrics and each run's counters, latency and ledger", async () => {
    const engine = testEngine();
    const queue = unique("http-metrics");
    const run = await engine.start(
      loadScenario(`
version: 1
name: metrics-probe
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, autoDelete: true } ] } }
services:
  - name: order-service
    producers: [ { name: new-orders, broker: rabbit, to: { queue: ${queue} }, rate: { burst: 20 } } ]
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} } } ]
`),
      { limitMs: 60_000 },
    );
    await run.done();
    const base = await start({ engine });
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await response.text();
    assert.match(text, /^brokerlab_server_process_cpu_user_seconds_total \d/m);
    assert.match(text, new RegExp(`^brokerlab_producer_messages_total\\{run="${run.id}",scenario="metrics-probe",service="order-service",producer="new-orders",outcome="confirmed"\\} 20$`, "m"));
    assert.match(text, new RegExp(`^brokerlab_consumer_messages_total\\{run="${run.id}",scenario="metrics-probe",service="inventory-service",consumer="update-stock",outcome="acked"\\} 20$`, "m"));
    assert.match(text, new RegExp(`^brokerlab_ledger_messages\\{run="${run.id}",scenario="metrics-probe",kind="lost"\\} 0$`, "m"));
    assert.match(text, /^brokerlab_runs\{status="finished"\} 1$/m);
  });
});

describe("the token", () => {
  it("guards the API with a JSON 401, and accepts a bearer token", async () => {
    const token = "t".repeat(24);
    const base = await start({ token });
    const denied = await fetch(`${base}/api/examples`);
    assert.equal(denied.status, 401);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, "UNAUTHORIZED");
    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    assert.equal((await fetch(`${base}/api/examples`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const query = await fetch(`${base}/api/examples?token=${token}`, { redirect: "manual" });
    assert.equal(query.status, 200, "an API client with ?token= gets the answer, not a redirect");
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});
