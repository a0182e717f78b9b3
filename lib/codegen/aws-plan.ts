// What an Amazon (SQS/SNS/EventBridge) producer or consumer relies on, resolved from the scenario:
// the endpoint and region, the queues, topics and buses it declares, and where a message goes.
import type { z } from "zod";
import { isFifoName } from "../brokers/aws";
import type { busSchema, eventBridgeTargetSchema, ruleSchema, snsTargetSchema, snsTopicSchema, sqsQueueSchema, sqsTargetSchema, subscriptionSchema } from "../brokers/aws";
import type { Scenario } from "../scenario/schema";
import type { ProducerPlan } from "./plan";
import type { Expr } from "./expression";
import { templateExpr } from "./expression";

export const defaultAwsEndpoint = "http://127.0.0.1:4566";
export const defaultAwsRegion = "us-east-1";

export type AwsQueueDecl = z.output<typeof sqsQueueSchema>;
export type AwsNamedDecl = z.output<typeof snsTopicSchema> | z.output<typeof busSchema>;

export interface AwsEndpoint {
  kind: "aws";
  broker: string;
  endpoint: string;
  region: string;
  /** Dead-letter queues first, so a redrive policy can name their ARN. */
  queues: AwsQueueDecl[];
  topics: AwsNamedDecl[];
  buses: AwsNamedDecl[];
  /** A consumer's queue: the SNS subscriptions and EventBridge rules that feed it. */
  subscriptions: AwsSubscription[];
  rules: AwsRule[];
}
export type AwsSubscription = z.output<typeof subscriptionSchema>;
export type AwsRule = z.output<typeof ruleSchema>;

export type AwsRoute =
  | { kind: "aws"; service: "sqs"; queue: string; fifo: boolean; groupId?: Expr; deduplicationId?: Expr }
  | { kind: "aws"; service: "sns"; topic: string; fifo: boolean; attributes: [string, Expr][]; groupId?: Expr; deduplicationId?: Expr }
  | { kind: "aws"; service: "events"; bus: string; source: string; detailType: string };

const isFifo = isFifoName;

const awsResources = (scenario: Scenario, broker: string) => {
  const resources = scenario.resources[broker];
  return resources?.kind === "aws" ? resources : { queues: [], topics: [], buses: [], subscriptions: [], rules: [] };
};

export const isAwsBroker = (scenario: Scenario, broker: string): boolean => scenario.brokers[broker]?.kind === "aws";

/** The declared queues among `names`, each preceded by its dead-letter queue when that is declared. */
function queuesFor(declared: AwsQueueDecl[], names: string[]): AwsQueueDecl[] {
  const out: AwsQueueDecl[] = [];
  const add = (name: string, depth: number) => {
    const queue = declared.find((q) => q.name === name);
    if (!queue || out.includes(queue) || depth > declared.length) return;
    if (queue.deadLetter) add(queue.deadLetter.queue, depth + 1);
    out.push(queue);
  };
  for (const name of names) add(name, 0);
  return out;
}

/** `feeds`: a consumer's queue, whose subscriptions and rules (and their topics and buses) come along. */
export function awsEndpoint(scenario: Scenario, broker: string, uses: { queues?: string[]; topics?: string[]; buses?: string[]; feeds?: string }): AwsEndpoint {
  const entry = scenario.brokers[broker];
  const definition = entry?.kind === "aws" ? entry : undefined;
  const declared = awsResources(scenario, broker);
  const pick = (items: AwsNamedDecl[], names: string[] | undefined) => items.filter((item) => (names ?? []).includes(item.name));
  const subscriptions = declared.subscriptions.filter((sub) => sub.queue === uses.feeds);
  const rules = declared.rules.filter((rule) => rule.targets.some((target) => target.queue === uses.feeds));
  const topics = [...(uses.topics ?? []), ...subscriptions.map((sub) => sub.topic)];
  const buses = [...(uses.buses ?? []), ...rules.map((rule) => rule.bus)];
  return {
    kind: "aws",
    broker,
    subscriptions,
    rules,
    endpoint: definition?.endpoint ?? defaultAwsEndpoint,
    region: definition?.region ?? defaultAwsRegion,
    queues: queuesFor(declared.queues, uses.queues ?? []),
    topics: pick(declared.topics, topics),
    buses: pick(declared.buses, buses),
  };
}

/** A producer's `to` on an Amazon broker. */
export type AwsTarget = z.output<typeof sqsTargetSchema> | z.output<typeof snsTargetSchema> | z.output<typeof eventBridgeTargetSchema>;

export function awsRoute(to: AwsTarget, template: (text: string) => Expr): AwsRoute {
  const ids = (t: { groupId?: string | undefined; deduplicationId?: string | undefined }) => ({
    ...(t.groupId !== undefined ? { groupId: template(t.groupId) } : {}),
    ...(t.deduplicationId !== undefined ? { deduplicationId: template(t.deduplicationId) } : {}),
  });
  if ("bus" in to) return { kind: "aws", service: "events", bus: to.bus, source: to.source, detailType: to.detailType };
  if ("snsTopic" in to) {
    const attributes = Object.entries(to.attributes ?? {}).map(([name, value]): [string, Expr] => [name, typeof value === "string" ? template(value) : { kind: "value", value }]);
    return { kind: "aws", service: "sns", topic: to.snsTopic, fifo: isFifo(to.snsTopic), attributes, ...ids(to) };
  }
  return { kind: "aws", service: "sqs", queue: to.queue, fifo: isFifo(to.queue), ...ids(to) };
}

/** Where an Amazon producer sends, and the endpoint with what it declares. */
export function awsOutbound(scenario: Scenario, broker: string, to: AwsTarget, names: { service: string; producer: string }, fields: readonly string[]): { endpoint: AwsEndpoint; route: AwsRoute } {
  const route = awsRoute(to, (text) => templateExpr(text, names, fields));
  const uses = route.service === "sqs" ? { queues: [route.queue] } : route.service === "sns" ? { topics: [route.topic] } : { buses: [route.bus] };
  return { endpoint: awsEndpoint(scenario, broker, uses), route };
}

/**
 * What the TypeScript and the Python producer both derive from an Amazon plan: the route, the
 * expressions the program evaluates (for its imports and helpers), and whether it creates the
 * topic or bus it sends to (a declared one that is not `existing`) or only finds it.
 */
export function awsProducerParts(plan: ProducerPlan) {
  if (plan.route.kind !== "aws") return undefined;
  const route = plan.route;
  const endpoint = plan.endpoint as AwsEndpoint;
  const exprs = [plan.payload, ...plan.headers.map(([, value]) => value), ...(route.service === "events" ? [] : [route.groupId, route.deduplicationId]), ...(route.service === "sns" ? route.attributes.map(([, value]) => value) : [])];
  const topic = route.service === "sns" ? endpoint.topics.find((t) => t.name === route.topic) : undefined;
  const bus = route.service === "events" ? endpoint.buses.find((b) => b.name === route.bus) : undefined;
  return { route, endpoint, exprs, createsTopic: Boolean(topic && !topic.existing), createsBus: Boolean(bus && !bus.existing) };
}

/** An SQS source's long-poll wait, in seconds: `from.waitSeconds`, else SQS's longest, 20. */
export const awsWaitSeconds = (from: object): number => ("waitSeconds" in from && typeof from.waitSeconds === "number" ? from.waitSeconds : 20);

/** The W3C trace context header, carried as a message attribute of the same name. */
export const awsTraceparentHeader = "traceparent";

/** CreateQueue's attributes for a declared queue, in whole seconds as SQS takes them (the redrive policy is added with the DLQ's ARN). */
export function awsQueueAttributes(queue: AwsQueueDecl): Record<string, string> {
  const seconds = (ms: number) => String(Math.round(ms / 1000));
  const attributes: Record<string, string> = { VisibilityTimeout: seconds(queue.visibilityTimeout) };
  if (queue.retention !== undefined) attributes.MessageRetentionPeriod = seconds(queue.retention);
  if (queue.delay !== undefined) attributes.DelaySeconds = seconds(queue.delay);
  if (isFifo(queue.name)) {
    attributes.FifoQueue = "true";
    attributes.ContentBasedDeduplication = String(Boolean(queue.contentBasedDeduplication));
  }
  return attributes;
}
