// A consumer's forward in Java: once a message is processed, publish the next message of the chain
// (the same body, or a new one from the consumed fields) to RabbitMQ or Kafka, continuing its trace.
import { javaQuote } from "./escape";
import type { ConsumerPlan, Endpoint } from "./plan";
import { codegenHeaders } from "./plan";
import { lines } from "./source";
import { javaBlock, javaKafkaRecord, javaRabbitPublish } from "./java-clients";
import { javaExpr } from "./java-syntax";
import type { Expr } from "./expression";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;

export const forwardRabbitOf = (plan: ConsumerPlan) => (plan.forward?.endpoint.kind === "rabbitmq" ? (plan.forward.endpoint as RabbitEndpoint) : undefined);
export const forwardKafkaOf = (plan: ConsumerPlan) => (plan.forward?.endpoint.kind === "kafka" ? (plan.forward.endpoint as KafkaEndpoint) : undefined);

/** The templates a forward evaluates, so the program defines the helpers they call. */
export const forwardExprs = (plan: ConsumerPlan): (Expr | undefined)[] => [plan.forward?.payload, ...(plan.forward?.headers.map(([, value]) => value) ?? [])];

/** The consumer's topics plus the forward's, when the forward goes to Kafka too. */
export function withForwardTopics(endpoint: KafkaEndpoint, plan: ConsumerPlan): KafkaEndpoint {
  const target = forwardKafkaOf(plan);
  return target ? { ...endpoint, topics: [...endpoint.topics, ...target.topics.filter((t) => !endpoint.topics.some((x) => x.name === t.name))] } : endpoint;
}

/**
 * The forward, in the scope of a handled message: `id`, `trace`, `consumed` and the consumed body
 * as bytes (`body.bytes`) and text (`body.text`); `channel` (RabbitMQ, confirm mode) or `producer`.
 */
export function javaForward(plan: ConsumerPlan, body: { bytes: string; text: string }): string {
  const forward = plan.forward;
  if (!forward) return "";
  const args = { id: "forwardId", source: "consumed", headers: forward.headers, extraHeaders: [`headers.put(${javaQuote(codegenHeaders.origin)}, id);`], parentTrace: "trace" };
  return lines(
    "// Forward: publish the next message of the chain once this one is processed.",
    `String forwardId = ${javaQuote(`${plan.service}/${plan.name}/`)} + id;`,
    forward.payload && `Object forwarded = ${javaExpr(forward.payload, "consumed")};`,
    forward.route.kind === "rabbitmq" &&
      javaBlock(
        lines(
          javaRabbitPublish(forward.route, { ...args, body: forward.payload ? "JSON.writeValueAsBytes(forwarded)" : body.bytes, persistent: true, mandatory: true }),
          "channel.waitForConfirmsOrDie(30_000); // the forward is safe before this message is acknowledged",
        ),
        0,
      ),
    forward.route.kind === "kafka" &&
      javaBlock(
        lines(
          javaKafkaRecord(forward.route, { ...args, value: forward.payload ? "JSON.writeValueAsString(forwarded)" : body.text }, "next"),
          "producer.send(next).get(); // Kafka has it before this message counts as done",
        ),
        0,
      ),
  );
}
