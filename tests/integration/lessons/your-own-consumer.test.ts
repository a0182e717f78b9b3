// Lesson 26 on the real stack: its step "your-consumer" passes only with a program outside
// Brokerlab consuming the lesson's queue. The sweep (solutions.test.ts) starts no outside programs,
// so this test does: it runs the lesson's own pika and amqplib consumers against a lesson run with
// names of its own, and shows the check red with no consumer and with the course's auto-ack one.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { yourOwnConsumer, pikaConsumer, amqplibConsumer } from "../../../lib/lessons/catalogue/26-your-own-consumer";
import type { CheckResult } from "../../../lib/lessons/evaluate";
import type { LessonCheckUpdate } from "../../../lib/lessons/events";
import { stepSolutionText } from "../../../lib/lessons/resolve";
import { actualName, isolateNames, newNameSuffix } from "../../../lib/scenario/isolate";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { loadConfig } from "../../../server/config";
import { repoRoot, testEngine } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { testLessonService } from "../../support/lesson-service";
import { waitFor } from "../../support/wait-for";

const stepIndex = yourOwnConsumer.steps.findIndex((step) => step.id === "your-consumer");
const engine = testEngine();
const lessons = testLessonService(engine);
const programs = generatedPrograms("own-consumer");
// The TypeScript consumer is an ES module importing amqplib: it must sit where the repository's
// node_modules resolve (ES modules ignore NODE_PATH), so it goes under the ignored .stack folder.
mkdirSync(path.join(repoRoot, ".stack"), { recursive: true });
const moduleDir = mkdtempSync(path.join(repoRoot, ".stack", "own-consumer-"));
const moduleChildren: ChildProcess[] = [];
const learnerId = `own-consumer-${Date.now().toString(36)}`;

after(async () => {
  programs.cleanUp();
  for (const child of moduleChildren) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(moduleDir, { recursive: true, force: true });
  await lessons.close();
  await engine.shutdown();
});

/** The course's first consumer as printed (auto_ack=True), pointed at the run's queue. */
const courseAutoAckConsumer = `import os
import pika
def callback(ch, method, properties, body):
    print(f" [x] Received {body}")
connection = pika.BlockingConnection(pika.URLParameters(os.environ["RABBITMQ_URL"]))
channel = connection.channel()
channel.basic_consume(queue=os.environ["QUEUE"], on_message_callback=callback, auto_ack=True)
channel.start_consuming()
`;

/** Python through the shared helper; TypeScript as an ES module beside the repository's node_modules. */
function startProgram(language: "python" | "typescript", source: string, fileName: string, env: Record<string, string>) {
  if (language === "python") return programs.start({ language, library: "pika", fileName, run: [], source }, env);
  const file = path.join(moduleDir, fileName);
  writeFileSync(file, source);
  const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  moduleChildren.push(child);
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { output: () => text, stop: async () => void (child.exitCode === null && child.kill("SIGKILL")) };
}

const flatten = (result: CheckResult): CheckResult[] => [result, ...(result.children ?? []).flatMap(flatten)];
const part = (update: LessonCheckUpdate | undefined, id: string) => (update ? flatten(update.result).find((r) => r.id === id) : undefined);

/** Starts the step's scenario as a lesson run (names of its own) and watches the step's check. */
async function startStep() {
  const text = stepSolutionText(yourOwnConsumer, stepIndex, {});
  assert.ok(text.ok);
  const parsed = parseScenarioText(text.text);
  assert.ok(parsed.ok);
  const { scenario, names } = isolateNames(parsed.scenario, newNameSuffix());
  const run = await engine.start(scenario, { durationMs: 120_000, resourceNames: names });
  const focus = { learnerId, lessonId: yourOwnConsumer.id, stepId: "your-consumer" };
  const updates: LessonCheckUpdate[] = [await lessons.service.attempt("own", { ...focus, scenario: text.text, runId: run.id })];
  updates.push(await lessons.service.watch("own", { ...focus, runId: run.id }, (u) => updates.push(u)));
  const env = { RABBITMQ_URL: loadConfig().RABBITMQ_URL, QUEUE: actualName(names, "queue", "order_queue") };
  const stop = async () => {
    lessons.service.unwatch("own");
    await run.stop("test done");
  };
  return { run, updates, env, stop };
}

describe("lesson 26: your own consumer, outside Brokerlab", { timeout: 600_000 }, () => {
  for (const [language, source, fileName] of [["python", pikaConsumer, "consumer.py"], ["typescript", amqplibConsumer, "consumer.mts"]] as const) {
    it(`the lesson's ${language} consumer drains the queue with manual acks and the check turns green`, async (t) => {
      const { run, updates, env, stop } = await startStep();
      try {
        // A backlog first, as the step says: about 200 orders waiting.
        await waitFor(() => run.latestFrame().ledger.confirmed >= 200 || undefined, { timeoutMs: 30_000, description: "a backlog of 200 orders" });
        const program = startProgram(language, source, fileName, env);
        const passed = await waitFor(() => updates.find((u) => u.result.state === "pass"), {
          timeoutMs: 90_000, intervalMs: 500,
          description: () => `the check to pass; last: ${JSON.stringify(updates.at(-1)?.result.children?.map((c) => [c.label, c.state, c.detail]))}; program: ${program.output().slice(-500)}`,
        });
        for (const r of flatten(passed.result).slice(1)) t.diagnostic(`${r.label}: ${r.detail}`);
        t.diagnostic(`confirmed when it passed: ${run.latestFrame().ledger.confirmed}; Brokerlab consumed: ${run.latestFrame().ledger.consumed}`);
        assert.equal(run.latestFrame().ledger.consumed, 0, "no Brokerlab service consumed an order");
        assert.match(program.output(), /order \{/, "the program printed the orders it processed");
        await program.stop();
      } finally {
        await stop();
      }
    });
  }

  it("stays red with no consumer, and the ack part stays red with the course's auto_ack consumer", async (t) => {
    const { run, updates, env, stop } = await startStep();
    try {
      await waitFor(() => run.latestFrame().ledger.confirmed >= 450 || undefined, { timeoutMs: 40_000, description: "450 orders sent with nobody consuming" });
      const seen = updates.length;
      await waitFor(() => updates.length >= seen + 2 || undefined, { timeoutMs: 10_000, description: "two evaluations" });
      assert.equal(updates.find((u) => u.result.state === "pass"), undefined);
      assert.notEqual(part(updates.at(-1), "drained")?.state, "pass", "no consumer: not drained");
      t.diagnostic(`no consumer: ${JSON.stringify(flatten(updates.at(-1)!.result).map((r) => [r.label, r.state, r.detail]))}`);

      const program = programs.start({ language: "python", library: "pika", fileName: "course_consumer.py", run: [], source: courseAutoAckConsumer }, env);
      await waitFor(() => (part(updates.at(-1), "drained")?.state === "pass" ? true : undefined), { timeoutMs: 40_000, description: `the auto-ack consumer to drain the queue; program: ${program.output().slice(-300)}` });
      // Four of the management API's statistics intervals (5 s each): auto-ack never leaves a delivery unacked.
      // (The service pushes an update when the verdict changes, so every update since is looked at.)
      const drainedAt = updates.length - 1;
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      assert.equal(run.latestFrame().status, "running", "the run was still on");
      for (const u of updates.slice(drainedAt)) assert.notEqual(part(u, "manual-acks")?.state, "pass", `auto-ack passed the manual-ack part: ${JSON.stringify(part(u, "manual-acks"))}`);
      assert.equal(updates.find((u) => u.result.state === "pass"), undefined);
      t.diagnostic(`auto-ack: ${JSON.stringify(flatten(updates.at(-1)!.result).map((r) => [r.label, r.state, r.detail]))}`);
      await program.stop();
    } finally {
      await stop();
    }
  });
});
