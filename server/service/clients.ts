// The broker clients of one service process: the client each scenario broker's senders and
// consumers share (opened by its kind's client driver: one RabbitMQ connection, one kafkajs
// client), senders built by the drivers, and the connection state reported to the engine per
// broker (the worst state of its components: crashed > reconnecting > connected).
import type { ConnectionState, ResolvedBroker } from "../../lib/run/ipc";
import type { ConnectionStatus, SendOutcome } from "../brokers/messaging";
import type { BrokerError } from "../brokers/types";
import { clientDriverOf } from "./client-drivers";
import type { HeaderValue } from "./templates";

/**
 * Each kind's destinations by kind, added by its client driver's own module
 * (`declare module "./clients" { interface Destinations { <kind>: … } }`), so no list names them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Destinations {}

/** Where one message goes, in its broker kind's own terms (rendered from a `to` by the kind's client driver). */
export type Destination = Destinations[keyof Destinations];

export interface Outgoing {
  id: string;
  destination: Destination;
  body: Buffer;
  headers: Record<string, HeaderValue>;
  persistent?: boolean;
  mandatory?: boolean;
}

/** A publisher for any broker. */
export interface Sender {
  writable(): Promise<boolean>;
  send(message: Outgoing): Promise<SendOutcome>;
  inFlight(): number;
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface SenderOptions { confirm: boolean; window: number; acks: -1 | 0 | 1; idempotent: boolean }

const supportOptions: SenderOptions = { confirm: true, window: 1_000, acks: -1, idempotent: false };
const rank: Record<ConnectionStatus, number> = { connected: 0, reconnecting: 1, crashed: 2 };

export interface ClientHooks {
  state(broker: string, state: ConnectionState, detail?: string): void;
  error(error: BrokerError): void;
}

/** What opening a broker's shared client gets: the broker, how this process is named to it, where its state goes. */
export interface SharedClientContext {
  broker: string;
  spec: ResolvedBroker;
  /** `client`: the Kafka client id; `connection`: the RabbitMQ connection name (what closeConnection selects by). */
  names: { client: string; connection: string };
  report(component: string, status: ConnectionStatus, detail?: string): void;
  onError(error: BrokerError): void;
}

/** A client one broker's senders and consumers share, closed after them when the process stops. */
export interface SharedClient<T> {
  client: T;
  close?(): Promise<void>;
}

export type OpenShared<T> = (context: SharedClientContext) => SharedClient<T>;

export interface ServiceClients {
  /** Records one component's status; tells the engine when the broker's overall state changes. */
  report(broker: string, component: string, status: ConnectionStatus, detail?: string): void;
  resolved(broker: string): ResolvedBroker;
  onError(error: BrokerError): void;
  /** The client `open` opened for `broker`, opened on first use (a driver's accessor passes its own `open`). */
  shared<T>(broker: string, open: OpenShared<T>): T;
  sender(broker: string, options: SenderOptions, component: string): Promise<Sender>;
  /** A shared sender per broker for forwards, retries and dead letters (confirms on, acks all). */
  support(broker: string): Promise<Sender>;
  settleAll(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `resources`: the scenario's resources per broker (a sender may judge routing by them). */
export function createServiceClients(brokers: Record<string, ResolvedBroker>, names: SharedClientContext["names"], hooks: ClientHooks, resources: Record<string, unknown> = {}): ServiceClients {
  const opened = new Map<OpenShared<unknown>, Map<string, SharedClient<unknown>>>();
  const senders: Sender[] = [];
  const support = new Map<string, Promise<Sender>>();
  type Part = { status: ConnectionStatus; detail?: string };
  const components = new Map<string, Map<string, Part>>();
  const reported = new Map<string, string>();

  function report(broker: string, component: string, status: ConnectionStatus, detail?: string): void {
    const parts = components.get(broker) ?? new Map<string, Part>();
    components.set(broker, parts);
    parts.set(component, { status, detail });
    const worst = [...parts.values()].reduce((a: Part, b: Part) => (rank[b.status] > rank[a.status] ? b : a));
    const key = `${worst.status}:${worst.detail ?? ""}`;
    if (reported.get(broker) === key) return;
    reported.set(broker, key);
    hooks.state(broker, worst.status, worst.detail);
  }

  function resolved(broker: string): ResolvedBroker {
    const found = brokers[broker];
    if (!found) throw new Error(`broker "${broker}" is not in the launch spec`);
    return found;
  }

  function shared<T>(broker: string, open: OpenShared<T>): T {
    const byBroker = opened.get(open) ?? new Map<string, SharedClient<unknown>>();
    opened.set(open, byBroker);
    let found = byBroker.get(broker);
    if (!found) {
      found = open({ broker, spec: resolved(broker), names, report: (component, status, detail) => report(broker, component, status, detail), onError: hooks.error });
      byBroker.set(broker, found);
    }
    return found.client as T;
  }

  const clients: ServiceClients = {
    report,
    resolved,
    onError: hooks.error,
    shared,
    async sender(broker, options, component) {
      const spec = resolved(broker);
      const built = await clientDriverOf(spec.kind).sender({
        broker, spec, clients, resources: resources[broker], options,
        report: (status, detail) => report(broker, component, status, detail), onError: hooks.error,
      });
      senders.push(built);
      return built;
    },
    support(broker) {
      let found = support.get(broker);
      if (!found) {
        found = clients.sender(broker, supportOptions, "support-producer");
        support.set(broker, found);
        found.catch(() => support.delete(broker));
      }
      return found;
    },
    async settleAll(timeoutMs) {
      await Promise.all(senders.map((s) => s.settle(timeoutMs)));
    },
    async close() {
      await Promise.all(senders.map((s) => s.close().catch(() => {})));
      await Promise.all([...opened.values()].flatMap((byBroker) => [...byBroker.values()].map((c) => c.close?.())));
    },
  };
  return clients;
}
