// `run:replay` over socket.io against the real engine and stack: the projection's frames show the
// wipe and the rebuild, and bad or unknown replays are refused with a code, touching nothing.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import type { RunFrame } from "../../../lib/run/model";
import { createApplication, type Application } from "../../../server/app";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const engine = testEngine();
let http: Server;
let app: Application;
let socket: Client;

function call<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

before(async () => {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"], forceNew: true });
});

after(async () => {
  socket?.disconnect();
  await engine.shutdown();
  app?.closeRealtime();
  await new Promise((resolve) => http?.close(resolve));
});

describe("run:replay over socket.io", { timeout: 180_000 }, () => {
  it("wipes and rebuilds a projection that watchers see in the frames; refuses unknown ones", async () => {
    const topic = unique("ledger-events");
    const scenario = `
version: 1
name: ${unique("replay")}
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [{ name: ${topic}, partitions: 2 }] } }
services:
  - name: bank
    producers:
      - { name: moves, broker: kafka, to: { topic: ${topic}, key: "{{account}}" }, rate: { burst: 300 }, payload: { type: "{{pick deposit withdrawal}}", account: "{{pick a b c}}", amount: "{{randomInt 1 100}}" } }
  - name: balances
    projections:
      - name: accounts
        broker: kafka
        from: { topic: ${topic} }
        key: account
        work: { ms: 3 }
        fold: { deposit: { balance: { add: amount } }, withdrawal: { balance: { subtract: amount } } }
`;
    const started = await call<{ runId: string }>("run:start", { scenario, durationSeconds: 90 });
    assert.ok("data" in started, JSON.stringify(started));
    const { runId } = started.data;
    const frames: RunFrame[] = [];
    socket.on("run:frame", (frame) => { if (frame.runId === runId) frames.push(frame); });
    const projection = (frame: RunFrame | undefined) => frame?.patterns?.projections?.["balances/accounts"];
    const before = await waitFor(() => {
      const p = projection(frames.at(-1));
      return p && p.applied === 300 && p.partitions.every((part) => part.position >= part.high) ? p : undefined;
    }, { timeoutMs: 60_000, description: "the projection to fold 300 events" });

    const unknown = await call("run:replay", { runId, service: "balances", projection: "nope" });
    assert.ok("error" in unknown && unknown.error.code === "NOT_FOUND", JSON.stringify(unknown));
    const invalid = await call("run:replay", { runId, service: "balances", projection: "accounts", from: { offset: -1 } });
    assert.ok("error" in invalid && invalid.error.code === "INVALID_INPUT" && /from/.test(invalid.error.message), JSON.stringify(invalid));

    const replay = await call<{ replaying: number }>("run:replay", { runId, service: "balances", projection: "accounts" });
    assert.deepEqual(replay, { data: { replaying: 1 } });
    const after = await waitFor(() => {
      const p = projection(frames.at(-1));
      return p?.replay?.done ? p : undefined;
    }, { timeoutMs: 60_000, description: "the replay to finish in the frames" });
    assert.deepEqual(after.state, before.state);
    assert.ok(frames.some((f) => { const r = projection(f)?.replay; return r && !r.done && r.progress < 1; }), "a watcher saw the replay in progress");

    const stopped = await call("run:stop", { runId });
    assert.ok("data" in stopped);
  });
});
