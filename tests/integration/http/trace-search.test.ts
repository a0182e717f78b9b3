// GET /api/traces, the trace explorer's search, on a real HTTP server (port 0) against the real
// Jaeger: a small RabbitMQ run found by its run id across services, narrowed by service, destination,
// message id and duration; every bad field named; Jaeger down answered as TRACING_UNAVAILABLE.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../../server/config";
import { createApiHandler } from "../../../server/http/api";
import { createMetrics } from "../../../server/http/metrics";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import type { JaegerQueryClient } from "../../../server/jaeger/query-client";
import { loadScenario, repoRoot, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const servers: Server[] = [];

async function start(jaeger: JaegerQueryClient): Promise<string> {
  const handle = createApiHandler({ jaeger, examplesDir: `${repoRoot}/examples`, metrics: createMetrics(undefined), log: () => {} });
  const http = createServer((request, response) => void handle(request, response, new URL(request.url ?? "/", "http://localhost")));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  servers.push(http);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

after(async () => {
  for (const http of servers) await new Promise((resolve) => http.close(resolve));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read into the JSON they assert on
type Json = any;
const search = async (base: string, query: Record<string, string> | string) => {
  const response = await fetch(`${base}/api/traces?${new URLSearchParams(query).toString()}`);
  return { status: response.status, body: (await response.json()) as Json };
};

describe("GET /api/traces (search)", () => {
  let base: string;
  let runId: string;
  const queue = unique("trace-search");
  const producer = unique("searcher");
  before(async () => {
    base = await start(createJaegerQueryClient({ baseUrl: config.JAEGER_QUERY_URL }));
    const scenario = loadScenario(`
version: 1
name: ${unique("trace-search")}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue}, autoDelete: true } ] } }
services:
  - name: ${producer}
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { burst: 4 } } ]
  - name: ${producer}-consumer
    consumers: [ { name: ship, broker: rabbit, from: { queue: ${queue} } } ]
`);
    const run = await testEngine().start(scenario, { limitMs: 60_000 });
    runId = run.id;
    await run.done();
  });

  it("finds the run's four traces across services, with both services and the send span as root", async () => {
    const { body } = await waitFor(
      async () => {
        const answer = await search(base, { run: runId });
        return answer.status === 200 && answer.body.data.traces.length === 4 && answer.body.data.traces.every((t: Json) => t.spans === 3) ? answer : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000, description: "the run's four complete traces through /api/traces" },
    );
    for (const trace of body.data.traces) {
      assert.equal(trace.root, `send ${queue}`);
      assert.deepEqual(trace.services, [producer, `${producer}-consumer`]);
      assert.equal(trace.errors, 0);
    }
    assert.ok(body.data.services.includes(producer));
    const edges = body.data.graph.edges.map((e: Json) => `${e.from} → ${e.to} ×${e.count}`);
    assert.deepEqual(edges, [`${producer} → ${queue} ×4`, `${queue} → ${producer}-consumer ×4`]);
  });

  it("narrows by service, destination and message id; a long minimum duration or errors only finds none", async () => {
    const byDestination = await search(base, { run: runId, service: producer, destination: queue });
    assert.equal(byDestination.body.data.traces.length, 4);
    const one = byDestination.body.data.traces[0].traceId;
    const trace = (await (await fetch(`${config.JAEGER_QUERY_URL}/api/traces/${one}`)).json()) as Json;
    const messageId = trace.data[0].spans.flatMap((s: Json) => s.tags).find((t: Json) => t.key === "messaging.message.id").value;
    const byMessage = await search(base, { run: runId, messageId: String(messageId) });
    assert.deepEqual(byMessage.body.data.traces.map((t: Json) => t.traceId), [one]);
    assert.equal((await search(base, { run: runId, minDurationMs: "600000" })).body.data.traces.length, 0);
    assert.equal((await search(base, { run: runId, errorOnly: "true" })).body.data.traces.length, 0);
    assert.equal((await search(base, { run: runId, destination: `${queue}-other` })).body.data.traces.length, 0);
  });

  it("answers 400 naming every bad field", async () => {
    const { status, body } = await search(base, "run=a%20b&minDurationMs=-1&limit=500&lookback=1y&colour=red");
    assert.equal(status, 400);
    assert.equal(body.error.code, "INVALID_INPUT");
    assert.deepEqual(body.error.problems.map((p: Json) => p.path).sort(), ["colour", "limit", "lookback", "minDurationMs", "run"]);
    assert.match(body.error.message, /lookback is one of 15m, 1h, 6h, 24h, 48h/);
  });

  it("answers 503 TRACING_UNAVAILABLE when Jaeger does not answer", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await start(createJaegerQueryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 }));
    const { status, body } = await search(down, { run: runId });
    assert.equal(status, 503);
    assert.equal(body.error.code, "TRACING_UNAVAILABLE");
    assert.match(body.error.message, /does not answer/);
  });
});
