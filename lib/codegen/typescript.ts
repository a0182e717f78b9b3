// Generates a runnable TypeScript program (amqplib for RabbitMQ, kafkajs for Kafka, the AWS SDK v3
// for Amazon SQS/SNS/EventBridge, node-redis for Redis, @google-cloud/pubsub for Google Cloud
// Pub/Sub) equivalent to one producer or consumer of a scenario. Pure: scenario in, source text out.
import type { Scenario } from "../scenario/schema";
import { generatePatternTypeScript } from "./pattern-typescript";
import { CodegenError, codeFileStem, planCode, usesDatabase } from "./plan";
import type { CodePlan, CodegenSelection, ConsumerPlan, Endpoint, GeneratedCode, ProducerPlan } from "./plan";
import { lines, tidy } from "./source";
import { tsAwsConsumerProgram, tsAwsProducerProgram } from "./typescript-aws";
import { tsPubsubConsumerProgram, tsPubsubProducerProgram } from "./typescript-pubsub";
import { tsRedisConsumerProgram, tsRedisProducerProgram } from "./typescript-redis";
import { tsKafkaConsumerProgram, tsKafkaProducerProgram } from "./typescript-kafka";
import { tsRabbitReactiveConsumerProgram } from "./typescript-reactive";
import { tsRabbitDatabaseProducerProgram } from "./typescript-outbox";
import { tsRabbitConsumerProgram, tsRabbitProducerProgram } from "./typescript-rabbitmq";
import { tsPreamble } from "./typescript-syntax";


type Programs = { libraries: (plan: CodePlan) => string[]; producer: (plan: ProducerPlan) => string; consumer: (plan: ConsumerPlan) => string };

/** The one place a broker kind is tied to its client library and its program generators. */
const programsByKind: Record<Endpoint["kind"], Programs> = {
  rabbitmq: { libraries: () => ["amqplib"], producer: tsRabbitProducerProgram, consumer: tsRabbitConsumerProgram },
  kafka: { libraries: () => ["kafkajs"], producer: tsKafkaProducerProgram, consumer: tsKafkaConsumerProgram },
  aws: { libraries: (plan) => [awsSdkPackage(plan)], producer: tsAwsProducerProgram, consumer: tsAwsConsumerProgram },
  redis: { libraries: () => ["redis"], producer: tsRedisProducerProgram, consumer: tsRedisConsumerProgram },
  pubsub: { libraries: () => ["@google-cloud/pubsub"], producer: tsPubsubProducerProgram, consumer: tsPubsubConsumerProgram },
};

const awsSdkPackage = (plan: CodePlan) => {
  const service = plan.role === "producer" && plan.route.kind === "aws" ? plan.route.service : "sqs";
  return { sqs: "@aws-sdk/client-sqs", sns: "@aws-sdk/client-sns", events: "@aws-sdk/client-eventbridge" }[service];
};

/** The TypeScript program for the selected producer or consumer (throws a CodegenError when it does not exist). */
export function generateTypeScript(scenario: Scenario, selection: CodegenSelection): GeneratedCode {
  if (selection.pattern) return generatePatternTypeScript(scenario, selection.service, selection.pattern);
  const plan = planCode(scenario, selection);
  const reactive = selection.style === "reactive";
  const fileName = `${codeFileStem(plan)}${reactive ? "-reactive" : ""}.ts`;
  if (reactive && (plan.role !== "consumer" || plan.endpoint.kind !== "rabbitmq")) throw new CodegenError("The reactive style is for RabbitMQ consumers; choose one, or leave style unset.");
  const kinds = new Set([plan.endpoint.kind, ...(plan.role === "consumer" && plan.forward ? [plan.forward.endpoint.kind] : [])]);
  // In registry order (amqplib before kafkajs), whichever side the forward is on.
  const libraries = [...(Object.keys(programsByKind) as Endpoint["kind"][]).filter((kind) => kinds.has(kind)).flatMap((kind) => programsByKind[kind].libraries(plan)), ...(reactive ? ["rxjs"] : []), ...(usesDatabase(plan) ? ["better-sqlite3"] : [])];
  const install = `npm install ${libraries.join(" ")} tsx`;
  const preamble = tsPreamble(plan, install, fileName);
  const programs = programsByKind[plan.endpoint.kind];
  const producer = plan.role === "producer" && plan.producer.database ? tsRabbitDatabaseProducerProgram : programs.producer;
  const body = plan.role === "producer" ? producer(plan) : reactive ? tsRabbitReactiveConsumerProgram(plan) : programs.consumer(plan);
  return {
    language: "typescript",
    library: libraries.join(" + "),
    fileName,
    run: [install, `npx tsx ${fileName}`],
    source: tidy(lines(preamble, body)),
  };
}
