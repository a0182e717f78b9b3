// Generates a runnable Python program (pika for RabbitMQ, confluent-kafka for Kafka, boto3 for
// Amazon SQS/SNS/EventBridge, redis-py for Redis, google-cloud-pubsub for Google Cloud Pub/Sub)
// equivalent to one producer or consumer of a scenario. Pure: scenario in, source text out.
import type { Scenario } from "../scenario/schema";
import { generatePatternPython } from "./pattern-python";
import { codeFileStem, planCode, usesDatabase } from "./plan";
import type { CodePlan, CodegenSelection, ConsumerPlan, Endpoint, GeneratedCode, ProducerPlan } from "./plan";
import { pyAwsConsumerProgram, pyAwsProducerProgram } from "./python-aws";
import { pyKafkaConsumerProgram, pyKafkaProducerProgram } from "./python-kafka";
import { pyPubsubConsumerProgram, pyPubsubProducerProgram } from "./python-pubsub";
import { pyRedisConsumerProgram, pyRedisProducerProgram } from "./python-redis";
import { pyRabbitDatabaseProducerProgram } from "./python-outbox";
import { pyRabbitConsumerProgram, pyRabbitProducerProgram } from "./python-rabbitmq";
import { pyPreamble } from "./python-syntax";
import { lines, tidy } from "./source";

type Programs = { libraries: (plan: CodePlan) => string[]; producer: (plan: ProducerPlan) => string; consumer: (plan: ConsumerPlan) => string };

/** The one place a broker kind is tied to its client library and its program generators. */
const programsByKind: Record<Endpoint["kind"], Programs> = {
  rabbitmq: { libraries: () => ["pika"], producer: pyRabbitProducerProgram, consumer: pyRabbitConsumerProgram },
  kafka: { libraries: () => ["confluent-kafka"], producer: pyKafkaProducerProgram, consumer: pyKafkaConsumerProgram },
  aws: { libraries: () => ["boto3"], producer: pyAwsProducerProgram, consumer: pyAwsConsumerProgram },
  redis: { libraries: () => ["redis"], producer: pyRedisProducerProgram, consumer: pyRedisConsumerProgram },
  pubsub: { libraries: () => ["google-cloud-pubsub"], producer: pyPubsubProducerProgram, consumer: pyPubsubConsumerProgram },
};

/** The Python program for the selected producer or consumer (throws a CodegenError when it does not exist). */
export function generatePython(scenario: Scenario, selection: CodegenSelection): GeneratedCode {
  if (selection.pattern) return generatePatternPython(scenario, selection.service, selection.pattern);
  const plan = planCode(scenario, selection);
  const fileName = `${codeFileStem(plan).replace(/-/g, "_")}.py`;
  const kinds = new Set([plan.endpoint.kind, ...(plan.role === "consumer" && plan.forward ? [plan.forward.endpoint.kind] : [])]);
  // Python's sqlite3 module comes with Python: a database adds nothing to install (on RabbitMQ; elsewhere this throws).
  usesDatabase(plan);
  const libraries = (Object.keys(programsByKind) as Endpoint["kind"][]).filter((kind) => kinds.has(kind)).flatMap((kind) => programsByKind[kind].libraries(plan));
  const install = `python3 -m pip install ${libraries.join(" ")}`;
  const programs = programsByKind[plan.endpoint.kind];
  const producer = plan.role === "producer" && plan.producer.database ? pyRabbitDatabaseProducerProgram : programs.producer;
  const body = plan.role === "producer" ? producer(plan) : programs.consumer(plan);
  return {
    language: "python",
    library: libraries.join(" + "),
    fileName,
    run: [install, `python3 ${fileName}`],
    source: tidy(lines(pyPreamble(plan, install, fileName), body)),
  };
}
