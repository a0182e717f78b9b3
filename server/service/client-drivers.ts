// The service process's client side of each broker kind, found by kind: how a sender is built,
// how a scenario consumer starts, and how a producer's `to` renders per message. RabbitMQ and
// Kafka are still wired by hand in clients.ts and runtime.ts; a kind listed here needs no branch.
import type { ResolvedBroker, ServiceLaunch } from "../../lib/run/ipc";
import type { Consumer, Target } from "../../lib/scenario/schema";
import type { StateListener, Subscription } from "../brokers/messaging";
import type { BrokerError } from "../brokers/types";
import { awsClientDriver } from "./client-aws";
import type { Destination, Sender, SenderOptions, ServiceClients } from "./clients";
import type { HandlerOptions } from "./consumer";
import type { ServiceMetrics } from "./metrics";
import { compileTarget } from "./templates";
import type { CompiledTarget } from "./templates";

export interface SenderContext {
  spec: ResolvedBroker;
  /** The scenario's resources on this broker (launch.resources), when the launch has them. */
  resources?: unknown;
  options: SenderOptions;
  report: StateListener;
  onError: (error: BrokerError) => void;
}

export interface ConsumerStart {
  launch: ServiceLaunch;
  consumer: Consumer;
  clients: ServiceClients;
  metrics: ServiceMetrics;
  crash: HandlerOptions["crash"];
  extraWorkMs?: HandlerOptions["extraWorkMs"];
  stopping: AbortSignal;
}

export interface ClientDriver {
  sender(context: SenderContext): Promise<Sender>;
  consume(start: ConsumerStart): Promise<Subscription>;
  compileTarget(to: Target, fields: readonly string[]): CompiledTarget<Destination>;
  /** Fixed headers a target adds to every message (SNS message attributes). */
  targetHeaders(to: Target): Record<string, string | number>;
  /** A send that failed retriably is tried again (capped backoff with jitter) until answered or the run stops. */
  resendsUntilAnswered: boolean;
}

const clientDrivers: Partial<Record<ResolvedBroker["kind"], ClientDriver>> = { aws: awsClientDriver };

export const clientDriverOf = (kind: ResolvedBroker["kind"] | undefined): ClientDriver | undefined => (kind ? clientDrivers[kind] : undefined);

/** A producer's or forward's target for the broker it names. */
export function compileTargetFor(kind: ResolvedBroker["kind"] | undefined, to: Target, fields: readonly string[]): CompiledTarget<Destination> {
  return clientDriverOf(kind)?.compileTarget(to, fields) ?? compileTarget(to, fields);
}

/** Where a message went, for the message log. */
export function destinationLabel(destination: Destination): string {
  if ("topic" in destination) return destination.topic;
  if ("exchange" in destination) return destination.exchange || destination.routingKey;
  return "queue" in destination ? destination.queue : "snsTopic" in destination ? destination.snsTopic : destination.bus;
}
