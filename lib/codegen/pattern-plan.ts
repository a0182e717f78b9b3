// The pattern parts of a service (docs/patterns.md) resolved for code generation: which part,
// its broker endpoint with the declarations it relies on, and its templates as expressions.
import { replyStatusHeader, webhookHeaders } from "../run/patterns";
import { withDerivedResources } from "../scenario/derived";
import type { ApiCall, HttpApi, Projection, RabbitTarget, Replier, Requester, TaskProducer, WebhookReceiver, Worker } from "../scenario/patterns";
import type { Scenario, Service } from "../scenario/schema";
import { payloadExpr, templateExpr } from "./expression";
import type { Expr } from "./expression";
import { CodegenError, kafkaEndpoint, rabbitEndpoint } from "./plan";
import type { Endpoint } from "./plan";

export type PatternKind = "requesters" | "repliers" | "tasks" | "workers" | "httpApi" | "apiCalls" | "webhookReceiver" | "projections";
export const patternKinds: readonly PatternKind[] = ["requesters", "repliers", "tasks", "workers", "httpApi", "apiCalls", "webhookReceiver", "projections"];

/** `name` picks an item of a list (requesters, workers…); httpApi and webhookReceiver are one per service. */
export interface PatternSelection { kind: PatternKind; name?: string }

export type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
export type KafkaEndpoint = Extract<Endpoint, { kind: "kafka" }>;
/** Where a request or task goes: an exchange (the default "" for a queue) and a routing key. */
export interface RabbitRoute { exchange: string; routingKey: Expr }
/** How a sending part paces itself: per second (none: as fast as it may) and how many (none: until stopped). */
export interface Pace { perSecond?: number; count?: number }

interface Base { scenario: string; service: string; name: string }

export type PatternPlan = Base & (
  | { kind: "requesters"; part: Requester; endpoint: RabbitEndpoint; route: RabbitRoute; pace: Pace; payload: Expr }
  | { kind: "repliers"; part: Replier; endpoint: RabbitEndpoint; reply: Expr }
  | { kind: "tasks"; part: TaskProducer; endpoint: RabbitEndpoint; route: RabbitRoute; pace: Pace; job: Expr; args: Expr }
  | { kind: "workers"; part: Worker; endpoint: RabbitEndpoint; results: Record<string, Expr> }
  | { kind: "httpApi"; part: HttpApi; endpoint: RabbitEndpoint; route: RabbitRoute; job: Expr }
  | { kind: "apiCalls"; part: ApiCall; apiPath: string; callbackPath?: string; pace: Pace; body: Expr }
  | { kind: "webhookReceiver"; part: WebhookReceiver }
  | { kind: "projections"; part: Projection; endpoint: KafkaEndpoint; group: string }
);

/** Headers of the patterns, for generated programs that interoperate with a Brokerlab run. */
export const patternHeaders = { ...webhookHeaders, replyStatus: replyStatusHeader } as const;

function route(to: RabbitTarget, names: { service: string; producer: string }): RabbitRoute {
  return "queue" in to
    ? { exchange: "", routingKey: { kind: "value", value: to.queue } }
    : { exchange: to.exchange, routingKey: templateExpr(to.routingKey, names) };
}

/** As a producer's schedule (plan.ts): a burst is `count` at once, a manual part sends one. */
function pace(part: { rate: Requester["rate"]; count?: number }): Pace {
  const { rate } = part;
  if ("manual" in rate) return { count: 1 };
  if ("burst" in rate) return { count: Math.min(rate.burst, part.count ?? rate.burst) };
  return { perSecond: rate.perSecond, ...(part.count !== undefined ? { count: part.count } : {}) };
}

function target(scenario: Scenario, broker: string, to: RabbitTarget): RabbitEndpoint {
  return rabbitEndpoint(scenario, broker, "queue" in to ? [to.queue] : [], "exchange" in to ? [to.exchange] : []) as RabbitEndpoint;
}

function pick<T extends { name: string }>(items: readonly T[] | undefined, name: string | undefined, what: string, service: Service): T {
  const found = items?.find((item) => item.name === name) ?? (name === undefined && items?.length === 1 ? items[0] : undefined);
  if (!found) throw new CodegenError(`The service "${service.name}" has no ${what}${name ? ` "${name}"` : ""}.`);
  return found;
}

/** Resolves the selected pattern part; throws a CodegenError that says what is missing. */
export function planPattern(input: Scenario, service: string, selection: PatternSelection): PatternPlan {
  const scenario = withDerivedResources(input);
  const svc = scenario.services.find((s) => s.name === service);
  if (!svc) throw new CodegenError(`There is no service "${service}" in the scenario.`);
  const base = (name: string): Base => ({ scenario: scenario.name, service: svc.name, name });
  const names = (producer: string) => ({ service: svc.name, producer });
  switch (selection.kind) {
    case "requesters": {
      const part = pick(svc.requesters, selection.name, "requester", svc);
      const replyQueues = part.replyTo === "exclusive" ? [] : [part.replyTo.queue];
      const endpoint = rabbitEndpoint(scenario, part.broker, ["queue" in part.to ? part.to.queue : "", ...replyQueues].filter(Boolean), "exchange" in part.to ? [part.to.exchange] : []) as RabbitEndpoint;
      return { ...base(part.name), kind: "requesters", part, endpoint, route: route(part.to, names(part.name)), pace: pace(part), payload: payloadExpr(part.payload, names(part.name)) };
    }
    case "repliers": {
      const part = pick(svc.repliers, selection.name, "replier", svc);
      return { ...base(part.name), kind: "repliers", part, endpoint: rabbitEndpoint(scenario, part.broker, [part.from.queue], []) as RabbitEndpoint, reply: payloadExpr(part.reply, names(part.name), ["*"]) };
    }
    case "tasks": {
      const part = pick(svc.tasks, selection.name, "task submitter", svc);
      return { ...base(part.name), kind: "tasks", part, endpoint: target(scenario, part.broker, part.to), route: route(part.to, names(part.name)), pace: pace(part), job: templateExpr(part.job, names(part.name)), args: payloadExpr(part.args, names(part.name)) };
    }
    case "workers": {
      const part = pick(svc.workers, selection.name, "worker", svc);
      const results = Object.fromEntries(Object.entries(part.jobs).map(([job, spec]) => [job, payloadExpr(spec.result, names(part.name), ["*"])]));
      return { ...base(part.name), kind: "workers", part, endpoint: rabbitEndpoint(scenario, part.broker, [part.from.queue], []) as RabbitEndpoint, results };
    }
    case "httpApi": {
      const part = svc.httpApi;
      if (!part) throw new CodegenError(`The service "${svc.name}" has no httpApi.`);
      return { ...base(part.name), kind: "httpApi", part, endpoint: target(scenario, part.broker, part.to), route: route(part.to, names(part.name)), job: templateExpr(part.job, names(part.name)) };
    }
    case "apiCalls": {
      const part = pick(svc.apiCalls, selection.name, "API call", svc);
      const api = scenario.services.find((s) => s.name === part.api)?.httpApi;
      if (!api) throw new CodegenError(`The API call "${part.name}" names "${part.api}", which has no httpApi.`);
      const receiver = part.callbackTo ? scenario.services.find((s) => s.name === part.callbackTo)?.webhookReceiver : undefined;
      return { ...base(part.name), kind: "apiCalls", part, apiPath: api.path, ...(receiver ? { callbackPath: receiver.path } : {}), pace: pace(part), body: payloadExpr(part.body, names(part.name)) };
    }
    case "webhookReceiver": {
      const part = svc.webhookReceiver;
      if (!part) throw new CodegenError(`The service "${svc.name}" has no webhookReceiver.`);
      return { ...base("webhook-receiver"), kind: "webhookReceiver", part };
    }
    case "projections": {
      const part = pick(svc.projections, selection.name, "projection", svc);
      return { ...base(part.name), kind: "projections", part, endpoint: kafkaEndpoint(scenario, part.broker, [part.from.topic]) as KafkaEndpoint, group: part.from.group ?? `${svc.name}-${part.name}` };
    }
  }
}

/** One fold step: a state field changed by a payload field (read with a.b nesting) or by a constant. */
export interface FoldStep { target: string; op: "add" | "subtract" | "max" | "min" | "set"; from: { field: string } | { value: number | boolean } }

/**
 * A projection's fold as steps per event type, with the helpers the steps need (an op that reads a
 * payload field; a `set` of a constant needs none). Generated code applies them the way
 * lib/scenario/fold.ts does: a field that is missing or not a number skips its step.
 */
export function foldPlan(part: Projection): { types: { type: string; steps: FoldStep[] }[]; helpers: Set<FoldStep["op"]> } {
  const helpers = new Set<FoldStep["op"]>();
  const types = Object.entries(part.fold).map(([type, ops]) => ({
    type,
    steps: Object.entries(ops).map(([target, op]): FoldStep => {
      const [name, value] = Object.entries(op)[0] as [FoldStep["op"], string | number | boolean];
      if (name !== "set" || typeof value === "string") helpers.add(name);
      return { target, op: name, from: typeof value === "string" ? { field: value } : { value } };
    }),
  }));
  return { types, helpers };
}

/** What the part talks to: RabbitMQ, Kafka, or only HTTP (the API caller and the webhook receiver). */
export function patternBroker(plan: PatternPlan): "rabbitmq" | "kafka" | "http" {
  if (plan.kind === "projections") return "kafka";
  return plan.kind === "apiCalls" || plan.kind === "webhookReceiver" ? "http" : "rabbitmq";
}

/** `<service>-<part>` for file names. */
export const patternFileStem = (plan: PatternPlan) => `${plan.service}-${plan.name}`.replace(/[^A-Za-z0-9_-]/g, "-");

/** A requester with a circuit breaker: its program needs a breaker library (cockatiel, pybreaker). */
export const hasBreaker = (plan: PatternPlan) => plan.kind === "requesters" && plan.part.circuitBreaker !== undefined;
