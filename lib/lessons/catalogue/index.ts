// The lesson catalogue: the 18 lessons of the course (DESIGN.md §6), the course's practical
// exercise, three lessons on Amazon SQS/SNS, and from 22 on the parts of the course those left out
// (ordering under retries, the two brokers side by side, producer guarantees, back-pressure, the
// learner's own consumer, observability II), in the order a learner takes them. Plain data; the unit tests validate every lesson.
import { checkNodes } from "../checks";
import type { Lesson } from "../schema";
import { helloQueue } from "./01-hello-queue";
import { workQueues } from "./02-work-queues";
import { acknowledgements } from "./03-acknowledgements";
import { declarationPitfalls } from "./04-declarations";
import { connectionTrouble } from "./05-connections";
import { pubsubFanout } from "./06-pubsub-fanout";
import { routing } from "./07-routing";
import { kafkaPartitions } from "./08-kafka";
import { eventSourcing } from "./09-event-sourcing";
import { retriesDeadLetters } from "./10-retries-dlq";
import { duplicatesOrdering } from "./11-duplicates";
import { callbacksWebhooks } from "./12-callbacks";
import { taskQueues } from "./13-task-queues";
import { requestReply } from "./14-request-reply";
import { observability } from "./15-observability";
import { choosingBroker } from "./16-choosing-a-broker";
import { security } from "./17-security";
import { knowledgeChecks } from "./18-knowledge-checks";
import { sqsVisibility } from "./19-sqs-visibility";
import { snsFilterPolicies } from "./20-sns-filter-policies";
import { sqsRedrive } from "./21-sqs-redrive";
import { orderingRetries } from "./22-ordering-retries";
import { sideBySide } from "./23-side-by-side";
import { producerGuarantees } from "./24-producer-guarantees";
import { backPressure } from "./25-back-pressure";
import { yourOwnConsumer } from "./26-your-own-consumer";
import { observability2 } from "./27-observability-2";
import { durability } from "./28-durability";
import { outbox } from "./30-outbox";
import { timeoutsCircuitBreakers } from "./29-timeouts-circuit-breakers";
import { securityInPractice } from "./31-security-in-practice";
import { redisPubsubStreams } from "./32-redis-pubsub-streams";
import { pubsubAckDeadlines } from "./33-pubsub-ack-deadlines";
import { choosingMeasured } from "./34-choosing-measured";
import { firstPipeline } from "./exercise-first-pipeline";

export const lessons: readonly Lesson[] = [
  helloQueue,
  workQueues,
  acknowledgements,
  declarationPitfalls,
  connectionTrouble,
  firstPipeline,
  pubsubFanout,
  routing,
  kafkaPartitions,
  eventSourcing,
  retriesDeadLetters,
  duplicatesOrdering,
  callbacksWebhooks,
  taskQueues,
  requestReply,
  observability,
  choosingBroker,
  security,
  knowledgeChecks,
  sqsVisibility,
  snsFilterPolicies,
  sqsRedrive,
  orderingRetries,
  sideBySide,
  producerGuarantees,
  backPressure,
  yourOwnConsumer,
  observability2,
  durability,
  timeoutsCircuitBreakers,
  outbox,
  securityInPractice,
  redisPubsubStreams,
  pubsubAckDeadlines,
  choosingMeasured,
];

export function lessonById(id: string): Lesson | undefined {
  return lessons.find((lesson) => lesson.id === id);
}

/** "Lesson 3" or "Exercise". */
export const lessonBadge = (lesson: Pick<Lesson, "kind" | "number">) => (lesson.kind === "exercise" ? "Exercise" : `Lesson ${lesson.number}`);

export interface CatalogueEntry {
  id: string;
  number?: number;
  kind: Lesson["kind"];
  title: string;
  summary: string;
  brokers: Lesson["brokers"];
  minutes: number;
  steps: { id: string; title: string; checkId: string; checkIds: string[]; predict: boolean; questions: number; questionIds: string[] }[];
}

/** The catalogue as GET /api/lessons returns it: ids, titles, and each step's check ids. */
export function catalogueSummary(): CatalogueEntry[] {
  return lessons.map((lesson) => ({
    id: lesson.id,
    ...(lesson.number !== undefined ? { number: lesson.number } : {}),
    kind: lesson.kind,
    title: lesson.title,
    summary: lesson.summary,
    brokers: lesson.brokers,
    minutes: lesson.minutes,
    steps: lesson.steps.map((step) => {
      const nodes = checkNodes(step.check, step.id);
      return { id: step.id, title: step.title, checkId: nodes[0]!.id, checkIds: nodes.map((n) => n.id), predict: step.predict !== undefined, questions: step.quiz?.length ?? 0, questionIds: (step.quiz ?? []).map((q) => q.id) };
    }),
  }));
}
