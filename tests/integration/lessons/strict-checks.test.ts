// Checks tightened by issue 14, on the real stack, without the learner's change: each stays red on
// the scenario the step loads, and lesson 5's "processed again" waits for acks after an outage.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import type { CheckResult } from "../../../lib/lessons/evaluate";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import { applyPatches } from "../../../lib/lessons/patch";
import { stepStartText } from "../../../lib/lessons/resolve";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { repoRoot, testEngine } from "../../support/engine";
import { testLessonService } from "../../support/lesson-service";
import { waitFor } from "../../support/wait-for";

const engine = testEngine();
const lessonService = testLessonService(engine);
const service = lessonService.service;
const learnerId = `strict-${Date.now().toString(36)}`;
const examples = { "order-chain": readFileSync(path.join(repoRoot, "examples", "order-chain.yaml"), "utf8") };

after(async () => {
  await lessonService.close();
  await engine.shutdown();
});

const part = (result: CheckResult, label: RegExp): CheckResult | undefined => (label.test(result.label) ? result : result.children?.map((c) => part(c, label)).find(Boolean));

/** Runs `text` to its end as the step's run, and returns every evaluation of the step's check. */
async function watchRun(lessonId: string, stepId: string, text: string, durationMs?: number, onUpdate: (u: LessonCheckUpdate) => void = () => undefined): Promise<LessonCheckUpdate[]> {
  const parsed = parseScenarioText(text);
  assert.ok(parsed.ok, "the scenario validates");
  const run = await engine.start(parsed.scenario, durationMs ? { durationMs } : { limitMs: 120_000 });
  const focus = { learnerId, lessonId, stepId };
  const updates: LessonCheckUpdate[] = [await service.attempt("strict", { ...focus, scenario: text, runId: run.id })];
  try {
    updates.push(await service.watch("strict", { ...focus, runId: run.id }, (u) => void (updates.push(u), onUpdate(u))));
    await run.done();
    const seen = updates.length;
    // The service may stop pushing once the run has ended; the last evaluation then stands.
    await waitFor(() => updates.length >= seen + 2 || undefined, { timeoutMs: 5_000, intervalMs: 200, description: "evaluations after the run ended" }).catch(() => undefined);
    return updates;
  } finally {
    service.unwatch("strict");
    await run.stop("checked");
  }
}

function startText(lessonId: string, stepId: string): string {
  const lesson = lessons.find((l) => l.id === lessonId)!;
  const text = stepStartText(lesson, lesson.steps.findIndex((s) => s.id === stepId), examples);
  assert.ok(text.ok, text.ok ? "" : text.error);
  return text.text;
}

describe("tightened lesson checks on the real stack", { timeout: 600_000 }, () => {
  it("connection-trouble/broker-restart: green only once orders are acknowledged after the outage", async () => {
    // A cut of inventory-service's link stands in for stopping the shared RabbitMQ by hand.
    const cut = applyPatches(startText("connection-trouble", "broker-restart"), [
      { set: "services[order-service].producers[new-orders].count", value: 200 },
      { set: "faults", value: [{ at: "3s", cut: "inventory-service", for: "6s" }] },
    ]);
    assert.ok(cut.ok);
    let cutEnds = Number.POSITIVE_INFINITY;
    const updates = await watchRun("connection-trouble", "broker-restart", cut.text, undefined, (u) => {
      if (cutEnds === Number.POSITIVE_INFINITY && part(u.result, /was reconnecting/)?.state === "pass") cutEnds = u.at + 6_000;
    });
    const early = updates.filter((u) => u.at < cutEnds - 1_000);
    assert.ok(early.length > 0, "evaluations during the outage");
    assert.equal(early.find((u) => u.result.state === "pass"), undefined, "the check passed before any ack after the outage");
    // Once the run has ended its services read "stopped", so the green moment is a live one.
    const passed = updates.find((u) => u.result.state === "pass");
    assert.ok(passed, JSON.stringify(updates.at(-1)?.result, null, 1));
    assert.match(part(passed.result, /processed again after the outage/)!.detail, /stopped acknowledging for \d+\.\d s, then acknowledged \d+ message/);
  });

  it("duplicates-ordering/idempotent-consumer: without idempotent: true, payments are booked twice and the check stays red", async () => {
    const updates = await watchRun("duplicates-ordering", "idempotent-consumer", startText("duplicates-ordering", "idempotent-consumer"));
    assert.equal(updates.find((u) => u.result.state === "pass"), undefined);
    const last = updates.at(-1)!.result;
    assert.equal(part(last, /^ledger-service's consumer is idempotent/)?.state, "fail");
    assert.notEqual(part(last, /No payment was booked twice/)?.state, "pass", `the lost acks made duplicates: ${JSON.stringify(part(last, /booked twice/))}`);
  });

  it("observability/fix-the-bottleneck: without more payment-service replicas, the 20 s run ships too few orders", async () => {
    const updates = await watchRun("observability", "fix-the-bottleneck", startText("observability", "fix-the-bottleneck"), 20_000);
    assert.equal(updates.find((u) => u.result.state === "pass"), undefined);
    const shipped = part(updates.at(-1)!.result, /shipping-service received all 150/);
    assert.ok(shipped && shipped.state !== "pass", JSON.stringify(shipped));
  });
});
