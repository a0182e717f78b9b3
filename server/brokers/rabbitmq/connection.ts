// A RabbitMQ connection that heals itself: amqplib's recovery reconnects with capped exponential
// backoff and jitter, and every component registered with onConnect rebuilds its channel on it.
import { connect } from "amqplib";
import type { ChannelModel, RecoveringChannelModel } from "amqplib";
import { backoffDelay } from "../backoff";
import type { ConnectionStatus, StateListener } from "../messaging";
import type { BrokerError } from "../types";
import { toBrokerError, unavailable } from "./errors";
import { tlsSocketOptions } from "./tls";

export type ConnectSetup = (model: ChannelModel) => Promise<void> | void;

export interface RabbitConnection {
  readonly url: string;
  /** Runs `setup` now when connected and after every reconnection; returns an unsubscribe. */
  onConnect(setup: ConnectSetup): () => void;
  /** Resolves on the first connection; a BrokerError when the broker stays unreachable. */
  ready(): Promise<void>;
  status(): ConnectionStatus;
  /** The current connection, if any. */
  current(): ChannelModel | undefined;
  close(): Promise<void>;
}

export interface RabbitConnectionOptions {
  url: string;
  /** Shown in the management UI's connection list. */
  name: string;
  onState?: StateListener;
  onError?: (error: BrokerError) => void;
  /** Attempts before the first connection is given up (then status is "crashed"). */
  initialRetries?: number;
  maxDelayMs?: number;
  /** AMQP heartbeat unless the URL sets one: a silent peer (a dropped link) is noticed within twice this. */
  heartbeatSeconds?: number;
  /** A CA certificate an amqps:// connection trusts besides Node's built-in ones (the local stack's). */
  caFile?: string;
}

/** The URL with a heartbeat parameter, unless it already has one. */
export function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has("heartbeat")) parsed.searchParams.set("heartbeat", String(seconds));
  return parsed.toString();
}

export function createRabbitConnection(options: RabbitConnectionOptions): RabbitConnection {
  const { url } = options;
  const setups = new Set<ConnectSetup>();
  let status: ConnectionStatus = "reconnecting";
  let model: ChannelModel | undefined;
  let closing = false;

  const report = (next: ConnectionStatus, detail?: string) => {
    status = next;
    try {
      options.onState?.(next, detail);
    } catch {
      // A failing listener never takes the connection down.
    }
  };

  const recovering: Promise<RecoveringChannelModel> = connect(withHeartbeat(url, options.heartbeatSeconds ?? 10), {
    clientProperties: { connection_name: options.name },
    ...tlsSocketOptions(options.caFile),
    recovery: {
      waitForConnect: false,
      initialMaxRetries: options.initialRetries ?? 8,
      maxRetries: Infinity,
      calculateDelay: (attempt: number) => backoffDelay(attempt, { initialMs: 200, maxMs: options.maxDelayMs ?? 5_000 }),
    },
  });

  const runSetup = (setup: ConnectSetup, on: ChannelModel) => {
    Promise.resolve()
      .then(() => setup(on))
      .catch((error: unknown) => options.onError?.(toBrokerError(error, url, "set up after connecting")));
  };

  const firstConnection = recovering.then((rec) => {
    rec.on("error", () => {}); // followed by 'disconnect'
    rec.on("connect", (opened: ChannelModel) => {
      model = opened;
      report("connected");
      for (const setup of setups) runSetup(setup, opened);
    });
    rec.on("disconnect", (error: Error) => {
      model = undefined;
      if (!closing) report("reconnecting", error.message);
    });
    rec.on("reconnect-scheduled", ({ attempt, delay, error }: { attempt: number; delay: number; error: Error }) => {
      if (!closing) report("reconnecting", `attempt ${attempt} in ${delay} ms: ${unavailable(url, error).message}`);
    });
    rec.on("reconnect-failed", (error: Error) => {
      if (!closing) report("crashed", unavailable(url, error).message);
    });
    rec.on("blocked", (reason: string) => report("reconnecting", `blocked by the broker: ${reason}`));
    rec.on("unblocked", () => report("connected"));
    return rec.waitForConnect().then(
      () => undefined,
      (error: unknown) => { throw unavailable(url, error); },
    );
  });
  firstConnection.catch(() => {});

  return {
    url,
    onConnect(setup) {
      setups.add(setup);
      if (model) runSetup(setup, model);
      return () => setups.delete(setup);
    },
    ready: () => firstConnection,
    status: () => status,
    current: () => model,
    async close() {
      closing = true;
      setups.clear();
      await recovering.then((rec) => rec.close()).catch(() => {});
      model = undefined;
    },
  };
}
