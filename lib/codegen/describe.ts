// The plain-language header both languages put on top of generated code: what the program does
// with which settings, so a learner can match every line of code to the scenario.
import { descriptorOf } from "../brokers";
import type { AwsRoute } from "./aws-plan";
import { quotedName } from "./escape";
import type { CodePlan, ConsumerPlan, Endpoint, ProducerPlan, Route } from "./plan";
import { redisPubsubConsumerTerms, redisPubsubFrom, redisPubsubProducerSettings, redisPubsubRouteText } from "./redis-pubsub-describe";
import { perSecondText, plural } from "./source";

const brokerName = (endpoint: Endpoint) => descriptorOf(endpoint.kind).label;

function awsRouteText(route: AwsRoute): string {
  if (route.service === "sqs") return `the ${route.fifo ? "FIFO " : ""}queue ${quotedName(route.queue)}`;
  if (route.service === "sns") return `the ${route.fifo ? "FIFO " : ""}topic ${quotedName(route.topic)}`;
  return `the event bus ${quotedName(route.bus)} (source ${quotedName(route.source)}, detail type ${quotedName(route.detailType)})`;
}

function awsProducerSettings(route: AwsRoute): string[] {
  if (route.service === "events") return ["EventBridge events (the headers ride in detail._brokerlab)"];
  const fifo = route.fifo ? ["FIFO: ordered within a message group, deduplicated for 5 minutes"] : ["standard: at-least-once, best-effort order"];
  return route.service === "sns" ? [...fifo, `${plural(route.attributes.length, "message attribute")} for filter policies`] : fifo;
}

function routeText(route: Route): string {
  if (route.kind === "kafka") return `the topic ${quotedName(route.topic)}`;
  if (route.kind === "aws") return awsRouteText(route);
  if (route.kind === "redis" || route.kind === "pubsub") return redisPubsubRouteText(route);
  if (route.queue !== undefined) return `the queue ${quotedName(route.queue)} (through the default exchange)`;
  const key = route.routingKey.kind === "value" ? `routing key ${quotedName(String(route.routingKey.value))}` : "a templated routing key";
  return `the exchange ${quotedName(route.exchange)} with ${key}`;
}

function producerSummary(plan: ProducerPlan): string[] {
  const { producer, schedule } = plan;
  const pace =
    schedule.kind === "rate"
      ? `${perSecondText(schedule.perSecond)}${schedule.count !== undefined ? `, ${plural(schedule.count, "message")} in all` : ", until you press Ctrl+C"}`
      : schedule.kind === "burst"
        ? `a burst of ${plural(schedule.count, "message")}, as fast as the broker takes them`
        : "one message each time you run it (the scenario sends these by hand)";
  const settings =
    plan.route.kind === "aws"
      ? awsProducerSettings(plan.route)
      : plan.route.kind === "redis" || plan.route.kind === "pubsub"
      ? redisPubsubProducerSettings(plan.route)
      : plan.endpoint.kind === "rabbitmq"
      ? [
          producer.persistent ? "persistent (delivery mode 2)" : "transient (delivery mode 1)",
          producer.confirm ? `publisher confirms (at most ${producer.confirmWindow} unconfirmed)` : "no publisher confirms (fire and forget)",
          producer.mandatory ? "mandatory (unroutable messages come back)" : "not mandatory (unroutable messages are dropped silently)",
        ]
      : [
          producer.idempotent ? "idempotent producer (acks all)" : `acks ${producer.acks === -1 ? "all" : String(producer.acks)}`,
          plan.route.kind === "kafka" && plan.route.key ? "keyed messages (same key, same partition)" : "no key (partitions in turn)",
        ];
  return [`Publishes to ${routeText(plan.route)} on ${brokerName(plan.endpoint)}: ${pace}.`, `Settings: ${settings.join(", ")}.`];
}

const poisonValue = (value: string | number | boolean) => (typeof value === "string" ? quotedName(value) : String(value));

function consumerSummary(plan: ConsumerPlan): string[] {
  const { consumer, onError } = plan;
  const from = redisPubsubFrom(consumer.from) ?? ("queue" in consumer.from ? `the queue ${quotedName(consumer.from.queue)}` : "topic" in consumer.from ? `the topic ${quotedName(consumer.from.topic)} in the group ${quotedName(consumer.from.group)}` : JSON.stringify(consumer.from));
  const work = consumer.work.ms > 0 || consumer.work.jitterMs > 0 ? `${consumer.work.ms} ms ± ${consumer.work.jitterMs} ms of work per message` : "no simulated work";
  const failures = [
    consumer.failures.errorRate > 0 ? `${consumer.failures.errorRate * 100} % of attempts fail` : undefined,
    consumer.failures.poison ? `a poison message (${quotedName(consumer.failures.poison.field)} = ${poisonValue(consumer.failures.poison.equals)}) always fails` : undefined,
    consumer.failures.crashAfter !== undefined ? `the process exits after ${plural(consumer.failures.crashAfter, "message")}` : undefined,
  ].filter(Boolean);
  const kafka = !("queue" in consumer.from);
  const aws = plan.endpoint.kind === "aws";
  const terms = redisPubsubConsumerTerms(plan);
  const finally_ = terms?.finally ?? { "dead-letter": "dead-lettered", requeue: kafka ? "processed again in place (Kafka cannot requeue one record)" : aws ? "made visible again at once" : "requeued", drop: "dropped" }[onError.then];
  const retries = onError.retries > 0 ? `retried up to ${plural(onError.retries, "time")}${onError.backoffMs.length > 0 ? ` after ${onError.backoffMs.join(", ")} ms` : " at once"}, then ${finally_}` : finally_;
  const settings = [
    ...(terms?.settings ?? []),
    terms ? undefined : aws
      ? consumer.ack === "manual" ? "each message deleted after processing (manual)" : "each message deleted on receipt (auto)"
      : kafka
      ? consumer.ack === "manual" ? "offsets committed after processing (manual)" : "offsets auto-committed on a timer"
      : consumer.ack === "manual" ? "manual acknowledgements (after processing)" : "automatic acknowledgements (on delivery)",
    "queue" in consumer.from && !aws ? `prefetch ${consumer.prefetch}` : undefined,
    consumer.concurrency > 1 ? `${consumer.concurrency} messages at a time` : "one message at a time",
    consumer.idempotent ? "idempotent (a repeated message id is acked without processing)" : undefined,
  ].filter(Boolean);
  return [
    `Consumes ${from} on ${brokerName(plan.endpoint)}: ${work}.`,
    `Settings: ${settings.join(", ")}.`,
    failures.length > 0 ? `Failures: ${failures.join("; ")}; a failed message is ${retries}.` : `A failed message is ${retries}.`,
    ...(plan.forward ? [`Then forwards to ${routeText(plan.forward.route)} on ${brokerName(plan.forward.endpoint)}.`] : []),
  ];
}

export function summary(plan: CodePlan): string[] {
  return plan.role === "producer" ? producerSummary(plan) : consumerSummary(plan);
}

/** Wraps prose into comment lines no wider than `width`. */
export function wrap(text: string, width = 96): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
