// The teacher's routes against the real engine and stack: two learners fill progress over the lesson
// socket as the lesson page does (one starts a real run), then the teacher token is needed for the
// grid and its CSV, and a drill kills a service in the running run while bad drills touch nothing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { io as connect } from "socket.io-client";
import type { ClassGrid } from "../../../lib/classroom/grid";
import type { DrillResult } from "../../../lib/classroom/drill";
import { createApplication, type Application } from "../../../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createTokenAuth } from "../../../server/http/auth";
import { call, quietMonitor, type Client } from "../../support/socket-server";
import { unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const token = unique("teacher");
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-teacher-"));
const engine = createEngine(engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: path.join(dataDir, "runs") }, { createRabbitAdmin, createKafkaAdmin }));
const ada = unique("ada").replace(/[^A-Za-z0-9_-]/g, "");
const bob = unique("bob").replace(/[^A-Za-z0-9_-]/g, "");
const sockets: Client[] = [];
let http: Server;
let app: Application;
let base: string;
let runId: string;

async function data<T>(socket: Client, event: Parameters<typeof call>[1], payload: unknown): Promise<T> {
  const answer = await call<T>(socket, event, payload);
  if ("error" in answer) throw new Error(`${event}: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

const asTeacher = { authorization: `Bearer ${token}` };
const drill = (body: unknown) => fetch(`${base}/api/classroom/drill`, { method: "POST", headers: { ...asTeacher, "content-type": "application/json" }, body: JSON.stringify(body) });

before(async () => {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(token), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const learner = () => {
    const socket: Client = connect(base, { transports: ["websocket"], forceNew: true, auth: { token } });
    sockets.push(socket);
    return socket;
  };
  // Ada runs the first step of "Hello, queue" for real and predicts; Bob predicts otherwise and tries a step without a run.
  const adaSocket = learner();
  const opened = await data<{ examples: Record<string, string> }>(adaSocket, "lesson:open", { learnerId: ada, lessonId: "hello-queue" });
  // The lesson page watches the step it shows: the check's loop is what marks it done.
  await data(adaSocket, "lesson:watch", { learnerId: ada, lessonId: "hello-queue", stepId: "run-it" });
  runId = (await data<{ runId: string }>(adaSocket, "run:start", { scenario: opened.examples["order-inventory"]!, ownNames: unique("t").replace(/[^a-z0-9]/g, "").slice(-10), durationSeconds: 90 })).runId;
  await data(adaSocket, "lesson:attempt", { learnerId: ada, lessonId: "hello-queue", stepId: "run-it", scenario: opened.examples["order-inventory"]!, runId });
  await data(adaSocket, "lesson:predict", { learnerId: ada, lessonId: "work-queues", stepId: "scale-out", choice: 0 });
  const bobSocket = learner();
  await data(bobSocket, "lesson:open", { learnerId: bob, lessonId: "work-queues" });
  await data(bobSocket, "lesson:predict", { learnerId: bob, lessonId: "work-queues", stepId: "scale-out", choice: 1 });
  await data(bobSocket, "lesson:attempt", { learnerId: bob, lessonId: "work-queues", stepId: "compete", scenario: "version: 1" });
});

after(async () => {
  for (const socket of sockets) socket.disconnect();
  await engine.shutdown();
  app?.closeRealtime();
  await new Promise((resolve) => http?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the teacher's dashboard over HTTP", { timeout: 180_000 }, () => {
  it("needs the teacher token", async () => {
    for (const response of [await fetch(`${base}/api/classroom/grid`), await fetch(`${base}/api/classroom/grid`, { headers: { authorization: "Bearer wrong" } }), await fetch(`${base}/api/classroom/drill`, { method: "POST", body: "{}" })]) {
      assert.equal(response.status, 401);
    }
  });

  it("shows both learners, Ada's step done once her run passes it, and the class's predictions", async () => {
    const grid = await waitFor(async () => {
      const answer = (await (await fetch(`${base}/api/classroom/grid`, { headers: asTeacher })).json()) as { data: { mode: string; grid: ClassGrid } };
      const row = answer.data.grid.learners.find((l) => l.learnerId === ada);
      return row?.lessons["hello-queue"]?.[0]?.state === "done" ? answer.data : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000, description: "Ada's first step to show done" });
    assert.equal(grid.mode, "lab");
    assert.deepEqual(grid.grid.learners.map((l) => l.learnerId).sort(), [ada, bob].sort());
    const bobRow = grid.grid.learners.find((l) => l.learnerId === bob)!;
    assert.equal(bobRow.lessons["work-queues"]![0]!.state, "working", "Bob started a step and is not stuck yet");
    assert.equal(bobRow.lessons["hello-queue"], undefined);
    const scaleOut = grid.grid.predictions.find((p) => p.stepId === "scale-out")!;
    assert.deepEqual(scaleOut.options.slice(0, 2).map((o) => o.count), [1, 1]);
  });

  it("exports the CSV with a file name, quoting a lesson title with a comma", async () => {
    const response = await fetch(`${base}/api/classroom/grid?format=csv`, { headers: asTeacher });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-disposition")!, /^attachment; filename="brokerlab-class-progress-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = (await response.text()).split("\r\n");
    assert.ok(lines.some((line) => line.startsWith(`${ada},${ada},hello-queue,"Hello, queue",run-it,`)), "Ada's first step, the title quoted");
    assert.ok(lines.some((line) => line.startsWith(`${bob},${bob},work-queues,`)));
  });

  it("refuses a bad drill naming the field and touches no run; a good one kills the service in the running run", async () => {
    await waitFor(() => engine.get(runId)?.status() === "running", { timeoutMs: 30_000, description: "the run to be running" });
    for (const [body, field] of [[{ fault: { kind: "kill" } }, "fault.service"], [{ fault: { kind: "kill", service: "inventory-service", replica: 99 } }, "fault.replica"], [{ fault: { kind: "stopBroker", broker: "rabbit" } }, "fault.kind"]] as const) {
      const response = await drill(body);
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: { problems: { path: string }[] } }).error.problems[0]!.path, field);
    }
    assert.deepEqual(engine.get(runId)!.latestFrame()?.activeFaults ?? [], [], "no fault from the refused drills");
    const response = await drill({ fault: { kind: "kill", service: "inventory-service", forMs: 5000 } });
    assert.equal(response.status, 200);
    const result = ((await response.json()) as { data: DrillResult }).data;
    assert.deepEqual(result.reached.map((r) => [r.runId, r.learnerId]), [[runId, ada]]);
    assert.ok(result.reached[0]!.affected >= 1);
    await waitFor(() => engine.get(runId)!.latestFrame()?.activeFaults?.some((f) => f.id === result.reached[0]!.faultId), { timeoutMs: 10_000, description: "the kill in the run's active faults" });
    const other = await drill({ fault: { kind: "kill", service: "no-such-service" } });
    const skipped = ((await other.json()) as { data: DrillResult }).data;
    assert.deepEqual(skipped.reached, []);
    assert.match(skipped.skipped[0]!.why, /has no service "no-such-service"/);
  });
});
