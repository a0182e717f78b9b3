// Faults: what can be done to a running scenario (docs/reliability.md). One spec shape serves the
// scenario's `faults:` timeline and the socket's `run:fault`; references are checked against the scenario.
import { z } from "zod";
import { descriptorOf, hasCapability, hooksOf, labelsWith } from "../brokers";
import { durationSchema } from "./duration";
import { rabbitNameSchema, slugSchema } from "./names";
import type { Scenario, Service } from "./schema";

/** Each action and what its value names in a scenario entry (`{ at: 5s, kill: inventory-service }`). */
export const faultTargets = {
  kill: "service", start: "service", restart: "service", pause: "service", resume: "service", slow: "service",
  latency: "service", bandwidth: "service", drop: "service", cut: "service", reset: "service", closeConnection: "service",
  stopBroker: "broker", startBroker: "broker", fillQueue: "queue", poison: "service",
} as const;
export type FaultAction = keyof typeof faultTargets;
export const faultActions = Object.keys(faultTargets) as FaultAction[];
/** Faults on one service↔broker link (the TCP proxy, or the broker's side of the connection). */
export const linkActions = ["latency", "bandwidth", "drop", "cut", "reset", "closeConnection"] as const satisfies readonly FaultAction[];

const replica = z.number().int().min(0, "must be at least 0").max(49, "must be at most 49").optional();
/** How long the fault lasts before it ends by itself. */
const forMs = z.number().gt(0, "must be greater than 0").max(3_600_000, "must be at most 1 hour").optional();
const onService = { service: slugSchema, replica };
const onLink = { service: slugSchema, broker: slugSchema.optional() };

export const faultSpecSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("kill"), ...onService, forMs }),
  z.strictObject({ action: z.literal("start"), ...onService }),
  z.strictObject({ action: z.literal("restart"), ...onService }),
  z.strictObject({ action: z.literal("pause"), ...onService, forMs }),
  z.strictObject({ action: z.literal("resume"), ...onService }),
  /** Extra work time per message for the service's consumers. */
  z.strictObject({ action: z.literal("slow"), ...onService, ms: z.number().gt(0, "must be greater than 0").max(60_000, "must be at most 60000"), forMs }),
  z.strictObject({ action: z.literal("latency"), ...onLink, ms: z.number().min(0).max(30_000, "must be at most 30000"), jitterMs: z.number().min(0).max(30_000).optional(), forMs }),
  z.strictObject({ action: z.literal("bandwidth"), ...onLink, bytesPerSecond: z.number().int().min(64, "must be at least 64").max(1_000_000_000), forMs }),
  /** Bytes vanish both ways while connections stay open (only heartbeats and timeouts notice). */
  z.strictObject({ action: z.literal("drop"), ...onLink, forMs }),
  /** Every connection is reset and new ones are refused until the fault ends. */
  z.strictObject({ action: z.literal("cut"), ...onLink, forMs }),
  /** Resets the link's open connections once. */
  z.strictObject({ action: z.literal("reset"), ...onLink }),
  /** RabbitMQ closes the service's connections (management API). */
  z.strictObject({ action: z.literal("closeConnection"), ...onLink, replica }),
  z.strictObject({ action: z.literal("stopBroker"), broker: slugSchema, forMs }),
  z.strictObject({ action: z.literal("startBroker"), broker: slugSchema }),
  /** Publishes until the queue holds its max-length (or `count` messages). */
  z.strictObject({ action: z.literal("fillQueue"), queue: rabbitNameSchema, broker: slugSchema.optional(), count: z.number().int().min(1).max(100_000, "must be at most 100000").optional() }),
  /** Publishes one message that matches the consumer's `failures.poison` rule. */
  z.strictObject({ action: z.literal("poison"), service: slugSchema, consumer: slugSchema.optional() }),
]);
export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultSpecInput = z.input<typeof faultSpecSchema>;

export const unknownFaultMessage =
  `a fault has "at" and exactly one action: ${faultActions.filter((a) => faultTargets[a] === "service").join(", ")} naming a service; ` +
  "stopBroker or startBroker naming a broker; fillQueue naming a queue";

/** A scenario entry: `{ at, <action>: <service|broker|queue>, for?, ...parameters }` → `{ at, action, ... }`. */
export const scenarioFaultSchema = z
  .object({ at: durationSchema })
  .catchall(z.unknown())
  .transform((entry, ctx) => {
    const { at, ...rest } = entry;
    const actions = Object.keys(rest).filter((key): key is FaultAction => Object.hasOwn(faultTargets, key));
    if (actions.length !== 1) {
      ctx.addIssue({ code: "custom", message: unknownFaultMessage });
      return z.NEVER;
    }
    const action = actions[0]!;
    const { [action]: target, for: lasting, ...parameters } = rest;
    const spec: Record<string, unknown> = { action, [faultTargets[action]]: target, ...parameters };
    if (lasting !== undefined) {
      const duration = durationSchema.safeParse(lasting);
      if (!duration.success) {
        for (const issue of duration.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: ["for", ...issue.path] });
        return z.NEVER;
      }
      spec.forMs = duration.data;
    }
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const rename = (key: PropertyKey) => (key === faultTargets[action] ? action : key === "forMs" ? "for" : key);
      for (const issue of parsed.error.issues) {
        const keys = issue.code === "unrecognized_keys" ? issue.keys.filter((k) => k !== "forMs") : [];
        const message = issue.code === "unrecognized_keys" ? `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")} for ${action}` : issue.message;
        ctx.addIssue({ code: "custom", message, path: issue.path.map(rename) });
      }
      return z.NEVER;
    }
    return { at, ...parsed.data };
  });

/** Brokers a service talks to: its producers', consumers' and forwards' brokers. */
export function brokersOf(service: Service): string[] {
  const names = [...service.producers.map((p) => p.broker), ...service.consumers.flatMap((c) => [c.broker, ...(c.forward ? [c.forward.broker] : [])])];
  return [...new Set(names)];
}

export interface FaultProblem {
  /** The spec field at fault: service, broker, queue, replica, consumer. */
  field: string;
  message: string;
}

const list = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "none");

/** The declared queue of this name on a broker whose kind bounds queues (fillQueue fills it), with its bound. */
function boundedQueueOf(scenario: Scenario, broker: string, queue: string): { maxLength?: number } | undefined {
  const resources = scenario.resources[broker];
  return resources && hasCapability(resources.kind, "boundedQueues") ? hooksOf(resources.kind).boundedQueue?.(resources, queue) : undefined;
}

/** The broker a link or queue fault acts on: the named one, or the only one that fits. */
export function faultBroker(scenario: Scenario, spec: FaultSpec): string | undefined {
  if ("broker" in spec && spec.broker) return spec.broker;
  if (spec.action === "fillQueue") {
    const holders = Object.keys(scenario.resources).filter((broker) => boundedQueueOf(scenario, broker, spec.queue));
    return holders.length === 1 ? holders[0] : undefined;
  }
  const service = "service" in spec ? scenario.services.find((s) => s.name === spec.service) : undefined;
  const used = service ? brokersOf(service) : [];
  return used.length === 1 ? used[0] : undefined;
}

/** The consumer a poison fault aims at: the named one, or the service's only consumer with a poison rule. */
export function poisonTarget(scenario: Scenario, spec: Extract<FaultSpec, { action: "poison" }>) {
  const service = scenario.services.find((s) => s.name === spec.service);
  const candidates = (service?.consumers ?? []).filter((c) => c.failures.poison && (!spec.consumer || c.name === spec.consumer));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A producer of the scenario that reaches the consumer's queue or topic on its broker, and the payload fields that poison it. */
export function poisonRoute(scenario: Scenario, spec: Extract<FaultSpec, { action: "poison" }>) {
  const consumer = poisonTarget(scenario, spec);
  if (!consumer?.failures.poison) return undefined;
  const kind = scenario.brokers[consumer.broker]?.kind;
  const resources = scenario.resources[consumer.broker];
  for (const service of scenario.services) {
    for (const producer of service.producers) {
      if (producer.broker !== consumer.broker) continue;
      const reaches = kind !== undefined && hooksOf(kind).routesTo(resources?.kind === kind ? resources : undefined, producer.to, consumer.from);
      if (reaches) return { service: service.name, producer: producer.name, consumer: consumer.name, patch: { [consumer.failures.poison.field]: consumer.failures.poison.equals } };
    }
  }
  return undefined;
}

/** What is wrong with a fault for this scenario (unknown names, a link the service does not have, …). */
export function faultProblems(scenario: Scenario, spec: FaultSpec): FaultProblem[] {
  const problems: FaultProblem[] = [];
  const add = (field: string, message: string) => void problems.push({ field, message });
  const services = scenario.services.map((s) => s.name);
  const brokers = Object.keys(scenario.brokers);
  const service = "service" in spec ? scenario.services.find((s) => s.name === spec.service) : undefined;
  if ("service" in spec && !service) return [{ field: "service", message: `"${spec.service}" is not a service of this scenario (services: ${list(services)})` }];
  if (service && "replica" in spec && spec.replica !== undefined && spec.replica >= service.replicas) {
    add("replica", `"${service.name}" has ${service.replicas} replica${service.replicas === 1 ? "" : "s"} (0-${service.replicas - 1})`);
  }
  switch (spec.action) {
    case "slow":
      if (service && service.consumers.length === 0) add("service", `"${service.name}" has no consumers; slow adds work time to every message a consumer processes`);
      break;
    case "latency": case "bandwidth": case "drop": case "cut": case "reset": case "closeConnection": {
      const used = brokersOf(service!);
      const broker = faultBroker(scenario, spec);
      if (spec.broker && !used.includes(spec.broker)) add("broker", `"${service!.name}" does not use broker "${spec.broker}" (it uses: ${list(used)})`);
      else if (!broker) add("broker", `"${service!.name}" uses ${used.length === 0 ? "no broker" : `brokers ${used.join(", ")}`}; name the link's broker with broker:`);
      else if (spec.action === "closeConnection") {
        const kind = scenario.brokers[broker]?.kind;
        if (!kind || !hasCapability(kind, "brokerConnectionClose")) add("broker", `closeConnection needs a ${labelsWith("brokerConnectionClose").join(" or ")} broker, but "${broker}" is ${kind}; use reset or cut for ${kind ? descriptorOf(kind).label : "its"} links`);
      }
      break;
    }
    case "stopBroker": case "startBroker":
      if (!brokers.includes(spec.broker)) add("broker", `"${spec.broker}" is not a broker of this scenario (brokers: ${list(brokers)})`);
      break;
    case "fillQueue": {
      const broker = faultBroker(scenario, spec);
      const queue = broker ? boundedQueueOf(scenario, broker, spec.queue) : undefined;
      const kind = spec.broker ? scenario.brokers[spec.broker]?.kind : undefined;
      if (spec.broker && !(kind && hasCapability(kind, "boundedQueues"))) add("broker", `"${spec.broker}" is not a ${labelsWith("boundedQueues").join(" or ")} broker of this scenario`);
      else if (!queue) add("queue", `"${spec.queue}" is not a queue declared in the resources of ${spec.broker ? `broker "${spec.broker}"` : `exactly one ${labelsWith("boundedQueues").join(" or ")} broker`}`);
      else if (spec.count === undefined && queue.maxLength === undefined) add("queue", `queue "${spec.queue}" has no maxLength; set one on the queue or give fillQueue a count`);
      break;
    }
    case "poison":
      if (!poisonTarget(scenario, spec)) add(spec.consumer ? "consumer" : "service", `"${spec.service}" has ${spec.consumer ? `no consumer "${spec.consumer}" with` : "no single consumer with"} a failures.poison rule to match`);
      else if (!poisonRoute(scenario, spec)) add("service", `no producer in the scenario publishes to the source of ${spec.service}/${poisonTarget(scenario, spec)!.name}; add one (rate: { manual: true } is enough)`);
      break;
    default:
      break;
  }
  return problems;
}

/** Reference problems of a scenario's fault timeline, by path (`faults[2].broker`). */
export function checkFaultReferences(scenario: Scenario): { path: string; message: string }[] {
  return scenario.faults.flatMap((fault, i) => {
    const { at: _at, ...spec } = fault;
    return faultProblems(scenario, spec).map((p) => ({
      path: `faults[${i}].${p.field === faultTargets[fault.action] ? fault.action : p.field}`,
      message: p.message,
    }));
  });
}

/** One line for timelines and logs: "latency 200±20 ms on order-service↔rabbit". */
export function describeFault(spec: FaultSpec, broker?: string): string {
  const who = "service" in spec ? `${spec.service}${"replica" in spec && spec.replica !== undefined ? `[${spec.replica}]` : ""}` : "";
  const link = `${who}↔${broker ?? ("broker" in spec ? spec.broker : "") ?? "?"}`;
  const lasting = "forMs" in spec && spec.forMs ? ` for ${spec.forMs} ms` : "";
  switch (spec.action) {
    case "slow": return `slow ${who} by ${spec.ms} ms per message${lasting}`;
    case "latency": return `latency ${spec.ms}${spec.jitterMs ? `±${spec.jitterMs}` : ""} ms on ${link}${lasting}`;
    case "bandwidth": return `bandwidth ${spec.bytesPerSecond} B/s on ${link}${lasting}`;
    case "drop": case "cut": case "reset": return `${spec.action} ${link}${lasting}`;
    case "closeConnection": return `broker closes the connections of ${link}`;
    case "stopBroker": case "startBroker": return `${spec.action === "stopBroker" ? "stop" : "start"} broker ${spec.broker}${lasting}`;
    case "fillQueue": return `fill queue ${spec.queue}${spec.count ? ` with ${spec.count} messages` : " to its max-length"}`;
    case "poison": return `poison message for ${spec.service}${spec.consumer ? `/${spec.consumer}` : ""}`;
    default: return `${spec.action} ${who}${lasting}`;
  }
}
