// The broker capability a check reads: a lesson's checks must be answerable by a broker it
// lists (a queue-depth check in a lesson that runs on Kafka alone could never pass).
import { descriptorOf, labelsWith } from "../brokers";
import type { Capability } from "../brokers";
import { checkNodes } from "./checks";
import type { CheckKind } from "./checks";
import type { Lesson } from "./schema";

/** Checks that read a broker, and what the broker must be able to report for them. */
export const checkCapability: Partial<Record<CheckKind, Capability>> = {
  queueDepth: "queueDepth",
  queueConsumers: "consumerCount",
  xDeath: "deadLetter",
  consumerGroupLag: "lag",
  consumerGroupOffsets: "consumerGroups",
  partitionByKey: "orderingKey",
};

/** One line per check of the lesson that none of its brokers can answer. */
export function checkCapabilityProblems(lesson: Lesson): string[] {
  return lesson.steps.flatMap((step) =>
    checkNodes(step.check, step.id).flatMap(({ id, check }) => {
      const capability = checkCapability[check.kind];
      if (!capability || lesson.brokers.some((kind) => descriptorOf(kind).capabilities[capability])) return [];
      return [`${lesson.id}: check ${id} (${check.kind}) needs a broker with ${capability} (${labelsWith(capability).join(", ") || "none yet"}), but the lesson lists ${lesson.brokers.join(", ") || "none"}`];
    }),
  );
}
