// Generates a runnable Python program (pika for RabbitMQ, confluent-kafka for Kafka) equivalent
// to one producer or consumer of a scenario. Pure: scenario in, source text out.
import type { Scenario } from "../scenario/schema";
import { generatePatternPython } from "./pattern-python";
import { codeFileStem, planCode } from "./plan";
import type { CodegenSelection, GeneratedCode } from "./plan";
import { pyKafkaConsumerProgram, pyKafkaProducerProgram } from "./python-kafka";
import { pyRabbitConsumerProgram, pyRabbitProducerProgram } from "./python-rabbitmq";
import { pyPreamble } from "./python-syntax";
import { lines, tidy } from "./source";

/** The Python program for the selected producer or consumer (throws a CodegenError when it does not exist). */
export function generatePython(scenario: Scenario, selection: CodegenSelection): GeneratedCode {
  if (selection.pattern) return generatePatternPython(scenario, selection.service, selection.pattern);
  const plan = planCode(scenario, selection);
  const fileName = `${codeFileStem(plan).replace(/-/g, "_")}.py`;
  const kinds = new Set([plan.endpoint.kind, ...(plan.role === "consumer" && plan.forward ? [plan.forward.endpoint.kind] : [])]);
  const libraries = [...(kinds.has("rabbitmq") ? ["pika"] : []), ...(kinds.has("kafka") ? ["confluent-kafka"] : [])];
  const install = `python3 -m pip install ${libraries.join(" ")}`;
  const body =
    plan.role === "producer"
      ? plan.endpoint.kind === "rabbitmq" ? pyRabbitProducerProgram(plan) : pyKafkaProducerProgram(plan)
      : plan.endpoint.kind === "rabbitmq" ? pyRabbitConsumerProgram(plan) : pyKafkaConsumerProgram(plan);
  return {
    language: "python",
    library: libraries.join(" + "),
    fileName,
    run: [install, `python3 ${fileName}`],
    source: tidy(lines(pyPreamble(plan, install, fileName), body)),
  };
}
