// The service process's client side of each broker kind, found by kind: how a sender is built,
// how a scenario consumer starts, how a producer's `to` renders per message and how the message
// log names where it went, and what the pattern parts may ask of the kind. The runtime, producers,
// consumers, forwards and patterns look the driver up here instead of asking which broker it is.
// The kinds are client-setups.ts's: the drivers load from there once telemetry has started.
import { descriptorOf, labelsWith } from "../../lib/brokers";
import type { BrokerKind, Capability } from "../../lib/brokers";
import type { ServiceLaunch } from "../../lib/run/ipc";
import type { Consumer, Producer, Target } from "../../lib/scenario/schema";
import type { StateListener, Subscription } from "../brokers/messaging";
import type { BrokerError } from "../brokers/types";
import type { EventLogs } from "./client-kafka";
import type { QueuePatterns } from "./client-rabbitmq";
import { clientSetups } from "./client-setups";
import type { Destination, Sender, SenderOptions, ServiceClients } from "./clients";
import type { HandlerOptions } from "./consumer";
import type { ServiceMetrics } from "./metrics";
import type { CompiledTarget } from "./templates";

export interface SenderContext {
  broker: string;
  spec: ServiceLaunch["brokers"][string];
  /** The process's clients: a driver's sender shares the broker's connection through them. */
  clients: ServiceClients;
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

/** `D`: the kind's own destinations (what its compiled targets render and its senders take). */
export interface ClientDriver<D extends Destination = Destination> {
  sender(context: SenderContext): Promise<Sender>;
  consume(start: ConsumerStart): Promise<Subscription>;
  compileTarget(to: Target, fields: readonly string[]): CompiledTarget<D>;
  /** Fixed headers a target adds to every message (SNS message attributes). */
  targetHeaders(to: Target): Record<string, string | number>;
  /** A send that failed retriably is tried again (capped backoff with jitter) until answered or the run stops; otherwise a bounded number of times. */
  resendsUntilAnswered(producer: Producer): boolean;
  /** Where a message went, for the message log: the destination's name, and its key where it has one. */
  describe(destination: D): { destination: string; key?: string };
  /** Request/reply and task queues (requesters, repliers, task producers, workers, HTTP APIs); absent on kinds without them. */
  queuePatterns?: QueuePatterns;
  /** Projections: a log read again from an offset or a time; absent on kinds without one. */
  eventLog?: EventLogs;
}

const loading: Partial<Record<string, Promise<void>>> = {};
const registered: Partial<Record<string, ClientDriver>> = {};
let called = false;

/**
 * Imports the client drivers of `kinds` (every kind when absent), and with them the broker client
 * libraries: a service process calls it once OpenTelemetry has started (runtime.ts), so the
 * instrumentations patch them, with only the kinds its launch spec names (a RabbitMQ service
 * does not load the Kafka, AWS, Pub/Sub and Redis clients). Calling it again adds kinds.
 */
export async function loadClientDrivers(kinds: Iterable<BrokerKind> = Object.keys(clientSetups) as BrokerKind[]): Promise<void> {
  called = true;
  await Promise.all([...new Set(kinds)].map((kind) => {
    const setup = clientSetups[kind];
    if (!setup) throw new Error(`No client driver for broker kind "${kind}": service processes have ${knownKinds()}; register one in server/service/client-setups.ts`);
    return (loading[kind] ??= setup.loadDriver().then((driver) => { registered[kind] = driver; }));
  }));
}

const knownKinds = () => Object.keys(clientSetups).map((k) => `"${k}"`).join(", ");

function clientDrivers(): Partial<Record<string, ClientDriver>> {
  if (!called) throw new Error("The client drivers are not loaded yet: await loadClientDrivers() once telemetry has started");
  return registered;
}

/** The client driver of a broker kind; an unknown kind is an error naming the kinds there are. */
export function clientDriverOf(kind: string): ClientDriver {
  const driver = clientDrivers()[kind];
  if (driver) return driver;
  if (kind in clientSetups) throw new Error(`The ${descriptorOf(kind as BrokerKind).label} client driver is not loaded in this process: its launch spec names no ${kind} broker`);
  throw new Error(`No client driver for broker kind "${kind}": service processes have ${knownKinds()}; register one in server/service/client-setups.ts`);
}

/** The client driver of a scenario broker, by its name in the launch spec. */
export function clientDriverFor(launch: ServiceLaunch, broker: string): ClientDriver {
  const spec = launch.brokers[broker];
  if (!spec) throw new Error(`broker "${broker}" is not in the launch spec`);
  return clientDriverOf(spec.kind);
}

/**
 * The descriptor capability behind each client-side one: the kinds a refusal names come from the
 * descriptors (lib/brokers), which know every kind, not from the drivers this process loaded.
 */
const describedBy = { queuePatterns: "requestReply", eventLog: "replay" } as const satisfies Record<"queuePatterns" | "eventLog", Capability>;

/** What a pattern part needs of its broker, or an error saying which kinds offer it. */
function capabilityOf<K extends "queuePatterns" | "eventLog">(launch: ServiceLaunch, broker: string, key: K, part: string): NonNullable<ClientDriver[K]> {
  const found = clientDriverFor(launch, broker)[key];
  if (found) return found as NonNullable<ClientDriver[K]>;
  const kind = launch.brokers[broker]!.kind;
  const offering = labelsWith(describedBy[key]).join(" or ");
  throw new Error(`${part} needs a ${offering} broker, but broker "${broker}" is ${descriptorOf(kind).label}`);
}

export const queuePatternsOf = (launch: ServiceLaunch, broker: string, part: string): QueuePatterns => capabilityOf(launch, broker, "queuePatterns", part);
export const eventLogOf = (launch: ServiceLaunch, broker: string, part: string): EventLogs => capabilityOf(launch, broker, "eventLog", part);
