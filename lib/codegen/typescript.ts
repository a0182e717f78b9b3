// Generates a runnable TypeScript program (amqplib for RabbitMQ, kafkajs for Kafka) equivalent to
// one producer or consumer of a scenario. Pure: scenario in, source text out.
import type { Scenario } from "../scenario/schema";
import { generatePatternTypeScript } from "./pattern-typescript";
import { codeFileStem, planCode } from "./plan";
import type { CodegenSelection, GeneratedCode } from "./plan";
import { lines, tidy } from "./source";
import { tsKafkaConsumerProgram, tsKafkaProducerProgram } from "./typescript-kafka";
import { tsRabbitConsumerProgram, tsRabbitProducerProgram } from "./typescript-rabbitmq";
import { tsPreamble } from "./typescript-syntax";


/** The TypeScript program for the selected producer or consumer (throws a CodegenError when it does not exist). */
export function generateTypeScript(scenario: Scenario, selection: CodegenSelection): GeneratedCode {
  if (selection.pattern) return generatePatternTypeScript(scenario, selection.service, selection.pattern);
  const plan = planCode(scenario, selection);
  const fileName = `${codeFileStem(plan)}.ts`;
  const kafka = plan.endpoint.kind === "kafka" || (plan.role === "consumer" && plan.forward?.endpoint.kind === "kafka");
  const rabbit = plan.endpoint.kind === "rabbitmq" || (plan.role === "consumer" && plan.forward?.endpoint.kind === "rabbitmq");
  const libraries = [...(rabbit ? ["amqplib"] : []), ...(kafka ? ["kafkajs"] : [])];
  const install = `npm install ${libraries.join(" ")} tsx`;
  const preamble = tsPreamble(plan, install, fileName);
  const body =
    plan.role === "producer"
      ? plan.endpoint.kind === "rabbitmq" ? tsRabbitProducerProgram(plan) : tsKafkaProducerProgram(plan)
      : plan.endpoint.kind === "rabbitmq" ? tsRabbitConsumerProgram(plan) : tsKafkaConsumerProgram(plan);
  return {
    language: "typescript",
    library: libraries.join(" + "),
    fileName,
    run: [install, `npx tsx ${fileName}`],
    source: tidy(lines(preamble, body)),
  };
}
