// The service-side client of a Google Cloud Pub/Sub broker: a sender publishing to topics, a
// scenario consumer on a subscription (streaming pull or pull), and producer targets rendered per
// message (the ordering key's template). Failures map onto Pub/Sub itself: a retry hides the
// message for the retry delay (its ack deadline), a requeue is a nack (delivered again at once), and
// dead-lettering is the subscription's dead-letter policy: the message is nacked until its
// delivery attempt reaches maxDeliveryAttempts, and Pub/Sub moves it to the dead-letter topic.
import { headerNames } from "../../lib/run/ipc";
import type { ResolvedBroker, ServiceLaunch } from "../../lib/run/ipc";
import type { Target } from "../../lib/scenario/schema";
import type { RenderContext } from "../../lib/scenario/template";
import { compileString } from "../../lib/scenario/template";
import { createPubsubClient } from "../brokers/pubsub/clients";
import { createPubsubSender } from "../brokers/pubsub/sender";
import type { PubsubDestination } from "../brokers/pubsub/sender";
import { subscribePubsub } from "../brokers/pubsub/subscriber";
import type { PubsubDelivery } from "../brokers/pubsub/subscriber";
import type { Subscription } from "../brokers/messaging";
import type { ClientDriver, ConsumerStart, SenderContext } from "./client-drivers";
import type { Sender } from "./clients";
import { createMessageHandler } from "./consumer";
import type { FailureRoute } from "./consumer";
import { createForwarder } from "./forward";
import { readHeaders } from "./headers";

declare module "./clients" {
  interface Destinations { pubsub: PubsubDestination }
}

type PubsubBroker = Extract<ResolvedBroker, { kind: "pubsub" }>;

function brokerOf(spec: ResolvedBroker): PubsubBroker {
  if (spec.kind !== "pubsub") throw new Error(`broker kind "${spec.kind}" is not Google Cloud Pub/Sub`);
  return spec;
}

function sender(context: SenderContext): Promise<Sender> {
  const pubsub = createPubsubClient(brokerOf(context.spec));
  const publisher = createPubsubSender({ pubsub, window: context.options.window, onState: context.report, onError: context.onError });
  return Promise.resolve({
    writable: () => publisher.writable(),
    send(message) {
      if (!("pubsubTopic" in message.destination)) throw new Error("a Pub/Sub sender needs a topic ({ pubsubTopic })");
      // The same headers object: the sender writes the traceparent it injected back into it.
      return publisher.publish({ destination: message.destination, body: message.body, headers: message.headers });
    },
    inFlight: () => publisher.inFlight(),
    settle: (timeoutMs) => publisher.settle(timeoutMs),
    async close() {
      await publisher.close();
      await pubsub.close();
    },
  });
}

function compileTarget(to: Target, fields: readonly string[]): { render(ctx: RenderContext): PubsubDestination } {
  if (!("pubsubTopic" in to)) throw new Error(`${JSON.stringify(to)} is not a Pub/Sub target`);
  const orderingKey = to.orderingKey === undefined ? undefined : compileString(to.orderingKey, fields);
  return { render: (ctx) => ({ pubsubTopic: to.pubsubTopic, ...(orderingKey ? { orderingKey: orderingKey(ctx) } : {}) }) };
}

interface DeclaredSubscription {
  name: string;
  ackDeadline: number;
  deadLetter?: { topic: string; maxDeliveryAttempts: number };
}

/** The subscription the scenario declares under this name, if any. */
function declaredSubscription(launch: ServiceLaunch, broker: string, name: string): DeclaredSubscription | undefined {
  const resources = launch.resources[broker] as { subscriptions?: DeclaredSubscription[] } | undefined;
  return resources?.subscriptions?.find((s) => s.name === name);
}

async function consume(start: ConsumerStart): Promise<Subscription> {
  const { launch, consumer, clients } = start;
  const from = consumer.from as { subscription: string; mode?: "streaming" | "pull"; extendDeadline?: boolean };
  const broker = brokerOf(clients.resolved(consumer.broker));
  const pubsub = createPubsubClient(broker);
  const declared = declaredSubscription(launch, consumer.broker, from.subscription);
  const deadLetter = declared?.deadLetter;

  const route: FailureRoute = {
    autoAck: consumer.ack === "auto",
    requeuesInPlace: false,
    retry: (delivery, _id, _attempt, delayMs) => (delivery as PubsubDelivery).redeliverAfter(delayMs / 1000),
    // Before the last attempt Pub/Sub allows, the failure is a nack like a requeue (undefined); on it,
    // the nack lets Pub/Sub dead-letter the message, counted dead-lettered now.
    deadLetter: async (delivery) => (deadLetter && (delivery as PubsubDelivery).deliveryAttempt >= deadLetter.maxDeliveryAttempts ? { kind: "nack", requeue: false } : undefined),
  };
  const handle = createMessageHandler({ ...start, route, forward: createForwarder(start) });
  const subscription = await subscribePubsub({
    pubsub,
    target: broker,
    subscription: from.subscription,
    mode: from.mode ?? "streaming",
    concurrency: consumer.concurrency,
    ackDeadlineSeconds: Math.round((declared?.ackDeadline ?? 10_000) / 1000),
    extendDeadline: from.extendDeadline ?? true,
    autoAck: consumer.ack === "auto",
    linkSpans: launch.propagation === "link" && launch.tracing.enabled,
    onState: (status, detail) => clients.report(consumer.broker, `consumer:${consumer.name}`, status, detail),
    onError: clients.onError,
    // With a dead-letter policy Pub/Sub counts deliveries: a message seen again is a later attempt, whatever its header says.
    handler: (delivery) => {
      const attempt = Math.max(readHeaders(delivery.headers).attempt, delivery.deliveryAttempt);
      return handle(attempt > 1 ? { ...delivery, headers: { ...delivery.headers, [headerNames.attempt]: String(attempt) } } : delivery);
    },
  });
  return {
    inFlight: () => subscription.inFlight(),
    async stop(timeoutMs) {
      await subscription.stop(timeoutMs);
      await pubsub.close();
    },
  };
}

export const pubsubClientDriver: ClientDriver<PubsubDestination> = {
  sender,
  consume,
  compileTarget,
  // A target's fixed attributes travel beside the producer's headers (subscription filters read them).
  targetHeaders: (to) => ("pubsubTopic" in to && to.attributes ? to.attributes : {}),
  // A publish is confirmed by the message id Pub/Sub returns; without one it is sent again.
  resendsUntilAnswered: () => true,
  describe: (destination) => ({ destination: destination.pubsubTopic, ...(destination.orderingKey ? { key: destination.orderingKey } : {}) }),
};
