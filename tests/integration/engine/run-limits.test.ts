// The engine's limits over socket.io on the real stack: with BROKERLAB_MAX_RUNS=1 a second
// run:start is refused with LIMIT_REACHED naming the active run and the variable to raise; once the
// run ends it is forgotten beyond BROKERLAB_KEEP_FINISHED_RUNS and old run directories are pruned.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import { createApplication, type Application } from "../../../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-limits-"));
const context = engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: dataDir }, { createRabbitAdmin, createKafkaAdmin });
const engine = createEngine({ ...context, limits: { maxRuns: 1, maxServiceProcesses: 64, keepFinishedRuns: 1, keepRunDirs: 1, runDirMaxAgeMs: 0 } });
let http: Server | undefined;
let app: Application | undefined;
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

after(async () => {
  socket?.disconnect();
  await engine.shutdown();
  app?.closeRealtime();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<string> {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function runStart(scenario: string, durationSeconds?: number): Promise<AckResponse<{ runId: string }>> {
  return new Promise((resolve) => (socket!.emit as (e: string, p: unknown, ack: (r: AckResponse<{ runId: string }>) => void) => void)("run:start", { scenario, ...(durationSeconds ? { durationSeconds } : {}) }, resolve));
}

const scenarioFor = (queue: string) => `
version: 1
name: limits-check
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: sender
    producers: [ { name: send, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 40 } ]
  - name: reader
    consumers: [ { name: read, broker: rabbit, from: { queue: ${queue} } } ]
`;

describe("run limits over socket.io", { timeout: 120_000 }, () => {
  it("refuses a second active run with LIMIT_REACHED, then forgets ended runs and prunes old run directories", async () => {
    // Two run directories of long-gone runs, a day old.
    for (const name of ["old-run-a", "old-run-b"]) {
      mkdirSync(path.join(dataDir, name));
      const dayAgo = new Date(Date.now() - 24 * 3_600_000);
      utimesSync(path.join(dataDir, name), dayAgo, dayAgo);
    }
    socket = connect(await serve(), { transports: ["websocket"], forceNew: true });

    const first = await runStart(scenarioFor(unique("limits-a")));
    assert.ok("data" in first, JSON.stringify(first));
    const firstId = first.data.runId;

    const refused = await runStart(scenarioFor(unique("limits-b")));
    assert.ok("error" in refused, "a second run beyond BROKERLAB_MAX_RUNS=1 must be refused");
    assert.equal(refused.error.code, "LIMIT_REACHED");
    assert.equal(refused.error.retriable, true);
    assert.match(refused.error.message, /BROKERLAB_MAX_RUNS=1/);
    assert.match(refused.error.message, new RegExp(firstId));
    assert.match(refused.error.message, /raise BROKERLAB_MAX_RUNS/);
    assert.equal(engine.list().length, 1, "the refused run must not be kept");

    // The first run drains (40 messages) and ends; then a new run is admitted again.
    await engine.get(firstId)!.done();
    const second = await runStart(scenarioFor(unique("limits-c")), 3);
    assert.ok("data" in second, JSON.stringify(second));
    await engine.get(second.data.runId)!.done();

    // Ended runs beyond BROKERLAB_KEEP_FINISHED_RUNS=1 are forgotten; directories beyond 1 pruned.
    await waitFor(() => engine.list().length === 1 && engine.list()[0]!.id === second.data.runId, { timeoutMs: 5_000, description: "only the newest ended run to be kept" });
    // Nothing here asks for pruning: the engine prunes as each run ends.
    await waitFor(() => {
      const left = readdirSync(dataDir);
      return left.length === 1 && left[0] === second.data.runId;
    }, { timeoutMs: 10_000, description: `run directories other than ${second.data.runId} to be pruned (left: ${readdirSync(dataDir).join(", ")})` });
  });
});
