// The lesson engine's pure pieces: scenario paths and patches, metric paths, lesson text,
// progress moves (steps, quiz, predictions), and resolving a step's scenario.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lessonById } from "../../../lib/lessons/catalogue";
import { describeMetric, metricValue, parseMetricPath } from "../../../lib/lessons/metric-path";
import { applyPatches, parsePatchPath, readPath } from "../../../lib/lessons/patch";
import { completeStep, decidePrediction, emptyProgress, gradeAnswer, lockPrediction, optionFor, recordAnswer, recordPrediction, tally } from "../../../lib/lessons/progress";
import { stepSolutionText, stepStartText } from "../../../lib/lessons/resolve";
import type { Lesson } from "../../../lib/lessons/schema";
import { parseInline, parseRichText } from "../../../lib/lessons/text";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { consumer, fixtureScenario, frame, scenarioText } from "./fixtures";

describe("scenario paths and patches", () => {
  it("parses keys, names in brackets (with dots), indexes and appends", () => {
    assert.deepEqual(parsePatchPath("services[worker].consumers[0].ack"), [{ key: "services" }, { name: "worker" }, { key: "consumers" }, { index: 0 }, { key: "ack" }]);
    assert.deepEqual(parsePatchPath("resources.rabbit.queues[logs.monitor]"), [{ key: "resources" }, { key: "rabbit" }, { key: "queues" }, { name: "logs.monitor" }]);
    assert.deepEqual(parsePatchPath("faults[+]"), [{ key: "faults" }, { append: true }]);
    assert.ok("error" in (parsePatchPath("services..x") as object));
  });

  it("reads a value from a validated scenario, by element name", () => {
    const scenario = fixtureScenario();
    assert.equal(readPath(scenario, "services[worker].consumers[process].prefetch"), 1);
    assert.equal(readPath(scenario, "services[worker].replicas"), 3);
    assert.equal(readPath(scenario, "services[nobody].replicas"), undefined);
  });

  it("patches YAML in place: sets, adds and removes fields, keeping the comments", () => {
    const text = `# a comment that stays\n${scenarioText}`;
    const patched = applyPatches(text, [
      { set: "services[worker].consumers[process].ack", value: "auto" },
      { set: "services[worker].consumers[process].work", value: { ms: 60 } },
      { set: "faults", value: [{ at: "2s", kill: "worker" }] },
      { remove: "services[order-service].producers[new-orders].count" },
    ]);
    assert.ok(patched.ok, patched.ok ? "" : patched.error);
    assert.match(patched.text, /^# a comment that stays/);
    const parsed = parseScenarioText(patched.text);
    assert.ok(parsed.ok);
    const worker = parsed.scenario.services.find((s) => s.name === "worker")!.consumers[0]!;
    assert.equal(worker.ack, "auto");
    assert.equal(worker.work.ms, 60);
    assert.deepEqual(parsed.scenario.faults, [{ at: 2000, action: "kill", service: "worker" }]);
    assert.equal(parsed.scenario.services[0]!.producers[0]!.count, undefined);
  });

  it("says which part of a patch path does not exist", () => {
    const patched = applyPatches(scenarioText, [{ set: "services[billing].replicas", value: 2 }]);
    assert.deepEqual(patched, { ok: false, error: 'in "services[billing].replicas" at segment 2: no element named "billing"' });
    assert.equal(applyPatches("a: [", []).ok, false);
  });
});

describe("metric paths", () => {
  it("parses sections, keys with dots and slashes, and rejects unknown fields", () => {
    assert.deepEqual(parseMetricPath("consumers.inventory-service/update-stock.acked"), { section: "consumers", key: "inventory-service/update-stock", field: "acked" });
    assert.deepEqual(parseMetricPath("queues.payments.dead.messages"), { section: "queues", key: "payments.dead", field: "messages" });
    assert.deepEqual(parseMetricPath("ledger.lost"), { section: "ledger", field: "lost" });
    assert.ok("error" in parseMetricPath("consumers.x.colour"));
    assert.ok("error" in parseMetricPath("widgets.x.count"));
    assert.ok("error" in parseMetricPath("ledger.x.lost"));
  });

  it("reads one value, or the sum of a '*' path, from a frame", () => {
    const f = frame({ consumers: { "a/x": consumer({ received: 100 }), "b/y": consumer({ received: 40 }) }, ledger: { confirmed: 5, consumed: 4, lost: 1, duplicated: 0, recovered: 0 } });
    assert.equal(metricValue(f, "consumers.a/x.received"), 100);
    assert.equal(metricValue(f, "consumers.*.received"), 140);
    assert.equal(metricValue(f, "ledger.lost"), 1);
    assert.equal(metricValue(f, "queues.order_queue.consumers"), 3);
    assert.equal(metricValue(f, "consumers.c/z.received"), undefined);
    assert.equal(describeMetric(parseMetricPath("consumers.a/x.deadLettered") as never), "a/x dead-lettered");
  });

  it("walks the pattern views under patterns., reading booleans as 1 and 0", () => {
    assert.deepEqual(parseMetricPath("patterns.tasks.counts.succeeded"), { section: "patterns", key: "tasks.counts", field: "succeeded" });
    assert.ok("error" in parseMetricPath("patterns.x"));
    assert.ok("error" in parseMetricPath("patterns.requests.*.counters.sent"));
    const f = frame({
      patterns: {
        requests: { "a/ask": { counters: { sent: 6, confirmed: 6, failed: 0, replied: 4, errors: 0, timedOut: 2, late: 1, unmatched: 0, pending: 0, done: true }, rtt: {} as never, window: {} as never, recent: [] } },
        projections: { "v/p": { replay: { done: true } } as never },
      },
    });
    assert.equal(metricValue(f, "patterns.requests.a/ask.counters.timedOut"), 2);
    assert.equal(metricValue(f, "patterns.projections.v/p.replay.done"), 1);
    assert.equal(metricValue(f, "patterns.tasks.counts.succeeded"), undefined);
  });
});

describe("lesson text", () => {
  it("parses paragraphs, lists and inline marks, and keeps script links out", () => {
    const blocks = parseRichText("Press **Start** and read `x-death`, *once*.\n\n- one\n- two\n\n1. first\n2. second\n\nSee [the lab](/lab) or [this](javascript:alert(1)).");
    assert.deepEqual(blocks.map((b) => b.type), ["p", "ul", "ol", "p"]);
    assert.deepEqual(parseInline("Press **Start** and read `x-death`, *once*."), [
      { type: "text", text: "Press " }, { type: "strong", text: "Start" }, { type: "text", text: " and read " }, { type: "code", text: "x-death" }, { type: "text", text: ", " }, { type: "em", text: "once" }, { type: "text", text: "." },
    ]);
    const last = blocks[3]!;
    assert.ok(last.type === "p");
    assert.deepEqual(last.inline.filter((i) => i.type === "link"), [{ type: "link", text: "the lab", href: "/lab" }]);
    assert.deepEqual(parseInline("bound with `order.*` and `#`"), [{ type: "text", text: "bound with " }, { type: "code", text: "order.*" }, { type: "text", text: " and " }, { type: "code", text: "#" }]);
  });
});

describe("progress", () => {
  const lesson = lessonById("acknowledgements") as Lesson;
  const question = lesson.steps[0]!.quiz![0]!;
  const prediction = lesson.steps[1]!.predict!;

  it("completes steps once, and the lesson when every step is done and every question answered", () => {
    let p = emptyProgress(lesson.id, 1);
    for (const q of lesson.steps.flatMap((s) => s.quiz ?? [])) p = recordAnswer(p, q, [0], 1, lesson);
    p = completeStep(lesson, p, "manual-ack", { runId: "r1", detail: "ok" }, 2);
    assert.equal(p.steps["manual-ack"]?.completedAt, 2);
    assert.equal(completeStep(lesson, p, "manual-ack", { detail: "again" }, 3), p, "a completed step stays as it was");
    p = completeStep(lesson, p, "auto-ack", { detail: "ok" }, 4);
    assert.equal(p.completedAt, undefined);
    p = completeStep(lesson, p, "prefetch-exposure", { detail: "ok" }, 5);
    assert.equal(p.completedAt, 5);
    assert.equal(tally(lesson, p).complete, true);
  });

  it("grades answers as a set, and keeps whether the first try was right", () => {
    assert.deepEqual(gradeAnswer(question, [1]), { correct: true, correctChoices: [1] });
    assert.equal(gradeAnswer(question, [1, 2]).correct, false);
    let p = recordAnswer(emptyProgress(lesson.id, 1), question, [0], 2);
    p = recordAnswer(p, question, [1], 3);
    assert.deepEqual(p.answers[question.id], { choices: [1], correct: true, firstCorrect: false, at: 3 });
    assert.equal(tally(lesson, p).rightFirstTime, 0);
  });

  it("locks a prediction to the next run, refuses changes after, and lets the run decide it", () => {
    let p = recordPrediction(emptyProgress(lesson.id, 1), "auto-ack", 0, 2);
    assert.ok(!("error" in p));
    p = lockPrediction(p, "auto-ack", "run-1", 3);
    assert.equal(p.predictions["auto-ack"]?.runId, "run-1");
    assert.equal(lockPrediction(p, "auto-ack", "run-2", 4).predictions["auto-ack"]?.runId, "run-1");
    assert.ok("error" in recordPrediction(p, "auto-ack", 1, 5));
    assert.equal(optionFor(prediction, 0), 0);
    assert.equal(optionFor(prediction, 9), 1);
    assert.equal(optionFor(prediction, 150), 2);
    p = decidePrediction(p, "auto-ack", prediction, 9, 6);
    assert.deepEqual(p.predictions["auto-ack"], { choice: 0, at: 2, runId: "run-1", actual: 9, correct: false });
    assert.equal(tally(lesson, p).predictionsDecided, 1);
    assert.equal(lockPrediction(recordPrediction(emptyProgress(lesson.id, 1), "auto-ack", -1, 2) as never, "auto-ack", "r", 3).predictions["auto-ack"]?.runId, undefined, "a skipped prediction is not graded");
  });
});

describe("a step's scenario", () => {
  const examples = { "crash-redelivery": "version: 1\nname: crash-redelivery\n# fixture\nbrokers: { rabbit: { kind: rabbitmq } }\nresources: { rabbit: { queues: [{ name: order_queue }] } }\nservices:\n  - name: order-service\n    producers: [{ name: new-orders, broker: rabbit, to: { queue: order_queue } }]\n  - name: inventory-service\n    consumers: [{ name: update-stock, broker: rabbit, from: { queue: order_queue }, ack: manual, prefetch: 20 }]\n" };
  const lesson = lessonById("acknowledgements") as Lesson;

  it("starts from the nearest step that loads one, and Show me applies the step's patch to it", () => {
    const start = stepStartText(lesson, 1, examples);
    assert.ok(start.ok);
    assert.equal(start.text, examples["crash-redelivery"]);
    const solution = stepSolutionText(lesson, 1, examples);
    assert.ok(solution.ok);
    assert.match(solution.text, /ack: auto/);
    assert.match(solution.text, /# fixture/);
    const third = stepSolutionText(lesson, 2, examples);
    assert.ok(third.ok && /prefetch: 1\b/.test(third.text) && /ack: manual/.test(third.text));
  });

  it("says so when an example is missing", () => {
    assert.deepEqual(stepStartText(lesson, 0, {}), { ok: false, error: 'the example "crash-redelivery" is not available' });
  });
});
