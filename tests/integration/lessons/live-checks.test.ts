// Checks that read the brokers and Jaeger, decided by the lesson service over real runs: x-death in
// a dead-letter queue (management API peek), a CONSUMER span with brokerlab.redelivered=true in
// Jaeger, and a prediction that the run's ledger proves wrong. Each test uses its own queue names.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Check } from "../../../lib/lessons/checks";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import type { Lesson } from "../../../lib/lessons/schema";
import { lessonSchema } from "../../../lib/lessons/schema";
import { loadConfig } from "../../../server/config";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import { createDeadLetterReader } from "../../../server/lessons/dead-letters";
import { createExampleSource } from "../../../server/lessons/examples";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { createLessonService } from "../../../server/lessons/service";
import { createSnapshotReader } from "../../../server/lessons/snapshot";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const engine = testEngine();
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-live-checks-"));
const lessons = new Map<string, Lesson>();
const progress = createProgressStore({ file: path.join(dir, "progress.json") });
const service = createLessonService({
  engine,
  progress,
  examples: createExampleSource(),
  readSnapshot: createSnapshotReader({ engine, jaeger: createJaegerQueryClient({ baseUrl: loadConfig().JAEGER_QUERY_URL }), readDeadLetters: createDeadLetterReader() }),
  findLesson: (id) => lessons.get(id),
  intervalMs: 500,
});
const learnerId = `live-${Date.now().toString(36)}`;

after(async () => {
  service.close();
  await engine.shutdown();
  await progress.flush();
  rmSync(dir, { recursive: true, force: true });
});

/** A one-step lesson around a check, registered for the service to find. */
function lessonWith(id: string, check: Check, predict?: Lesson["steps"][number]["predict"]): Lesson {
  const lesson: Lesson = {
    id, kind: "exercise", title: id, summary: "test", brokers: ["rabbitmq"], minutes: 1, intro: "test", recap: ["test"],
    steps: [{ id: "only", title: "only", body: "test", scenario: { yaml: "version: 1" }, check, hints: ["none"], ...(predict ? { predict } : {}) }],
  };
  assert.ok(lessonSchema.safeParse(lesson).success);
  lessons.set(id, lesson);
  return lesson;
}

/** Watches the step over the run until the check passes (or the timeout), returning every update. */
async function watchUntilPass(lessonId: string, runId: string, timeoutMs: number): Promise<LessonCheckUpdate> {
  const updates: LessonCheckUpdate[] = [];
  updates.push(await service.watch(`socket-${lessonId}`, { learnerId, lessonId, stepId: "only", runId }, (u) => updates.push(u)));
  try {
    return await waitFor(() => updates.find((u) => u.result.state === "pass"), { timeoutMs, description: () => `${lessonId} to pass; last: ${JSON.stringify(updates.at(-1)?.result)}` });
  } finally {
    service.unwatch(`socket-${lessonId}`);
  }
}

describe("live checks over the brokers and Jaeger", { timeout: 240_000 }, () => {
  it("finds the x-death header of a dead-lettered message by peeking into the DLQ", async () => {
    const q = unique("lx-pay");
    const scenario = loadScenario(`
version: 1
name: ${q}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    exchanges: [{ name: ${q}.dlx, type: direct }]
    queues:
      - { name: ${q}, deadLetter: { exchange: ${q}.dlx, routingKey: dead } }
      - { name: ${q}.dead }
    bindings: [{ exchange: ${q}.dlx, queue: ${q}.dead, routingKey: dead }]
services:
  - name: checkout
    producers: [{ name: pay, broker: rabbit, to: { queue: ${q} }, rate: { perSecond: 20 }, count: 5 }]
  - name: payments
    consumers:
      - { name: charge, broker: rabbit, from: { queue: ${q} }, failures: { errorRate: 1 }, onError: dead-letter }
`);
    const lesson = lessonWith(q, {
      kind: "all",
      checks: [
        { kind: "xDeath", sticky: true, queue: `${q}.dead`, reason: "rejected", fromQueue: q, atLeast: 5 },
        { kind: "queueDepth", queue: `${q}.dead`, op: ">=", value: 5 },
      ],
    });
    const before = await service.watch("socket-before", { learnerId, lessonId: lesson.id, stepId: "only" }, () => {});
    service.unwatch("socket-before");
    assert.equal(before.result.state, "fail", "red before any run");
    const run = await engine.start(scenario, { durationMs: 12_000 });
    const green = await watchUntilPass(lesson.id, run.id, 12_000);
    assert.match(green.result.children![0]!.detail, /5 message\(s\) in .*\.dead carry x-death with reason rejected/);
    await run.done();
  });

  it("finds the CONSUMER span of a redelivered message in Jaeger, by run id", async () => {
    const q = unique("lx-redeliver");
    const scenario = loadScenario(`
version: 1
name: ${q}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${q} }] } }
services:
  - name: sender
    producers: [{ name: orders, broker: rabbit, to: { queue: ${q} }, rate: { perSecond: 25 }, count: 80 }]
  - name: receiver
    consumers: [{ name: take, broker: rabbit, from: { queue: ${q} }, prefetch: 10, work: { ms: 60 } }]
faults:
  - { at: 1500ms, kill: receiver }
  - { at: 2500ms, start: receiver }
`);
    const lesson = lessonWith(q, {
      kind: "all",
      checks: [
        { kind: "runMetric", path: "consumers.receiver/take.redelivered", op: ">", value: 0 },
        { kind: "traceHasSpan", sticky: true, service: "receiver", spanKind: "consumer", attributes: { "brokerlab.redelivered": true } },
      ],
    });
    const run = await engine.start(scenario, { limitMs: 60_000 });
    const green = await watchUntilPass(lesson.id, run.id, 40_000);
    assert.match(green.result.children![1]!.detail, /Jaeger holds \d+ CONSUMER span\(s\) in receiver with brokerlab.redelivered=true/);
    await run.done();
  });

  it("marks a prediction wrong when the run's ledger disagrees with it", async () => {
    const q = unique("lx-autoack");
    const text = `
version: 1
name: ${q}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${q} }] } }
services:
  - name: sender
    producers: [{ name: orders, broker: rabbit, to: { queue: ${q} }, rate: { perSecond: 25 }, count: 60 }]
  - name: receiver
    consumers: [{ name: take, broker: rabbit, from: { queue: ${q} }, ack: auto, work: { ms: 60 } }]
faults:
  - { at: 1500ms, kill: receiver }
  - { at: 2500ms, start: receiver }
`;
    const lesson = lessonWith(q, { kind: "ledger", field: "lost", op: ">", value: 0 }, {
      prompt: "How many are lost?",
      metric: "ledger.lost",
      options: [{ text: "none", min: 0, max: 0 }, { text: "some", min: 1 }],
      explanation: "auto-ack",
    });
    await service.predict(learnerId, lesson.id, "only", 0);
    const run = await engine.start(loadScenario(text), { durationMs: 8_000 });
    await service.attempt("socket-predict", { learnerId, lessonId: lesson.id, stepId: "only", runId: run.id, scenario: text });
    await run.done();
    const decided = await waitFor(async () => {
      const opened = await service.open(learnerId, lesson.id);
      return opened.progress.predictions["only"]?.correct !== undefined ? opened.progress.predictions["only"] : undefined;
    }, { timeoutMs: 10_000, description: "the prediction to be decided" });
    assert.equal(decided.runId, run.id);
    assert.equal(decided.correct, false);
    assert.ok((decided.actual ?? 0) > 0, `lost ${decided.actual}`);
  });
});
