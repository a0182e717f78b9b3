// The server's lesson pieces with fakes for the engine, the brokers and Jaeger: the progress file,
// x-death parsing and the management-API peek, GET /api/lessons, and the service's live loop.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { lessonById, lessons } from "../../../lib/lessons/catalogue";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import type { Lesson } from "../../../lib/lessons/schema";
import { emptySnapshot } from "../../../lib/lessons/snapshot";
import type { RunFrame, RunStatus } from "../../../lib/run/model";
import type { Engine } from "../../../server/engine/engine";
import type { Run } from "../../../server/engine/run";
import { handleLessonsApi } from "../../../server/http/lessons-api";
import { createDeadLetterReader, xDeathOf } from "../../../server/lessons/dead-letters";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { createLessonService } from "../../../server/lessons/service";
import { waitFor } from "../../support/wait-for";
import { fakeRun, fixtureScenario, frame } from "./fixtures";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-lessons-unit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the progress file", () => {
  it("saves every change and reads it back in a new store (a restarted server)", async () => {
    const file = path.join(dir, "a", "progress.json");
    const store = createProgressStore({ file });
    await Promise.all([
      store.update("learner-0001", "hello-queue", (p) => ({ ...p, currentStep: "run-it" })),
      store.update("learner-0001", "work-queues", (p) => ({ ...p, currentStep: "compete" })),
    ]);
    await store.flush();
    const again = createProgressStore({ file });
    assert.deepEqual(Object.keys(await again.learner("learner-0001")).sort(), ["hello-queue", "work-queues"]);
    assert.equal((await again.lesson("learner-0001", "hello-queue")).currentStep, "run-it");
    assert.deepEqual(await again.learner("someone-else"), {});
    await again.reset("learner-0001", "hello-queue");
    await again.flush();
    assert.deepEqual(Object.keys(await createProgressStore({ file }).learner("learner-0001")), ["work-queues"]);
  });

  it("keeps an unreadable file aside instead of overwriting it", async () => {
    const folder = path.join(dir, "b");
    const file = path.join(folder, "progress.json");
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, "{ not json");
    const logs: string[] = [];
    const store = createProgressStore({ file, now: () => 42, log: (m) => logs.push(m) });
    assert.deepEqual(await store.learner("learner-0001"), {});
    assert.ok(readdirSync(folder).includes("progress.json.unreadable-42"));
    assert.match(logs[0]!, /could not be read/);
  });
});

describe("x-death headers", () => {
  it("reads the entries RabbitMQ adds, skipping anything else", () => {
    assert.deepEqual(xDeathOf({ "x-death": [{ queue: "payments", reason: "rejected", count: 1, exchange: "", "routing-keys": ["payments"] }, "junk"] }), [{ queue: "payments", reason: "rejected", count: 1, exchange: "" }]);
    assert.deepEqual(xDeathOf(undefined), []);
    assert.deepEqual(xDeathOf({ other: 1 }), []);
  });

  it("peeks through the management API with requeue, and reports a missing queue", async () => {
    const requests: { url: string; init?: RequestInit }[] = [];
    const fetcher = (async (url: string | URL, init?: RequestInit) => {
      requests.push({ url: String(url), init });
      if (String(url).includes("gone")) return new Response("{}", { status: 404 });
      return Response.json([{ payload: "{}", properties: { headers: { "x-death": [{ queue: "payments", reason: "expired", count: 2 }] } } }, { properties: {} }]);
    }) as typeof fetch;
    const read = createDeadLetterReader({ fetch: fetcher });
    const broker = { url: "amqp://u:p@127.0.0.1:5672/shop", managementUrl: "http://u:p@127.0.0.1:15672" };
    assert.deepEqual(await read(broker, "payments.dead"), { value: [[{ queue: "payments", reason: "expired", count: 2 }], []] });
    assert.equal(requests[0]!.url, "http://127.0.0.1:15672/api/queues/shop/payments.dead/get");
    assert.match(String(requests[0]!.init?.body), /"ackmode":"ack_requeue_true"/);
    assert.equal((requests[0]!.init?.headers as Record<string, string>).authorization, `Basic ${Buffer.from("u:p").toString("base64")}`);
    assert.deepEqual(await read(broker, "gone"), { error: "RabbitMQ has no queue gone (a finished run deletes its queues)" });
  });
});

describe("GET /api/lessons", () => {
  function fakeResponse() {
    const out = { status: 0, headers: {} as Record<string, unknown>, body: "" };
    const response = {
      setHeader: (k: string, v: unknown) => void (out.headers[k] = v),
      writeHead: (status: number, headers?: Record<string, unknown>) => void Object.assign(out, { status, headers: { ...out.headers, ...headers } }),
      end: (body?: string) => void (out.body = body ?? ""),
    } as unknown as ServerResponse;
    return { response, out };
  }
  const request = (method: string) => ({ method }) as IncomingMessage;

  it("answers the catalogue, one lesson, 404 and 405, and passes other paths on", () => {
    const list = fakeResponse();
    assert.equal(handleLessonsApi(request("GET"), list.response, new URL("http://x/api/lessons")), true);
    assert.equal(list.out.status, 200);
    const body = JSON.parse(list.out.body) as { data: { id: string; steps: { checkId: string }[] }[] };
    assert.equal(body.data.length, lessons.length, "every lesson of the catalogue and the exercise");
    assert.deepEqual(body.data.map((l) => l.id), lessons.map((l) => l.id));
    assert.equal(body.data[2]!.steps[1]!.checkId, "auto-ack-loses");

    const one = fakeResponse();
    handleLessonsApi(request("GET"), one.response, new URL("http://x/api/lessons/work-queues"));
    assert.equal((JSON.parse(one.out.body) as { data: Lesson }).data.steps.length, lessonById("work-queues")!.steps.length);

    const missing = fakeResponse();
    handleLessonsApi(request("GET"), missing.response, new URL("http://x/api/lessons/nope"));
    assert.equal(missing.out.status, 404);
    const post = fakeResponse();
    handleLessonsApi(request("POST"), post.response, new URL("http://x/api/lessons"));
    assert.equal(post.out.status, 405);
    assert.equal(handleLessonsApi(request("GET"), fakeResponse().response, new URL("http://x/api/examples")), false);
  });
});

describe("the lesson service", () => {
  /** A run the fake engine hands out: its status and frame are the test's to change. */
  function fakeEngineRun(id: string, state: { status: RunStatus; frame: RunFrame; errors?: string[] }) {
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const run = {
      id,
      scenario: fixtureScenario(),
      status: () => state.status,
      startedAt: () => Date.now(),
      latestFrame: () => ({ ...state.frame, status: state.status }),
      report: () => ({ errors: state.errors ?? [], consumers: {} }),
      done: () => done,
      messages: { recent: () => [] },
      resourceNames: () => undefined,
    } as unknown as Run;
    return { run, finish: () => resolveDone() };
  }

  const lesson: Lesson = {
    id: "fake-lesson", kind: "exercise", title: "Fake", summary: "s", brokers: ["rabbitmq"], minutes: 1, intro: "i", recap: ["r"],
    steps: [
      {
        id: "kill", title: "Kill it", body: "b", scenario: { yaml: "version: 1" }, hints: ["h"],
        check: { kind: "all", checks: [{ kind: "replicaState", id: "killed", sticky: true, service: "worker", state: "killed" }, { kind: "ledger", field: "lost", op: "==", value: 0 }] },
        predict: { prompt: "p", metric: "ledger.lost", options: [{ text: "none", min: 0, max: 0 }, { text: "some", min: 1 }], explanation: "e" },
      },
      { id: "conflict", title: "Conflict", body: "b", hints: ["h"], check: { kind: "runError", code: "CONFLICT", message: "order_queue" } },
    ],
  };

  it("re-evaluates while a learner watches, keeps sticky parts, completes the step, and decides the prediction", async () => {
    const state = { status: "running" as RunStatus, frame: frame() };
    const { run, finish } = fakeEngineRun("run-1", state);
    const engine = { get: (id: string) => (id === "run-1" ? run : undefined), list: () => [run] } as unknown as Engine;
    const service = createLessonService({
      engine,
      progress: createProgressStore({ file: path.join(dir, "svc", "progress.json") }),
      examples: { read: async () => "" },
      readSnapshot: async (r) => ({ ...emptySnapshot(), ...(r ? { run: fakeRun({ id: r.id, status: r.status(), frame: r.latestFrame() }) } : {}) }),
      findLesson: (id) => (id === lesson.id ? lesson : undefined),
      intervalMs: 20,
    });
    const learnerId = "learner-svc-1";
    const pushed: LessonCheckUpdate[] = [];
    const first = await service.watch("s1", { learnerId, lessonId: lesson.id, stepId: "kill" }, (u) => pushed.push(u));
    assert.equal(first.result.state, "fail");
    assert.equal(first.runId, undefined, "no run yet");

    await service.predict(learnerId, lesson.id, "kill", 1);
    await service.attempt("s1", { learnerId, lessonId: lesson.id, stepId: "kill", runId: "run-1", scenario: "version: 1" });
    state.frame = frame({ services: { worker: [{ replica: 0, state: "killed", restarts: 0, connections: {} }] } });
    await waitFor(() => pushed.find((u) => u.result.state === "pass"), { timeoutMs: 2_000, description: "a pushed green check" });
    // The replica comes back: the sticky part holds for this run.
    state.frame = frame();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = pushed.at(-1)!;
    assert.equal(latest.result.state, "pass");
    assert.equal(latest.result.children![0]!.held, true);
    assert.ok(latest.progress.steps["kill"]?.completedAt);
    assert.equal(latest.progress.lastRunId, "run-1");

    state.status = "finished";
    state.frame = frame({ ledger: { confirmed: 10, consumed: 10, lost: 0, duplicated: 0, recovered: 0 } });
    finish();
    const decided = await waitFor(async () => (await service.open(learnerId, lesson.id)).progress.predictions["kill"]?.correct !== undefined && (await service.open(learnerId, lesson.id)).progress, { timeoutMs: 2_000 });
    assert.deepEqual({ actual: decided.predictions["kill"]!.actual, correct: decided.predictions["kill"]!.correct }, { actual: 0, correct: false });
    service.close();
  });

  it("unlocks a prediction whose run is gone after a restart, so the next run decides it", async () => {
    const file = path.join(dir, "svc3", "progress.json");
    const before = createProgressStore({ file });
    await before.update("learner-svc-3", lesson.id, (p) => ({ ...p, predictions: { kill: { choice: 1, at: 1, runId: "run-from-before-the-restart" } } }));
    await before.flush();
    const service = createLessonService({
      engine: { get: () => undefined, list: () => [] } as unknown as Engine,
      progress: createProgressStore({ file }),
      examples: { read: async () => "" },
      readSnapshot: async () => emptySnapshot(),
      findLesson: () => lesson,
    });
    const opened = await service.open("learner-svc-3", lesson.id);
    assert.deepEqual(opened.progress.predictions["kill"], { choice: 1, at: 1 });
    assert.equal(opened.run, undefined);
    service.close();
  });

  it("believes a run error only when the engine holds a failed run that says so", async () => {
    const { run } = fakeEngineRun("failed-1", { status: "failed", frame: frame(), errors: ['queue "order_queue" already exists with x-message-ttl=none, the scenario asks for 60000'] });
    const scenario = "version: 1\nname: fixture\nbrokers: { rabbit: { kind: rabbitmq } }\nservices: [{ name: a }]\n";
    const engine = { get: () => undefined, list: () => [Object.assign(run, { scenario: { ...fixtureScenario(), name: "fixture" } })] } as unknown as Engine;
    const service = createLessonService({
      engine,
      progress: createProgressStore({ file: path.join(dir, "svc2", "progress.json") }),
      examples: { read: async () => "" },
      readSnapshot: async (_r, _needs, attempt) => ({ ...emptySnapshot(), ...(attempt ? { attempt } : {}) }),
      findLesson: () => lesson,
    });
    const base = { learnerId: "learner-svc-2", lessonId: lesson.id, stepId: "conflict", scenario };
    const forged = await service.attempt("s2", { ...base, error: { code: "CONFLICT", message: 'queue "order_queue" is invented' } });
    assert.equal(forged.result.state, "fail");
    const real = await service.attempt("s2", { ...base, error: { code: "CONFLICT", message: 'queue "order_queue" already exists with x-message-ttl=none, the scenario asks for 60000' } });
    assert.equal(real.result.state, "pass");
    assert.ok(JSON.parse(readFileSync(path.join(dir, "svc2", "progress.json"), "utf8")).learners["learner-svc-2"].lessons[lesson.id].steps.conflict.completedAt);
    service.close();
  });
});
