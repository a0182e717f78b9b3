// Lessons over socket.io and HTTP against the real engine and stack: the catalogue route, a step's
// check red before the run and green after it, progress that survives a restart of the service, and
// the exercise's mistakes caught (a refused scenario, a verified CONFLICT, a forged error rejected).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import { lessons } from "../../../lib/lessons/catalogue";
import { mismatchedDeclarations } from "../../../lib/lessons/scenarios/queues";
import { createApplication, type Application } from "../../../server/app";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { progressFileFor } from "../../../server/realtime/lessons";
import { waitFor } from "../../support/wait-for";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-lessons-"));
const engine = createEngine(engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: path.join(dataDir, "runs") }, { createRabbitAdmin, createKafkaAdmin }));
const learnerId = `it-${Date.now().toString(36)}`;
let http: Server;
let app: Application;
let base: string;
let socket: Client;

function call<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

async function data<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<T> {
  const response = await call<T>(event, payload);
  if ("error" in response) throw new Error(`${event}: ${response.error.code} ${response.error.message}`);
  return response.data;
}

before(async () => {
  http = createServer();
  app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  socket = connect(base, { transports: ["websocket"], forceNew: true });
});

after(async () => {
  socket?.disconnect();
  await engine.shutdown();
  app?.closeRealtime();
  await new Promise((resolve) => http?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("lessons over HTTP and socket.io", { timeout: 240_000 }, () => {
  it("GET /api/lessons lists the catalogue with each step's check ids; GET /api/lessons/<id> gives one lesson", async () => {
    const response = await fetch(`${base}/api/lessons`);
    assert.equal(response.status, 200);
    const { data: catalogue } = (await response.json()) as { data: { id: string; steps: { id: string; checkId: string; checkIds: string[] }[] }[] };
    assert.deepEqual(
      catalogue.map((l) => l.id),
      lessons.map((l) => l.id),
    );
    assert.ok(catalogue.filter((l) => l.id !== "exercise-first-pipeline").length >= 24);
    const hello = catalogue.find((l) => l.id === "hello-queue")!;
    assert.deepEqual(hello.steps.map((s) => s.checkId), ["first-order-acked", "all-orders-processed", "queue-holds-orders", "backlog-drained"]);
    const one = await fetch(`${base}/api/lessons/acknowledgements`);
    assert.equal(((await one.json()) as { data: { title: string } }).data.title, "Acknowledgements: lost or redelivered");
    assert.equal((await fetch(`${base}/api/lessons/no-such-lesson`)).status, 404);
    assert.equal((await fetch(`${base}/api/lessons`, { method: "POST" })).status, 405);
  });

  it("keeps a step red before the run, turns it green once the real condition holds, and saves the progress", async () => {
    const opened = await data<{ examples: Record<string, string> }>("lesson:open", { learnerId, lessonId: "hello-queue" });
    assert.match(opened.examples["order-inventory"]!, /name: order-inventory/);

    const first = await data<LessonCheckUpdate>("lesson:watch", { learnerId, lessonId: "hello-queue", stepId: "run-it" });
    assert.equal(first.result.state, "fail");
    assert.match(first.result.children![0]!.detail, /No run yet/);

    const pushed: LessonCheckUpdate[] = [];
    socket.on("lesson:check", (update) => pushed.push(update));
    const { runId } = await data<{ runId: string }>("run:start", { scenario: opened.examples["order-inventory"]! });
    const attempted = await data<LessonCheckUpdate>("lesson:attempt", { learnerId, lessonId: "hello-queue", stepId: "run-it", scenario: opened.examples["order-inventory"]!, runId });
    assert.equal(attempted.runId, runId);

    const green = await waitFor(() => [attempted, ...pushed].find((u) => u.stepId === "run-it" && u.result.state === "pass"), { timeoutMs: 30_000, description: "the first step's check to pass" });
    assert.ok(green.progress.steps["run-it"]?.completedAt);
    assert.equal(green.progress.steps["run-it"]?.runId, runId);

    // A new store on the same file is what a restarted server reads.
    const reread = await createProgressStore({ file: progressFileFor(engine) }).lesson(learnerId, "hello-queue");
    assert.ok(reread.steps["run-it"]?.completedAt, "the completed step is on disk");
    assert.equal(reread.lastRunId, runId);
    await engine.get(runId)?.done();
  });

  it("catches the exercise's mistakes: a misspelled queue is refused, a conflicting declaration is a verified CONFLICT", async () => {
    const lessonId = "exercise-first-pipeline";
    await data("lesson:open", { learnerId, lessonId });
    await data("lesson:watch", { learnerId, lessonId, stepId: "typo" });
    const misspelled = (await data<{ examples: Record<string, string> }>("lesson:open", { learnerId, lessonId: "hello-queue" })).examples["order-inventory"]!.replace("from: { queue: order_queue }", "from: { queue: orders_queue }");
    const refused = await data<LessonCheckUpdate>("lesson:attempt", { learnerId, lessonId, stepId: "typo", scenario: misspelled });
    assert.equal(refused.result.state, "pass", refused.result.detail);
    assert.match(refused.result.detail, /from\.queue.*not a queue declared/);

    await data("lesson:watch", { learnerId, lessonId, stepId: "declarations" });
    const started = await call("run:start", { scenario: mismatchedDeclarations });
    assert.ok("error" in started, "the mismatched declarations do not start");
    assert.equal(started.error.code, "CONFLICT");
    const forged = await data<LessonCheckUpdate>("lesson:attempt", { learnerId, lessonId, stepId: "declarations", scenario: mismatchedDeclarations, error: { code: "CONFLICT", message: "queue \"order_queue\" made up by the browser" } });
    assert.notEqual(forged.result.state, "pass", "an error the engine never raised does not count");
    const verified = await data<LessonCheckUpdate>("lesson:attempt", { learnerId, lessonId, stepId: "declarations", scenario: mismatchedDeclarations, error: { code: started.error.code, message: started.error.message } });
    assert.equal(verified.result.state, "pass", verified.result.detail);
    assert.match(verified.result.detail, /CONFLICT: queue "order_queue" already exists with/);
  });

  it("gives lesson runs names of their own: two tabs run one lesson at once, each check reads its own queue, a repeated suffix is refused", async () => {
    const scenario = (await data<{ examples: Record<string, string> }>("lesson:open", { learnerId, lessonId: "hello-queue" })).examples["order-inventory"]!;
    const stamp = Date.now().toString(36).slice(-6);
    const suffixes = [`${stamp}a`, `${stamp}b`];
    const started = await Promise.all(suffixes.map((ownNames) => data<{ runId: string }>("run:start", { scenario, ownNames, durationSeconds: 60 })));
    const runs = started.map(({ runId }) => engine.get(runId)!);
    try {
      const queues = runs.map((run) => { const r = run.scenario.resources.rabbit; return r?.kind === "rabbitmq" ? r.queues.map((q) => q.name) : []; });
      assert.deepEqual(queues, suffixes.map((suffix) => [`order_queue-${suffix}`]));
      const again = await call("run:start", { scenario, ownNames: suffixes[0] });
      assert.ok("error" in again && again.error.code === "CONFLICT", JSON.stringify(again));
      assert.match(again.error.message, new RegExp(`^queue "order_queue-${suffixes[0]}" on broker rabbit is already used by run ${runs[0]!.id} `));

      // The second tab's check finds order_queue under its run's name.
      const pushed: LessonCheckUpdate[] = [];
      socket.on("lesson:check", (update) => pushed.push(update));
      const first = await data<LessonCheckUpdate>("lesson:watch", { learnerId: `${learnerId}-tab2`, lessonId: "hello-queue", stepId: "run-it", runId: runs[1]!.id });
      const green = await waitFor(() => [first, ...pushed].find((u) => u.runId === runs[1]!.id && u.result.state === "pass"), { timeoutMs: 30_000, description: () => `the check over the second run to pass; last: ${JSON.stringify(pushed.at(-1)?.result ?? first.result)}` });
      assert.ok(green.result.children!.some((c) => c.detail.includes(`order_queue-${suffixes[1]}`)), JSON.stringify(green.result));
      await data("lesson:unwatch", {});
    } finally {
      await Promise.all(runs.map((run) => run.stop("test over")));
    }
  });

  it("answers quiz questions and rejects unknown lessons and bad payloads", async () => {
    const wrong = await data<{ correct: boolean; correctChoices: number[]; explanation: string }>("lesson:answer", { learnerId, lessonId: "knowledge-checks", questionId: "which-are-brokers", choices: [0] });
    assert.equal(wrong.correct, false);
    assert.deepEqual(wrong.correctChoices, [0, 1]);
    const right = await data<{ correct: boolean; progress: { answers: Record<string, { firstCorrect: boolean }> } }>("lesson:answer", { learnerId, lessonId: "knowledge-checks", questionId: "which-are-brokers", choices: [1, 0] });
    assert.equal(right.correct, true);
    assert.equal(right.progress.answers["which-are-brokers"]!.firstCorrect, false, "the first answer is the one that counts");
    const missing = await call("lesson:open", { learnerId, lessonId: "no-such-lesson" });
    assert.ok("error" in missing && missing.error.code === "NOT_FOUND");
    const bad = await call("lesson:watch", { learnerId: "x", lessonId: "hello-queue", stepId: "run-it" });
    assert.ok("error" in bad && bad.error.code === "INVALID_INPUT");
  });
});
