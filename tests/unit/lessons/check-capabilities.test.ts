// Every check of the catalogue that reads a broker can be answered by a broker its lesson lists,
// and a check no listed broker can answer is reported by lesson, check and capability.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCapability, checkCapabilityProblems } from "../../../lib/lessons/check-capabilities";
import { checkNodes } from "../../../lib/lessons/checks";
import { lessons } from "../../../lib/lessons/catalogue";
import type { Lesson } from "../../../lib/lessons/schema";

describe("check capabilities", () => {
  it("every lesson's broker checks are answered by a broker the lesson lists", () => {
    const brokerChecks = lessons.flatMap((l) => l.steps.flatMap((s) => checkNodes(s.check, s.id))).filter(({ check }) => checkCapability[check.kind]);
    assert.ok(brokerChecks.length >= 10, `the catalogue has ${brokerChecks.length} checks that read a broker`);
    assert.deepEqual(lessons.flatMap(checkCapabilityProblems), []);
  });

  it("a queue-depth check inside an all, in a lesson on Kafka alone, is reported", () => {
    const kafka = lessons.find((lesson) => lesson.brokers.length === 1 && lesson.brokers[0] === "kafka")!;
    const [first, ...rest] = kafka.steps;
    const check = { kind: "all", checks: [{ kind: "ledger", field: "lost", op: "==", value: 0 }, { kind: "queueDepth", queue: "orders", op: "==", value: 0 }] };
    const lesson = { ...kafka, steps: [{ ...first!, id: "drained", check }, ...rest] } as unknown as Lesson;
    assert.deepEqual(checkCapabilityProblems(lesson), [
      `${kafka.id}: check drained.2 (queueDepth) needs a broker with queueDepth (RabbitMQ, Amazon SQS/SNS), but the lesson lists kafka`,
    ]);
    assert.deepEqual(checkCapabilityProblems({ ...lesson, brokers: ["kafka", "rabbitmq"] }), []);
  });
});
