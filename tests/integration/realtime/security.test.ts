// The socket's answers to hostile or broken input, on the real engine and stack: broker endpoints
// outside the allowlist refused before any byte is sent, passwords kept from watchers, clear errors
// for input that once threw, and run:stop cancelling a run that is still starting.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AckResponse, ClientToServerEvents } from "../../../lib/events";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { unique } from "../../support/engine";
import { call as emit, startSocketServer, type Client } from "../../support/socket-server";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-security-"));
let server: Awaited<ReturnType<typeof startSocketServer>>;
let socket: Client;
let engine: ReturnType<typeof createEngine>;
/** A TCP listener standing for a foreign host: it records every connection made to it. */
let listener: TcpServer;
let listenerPort = 0;
let connections = 0;

const call = <T>(event: keyof ClientToServerEvents, payload: unknown, client: Client = socket): Promise<AckResponse<T>> => emit<T>(client, event, payload);

async function refused(event: keyof ClientToServerEvents, payload: unknown) {
  const answer = await call(event, payload);
  assert.ok("error" in answer, `${event} was accepted: ${JSON.stringify(answer).slice(0, 300)}`);
  return answer.error;
}

before(async () => {
  listener = createTcpServer((peer) => (connections++, peer.destroy()));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerPort = (listener.address() as AddressInfo).port;
  // The listener's port is allowed as a broker endpoint only for the stopBroker test's second broker.
  engine = createEngine(engineContextFrom({ ...config, BROKERLAB_DATA_DIR: path.join(dataDir, "runs"), BROKERLAB_ALLOWED_ENDPOINTS: [`127.0.0.1:${listenerPort + 1}`] }, { createRabbitAdmin, createKafkaAdmin }));
  server = await startSocketServer(engine);
  socket = server.client();
});

after(async () => {
  await engine.shutdown();
  await server?.close();
  listener?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const scenario = (brokers: string, extra = "") => `
version: 1
name: security-check
brokers: ${brokers}
resources: { rabbit: { queues: [ { name: ${unique("sec")} } ] } }
services:
  - name: s
    consumers: [ { name: c, broker: rabbit, from: { queue: QUEUE } } ]
${extra}`;
const withQueue = (text: string) => text.replace("QUEUE", /name: (sec-[\w-]+)/.exec(text)![1]!);

describe("broker endpoints", { timeout: 60_000 }, () => {
  it("a scenario naming a host:port outside the allowlist is refused by field before anything connects to it", async () => {
    const before = engine.list().length;
    const cases = [
      [`{ rabbit: { kind: rabbitmq, url: "amqp://admin:S3CRET@127.0.0.1:${listenerPort}" } }`, "brokers.rabbit.url"],
      [`{ rabbit: { kind: rabbitmq, managementUrl: "http://guest:guest@127.0.0.1:${listenerPort}" } }`, "brokers.rabbit.managementUrl"],
      [`{ rabbit: { kind: rabbitmq }, k: { kind: kafka, brokers: ["127.0.0.1:${listenerPort}"] } }`, "brokers.k.brokers[0]"],
    ] as const;
    for (const [brokers, field] of cases) {
      const error = await refused("run:start", { scenario: withQueue(scenario(brokers)) });
      assert.equal(error.code, "INVALID_INPUT");
      assert.deepEqual(error.problems?.map((p) => p.path), [field]);
      assert.match(error.message, new RegExp(`names 127\\.0\\.0\\.1:${listenerPort}, which is not one of Brokerlab's brokers.*BROKERLAB_ALLOWED_ENDPOINTS`));
      assert.doesNotMatch(JSON.stringify(error), /S3CRET/);
    }
    assert.equal(engine.list().length, before, "no run was created");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(connections, 0, "nothing connected to the foreign endpoint");
    // The listener does record a connection: the zero above is a measurement.
    await new Promise<void>((resolve) => tcpConnect(listenerPort, "127.0.0.1").on("close", () => resolve()).on("error", () => resolve()));
    await waitFor(() => connections === 1, { timeoutMs: 2_000, description: "the listener to count a direct connection" });
    connections = 0;
  });

  it("stopBroker on a broker that is not the stack's own (even an allowed one) is refused before the run starts", async () => {
    const brokers = `{ rabbit: { kind: rabbitmq }, other: { kind: rabbitmq, url: "amqp://127.0.0.1:${listenerPort + 1}", managementUrl: "${config.RABBITMQ_MANAGEMENT_URL}" } }`;
    const error = await refused("run:start", { scenario: withQueue(scenario(brokers, "faults:\n  - { at: 1s, stopBroker: other }\n")) });
    assert.equal(error.code, "INVALID_INPUT");
    assert.deepEqual(error.problems?.map((p) => p.path), ["faults[0].stopBroker"]);
    assert.match(error.message, /broker "other" is not a broker of Brokerlab's own stack.*never touch other brokers/);
  });
});

describe("secrets", { timeout: 90_000 }, () => {
  it("run:subscribe shows another client the scenario without broker passwords", async () => {
    const password = new URL(config.RABBITMQ_URL).password;
    assert.ok(password, "the configured RABBITMQ_URL has a password to hide");
    const text = withQueue(scenario(`{ rabbit: { kind: rabbitmq, url: "${config.RABBITMQ_URL}", managementUrl: "${config.RABBITMQ_MANAGEMENT_URL}" } }`));
    const started = await call<{ runId: string }>("run:start", { scenario: text, durationSeconds: 2 });
    assert.ok("data" in started, JSON.stringify(started));
    const watcher = server.client();
    try {
      const watched = await call<{ scenario: { brokers: { rabbit: { url: string; managementUrl: string } } } }>("run:subscribe", { runId: started.data.runId }, watcher);
      assert.ok("data" in watched, JSON.stringify(watched));
      assert.match(watched.data.scenario.brokers.rabbit.url, /^amqp:\/\/[^:]+:\*\*\*@/);
      assert.match(watched.data.scenario.brokers.rabbit.managementUrl, /^http:\/\/[^:]+:\*\*\*@/);
      assert.ok(!JSON.stringify(watched).includes(`:${password}@`), "a password reached the watcher");
    } finally {
      await engine.get(started.data.runId)?.stop("test over");
    }
  });
});

describe("input that once threw answers a clear INVALID_INPUT", { timeout: 60_000 }, () => {
  const valid = withQueue(scenario("{ rabbit: { kind: rabbitmq } }"));

  it("inherited placeholder names, a billion laughs, deep nesting and a fault in 31 years", async () => {
    const queue = /queue: (sec-[\w-]+)/.exec(valid)![1]!;
    for (const name of ["toString", "constructor", "__proto__"]) {
      const error = await refused("run:start", { scenario: `${valid}    producers: [ { name: p, broker: rabbit, to: { queue: ${queue} }, payload: { a: "{{${name}}}" } } ]\n` });
      assert.equal(error.code, "INVALID_INPUT", name);
      assert.deepEqual(error.problems?.map((p) => p.path), ["services[0].producers[0].payload.a"], name);
      assert.match(error.message, new RegExp(`unknown placeholder \\{\\{${name}\\}\\}`), name);
    }
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", ...["b", "c", "d", "e", "f"].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`)].join("\n");
    assert.match((await refused("run:start", { scenario: laughs })).message, /YAML aliases \(\*name\) too often/);
    // 100,000 levels: the socket.io client cannot even encode that (its own recursion), so it goes raw.
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    for (const [event, payload] of [["run:start", `{"scenario":${deep}}`], ["run:fault", `{"runId":"x","request":${deep}}`]]) {
      const [answer] = (await rawEmit(event!, payload!)) as [{ error: { code: string; message: string } }];
      assert.equal(answer.error.code, "INVALID_INPUT", event);
      assert.match(answer.error.message, /payload is nested more than 64 levels deep; flatten it/, event);
    }
    assert.ok("data" in (await call("run:list", {})), "the server still answers");
    const late = await refused("run:start", { scenario: `${valid}faults:\n  - { at: 1000000000s, kill: s }\n` });
    assert.deepEqual(late.problems?.map((p) => p.path), ["faults[0].at"]);
    assert.match(late.message, /at most 24 h/);
  });

  it("learner ids named like object built-ins keep their own progress; __proto__ is refused", async () => {
    for (const learnerId of ["constructor", "toString", "hasOwnProperty", "__defineGetter__"]) {
      const answered = await call<{ correct: boolean }>("lesson:answer", { learnerId, lessonId: "knowledge-checks", questionId: "which-are-brokers", choices: [0, 1] });
      assert.ok("data" in answered && answered.data.correct, `${learnerId}: ${JSON.stringify(answered)}`);
      const progress = await call<Record<string, { answers: Record<string, unknown> }>>("lesson:progress", { learnerId });
      assert.ok("data" in progress, `${learnerId}: ${JSON.stringify(progress)}`);
      assert.deepEqual(Object.keys(progress.data), ["knowledge-checks"]);
    }
    const proto = await refused("lesson:progress", { learnerId: "__proto__" });
    assert.equal(proto.code, "INVALID_INPUT");
    assert.match(proto.message, /is reserved; use another learner id/);
  });
});

/** Emits an event whose payload is JSON text, over engine.io's polling transport, and resolves the ack's arguments. */
async function rawEmit(event: string, payloadJson: string): Promise<unknown[]> {
  const base = `${server.base}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base)).text();
  const url = `${base}&sid=${(JSON.parse(open.slice(1)) as { sid: string }).sid}`;
  const post = (body: string) => fetch(url, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } });
  await post("40");
  await fetch(url);
  await post(`420[${JSON.stringify(event)},${payloadJson}]`);
  const packets = await waitFor(async () => (await (await fetch(url)).text()).split("\x1e").find((packet) => packet.startsWith("430")), { timeoutMs: 10_000, description: "the ack" });
  return JSON.parse(packets.slice(3)) as unknown[];
}

async function queueExists(name: string): Promise<boolean> {
  const base = new URL(config.RABBITMQ_MANAGEMENT_URL);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString("base64")}`;
  const response = await fetch(`${base.origin}/api/queues/%2F/${encodeURIComponent(name)}`, { headers: { authorization } });
  return response.status === 200;
}

describe("run:stop while a run is starting", { timeout: 120_000 }, () => {
  it("cancels the start at once, tears down the queue it created and stops its processes", async () => {
    const queue = unique("sec-stop");
    const text = `
version: 1
name: stop-while-starting
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: sender
    replicas: 3
    producers: [ { name: p, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 5 } } ]
  - name: receiver
    replicas: 3
    consumers: [ { name: c, broker: rabbit, from: { queue: ${queue} } } ]
`;
    const starting = call<{ runId: string }>("run:start", { scenario: text, durationSeconds: 120 });
    const run = await waitFor(() => engine.list().find((r) => r.scenario.name === "stop-while-starting" && r.status() === "starting"), { timeoutMs: 10_000, intervalMs: 20, description: "the run to be starting" });
    await waitFor(() => queueExists(queue), { timeoutMs: 20_000, intervalMs: 50, description: "the run's queue to be declared" });
    await waitFor(() => run.timeline().some((entry) => entry.kind === "replica" && /started/.test(entry.detail)), { timeoutMs: 20_000, intervalMs: 20, description: "a service process to start" });
    assert.equal(run.status(), "starting", "the run must still be starting when it is stopped (six processes take seconds to be ready)");
    const stopAt = Date.now();
    const stopped = await call<{ status: string }>("run:stop", { runId: run.id });
    const tookMs = Date.now() - stopAt;
    assert.ok("data" in stopped, JSON.stringify(stopped));
    assert.ok(tookMs < 20_000, `run:stop answered after ${tookMs} ms`);
    const started = await starting;
    assert.ok("error" in started && started.error.code === "CONFLICT", JSON.stringify(started));
    assert.match(started.error.message, /stopped while it was starting/);
    assert.equal(run.status(), "finished");
    assert.equal(await queueExists(queue), false, "the queue the run created is deleted");
    const states = () => Object.values(run.report().services).flat().map((replica) => replica.state);
    assert.ok(states().length > 0 && states().every((state) => state === "stopped" || state === "killed"), states().join(", "));
    // No process may start after the teardown (one waiting for the service bundle once did).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.ok(states().every((state) => state === "stopped" || state === "killed"), states().join(", "));
  });
});
