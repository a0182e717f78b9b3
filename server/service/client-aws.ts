// The service-side client of an Amazon SQS/SNS/EventBridge broker: a sender over the SDK, a
// scenario consumer that long-polls an SQS queue, and producer targets rendered per message.
// Failures map onto SQS itself: a retry hides the message for the retry delay (it comes back with
// a higher receive count, which is its attempt), requeue lets the visibility timeout lapse, and
// dead-lettering is the queue's redrive policy: the message is left to lapse until its receive
// count reaches maxReceiveCount, and SQS moves it to the dead-letter queue after that receive.
import { headerNames } from "../../lib/run/ipc";
import type { ResolvedBroker, ServiceLaunch } from "../../lib/run/ipc";
import type { Target } from "../../lib/scenario/schema";
import type { RenderContext } from "../../lib/scenario/template";
import { compileString } from "../../lib/scenario/template";
import { createAwsClients } from "../brokers/aws/clients";
import { createAwsResolver, createAwsSender } from "../brokers/aws/sender";
import type { AwsDestination } from "../brokers/aws/sender";
import { subscribeAwsQueue } from "../brokers/aws/subscriber";
import type { AwsDelivery } from "../brokers/aws/subscriber";
import type { Subscription } from "../brokers/messaging";
import type { ClientDriver, ConsumerStart, SenderContext } from "./client-drivers";
import type { Sender } from "./clients";
import { createMessageHandler } from "./consumer";
import type { FailureRoute } from "./consumer";
import { createForwarder } from "./forward";
import { readHeaders } from "./headers";

declare module "./clients" {
  interface Destinations { aws: AwsDestination }
}

type AwsBroker = Extract<ResolvedBroker, { kind: "aws" }>;

function endpointOf(spec: ResolvedBroker): AwsBroker {
  if (spec.kind !== "aws") throw new Error(`broker kind "${spec.kind}" is not Amazon SQS/SNS`);
  return spec;
}

function sender(context: SenderContext): Promise<Sender> {
  const sdk = createAwsClients(endpointOf(context.spec), { maxAttempts: 1 });
  const publisher = createAwsSender({ clients: sdk, window: context.options.window, rulesOf: context.resources ? declaredRules(context.resources) : undefined, onState: context.report, onError: context.onError });
  return Promise.resolve({
    writable: () => publisher.writable(),
    send(message) {
      const destination = message.destination;
      if (!("queue" in destination || "snsTopic" in destination || "bus" in destination)) throw new Error("an Amazon sender needs a queue, an SNS topic or a bus");
      // The same headers object: the sender writes the traceparent it injected back into it.
      return publisher.publish({ destination, body: message.body, headers: message.headers });
    },
    inFlight: () => publisher.inFlight(),
    settle: (timeoutMs) => publisher.settle(timeoutMs),
    async close() {
      await publisher.close();
      sdk.destroy();
    },
  });
}

type Declared = { buses?: { name: string; existing?: boolean }[]; rules?: { bus: string; pattern: Record<string, unknown> }[] };

/** The patterns of a bus the run created (every rule on it is the scenario's); undefined for others. */
function declaredRules(resources: unknown): (bus: string) => Record<string, unknown>[] | undefined {
  const { buses = [], rules = [] } = resources as Declared;
  return (bus) => (buses.some((b) => b.name === bus && !b.existing) ? rules.filter((r) => r.bus === bus).map((r) => r.pattern) : undefined);
}

/** A producer's `to` on an Amazon broker, with its group and deduplication id templates compiled. */
function compileTarget(to: Target, fields: readonly string[]): { render(ctx: RenderContext): AwsDestination } {
  const optional = (text: string | undefined) => (text === undefined ? undefined : compileString(text, fields));
  if ("bus" in to) return { render: () => ({ bus: to.bus, source: to.source, detailType: to.detailType }) };
  if ("snsTopic" in to) {
    const groupId = optional(to.groupId);
    return { render: (ctx) => ({ snsTopic: to.snsTopic, ...(groupId ? { groupId: groupId(ctx) } : {}) }) };
  }
  if (!("queue" in to)) throw new Error(`${JSON.stringify(to)} is not an Amazon SQS/SNS/EventBridge target`);
  const groupId = optional("groupId" in to ? to.groupId : undefined);
  const deduplicationId = optional("deduplicationId" in to ? to.deduplicationId : undefined);
  return {
    render: (ctx) => ({ queue: to.queue, ...(groupId ? { groupId: groupId(ctx) } : {}), ...(deduplicationId ? { deduplicationId: deduplicationId(ctx) } : {}) }),
  };
}

/** An SNS target's fixed `attributes` travel as message attributes, beside the producer's headers. */
function targetHeaders(to: Target): Record<string, string | number> {
  return "snsTopic" in to && to.attributes ? to.attributes : {};
}

/** The redrive policy the scenario declares for `queue`, if any. */
export function redriveOf(launch: ServiceLaunch, broker: string, queue: string): { queue: string; maxReceiveCount: number } | undefined {
  const resources = launch.resources[broker] as { queues?: { name: string; deadLetter?: { queue: string; maxReceiveCount: number } }[] } | undefined;
  return resources?.queues?.find((q) => q.name === queue)?.deadLetter;
}

async function consume(start: ConsumerStart): Promise<Subscription> {
  const { launch, consumer, clients } = start;
  const from = consumer.from as { queue: string; waitSeconds?: number };
  const queue = from.queue;
  const sdk = createAwsClients(endpointOf(clients.resolved(consumer.broker)), { maxAttempts: 1 });
  const redrive = redriveOf(launch, consumer.broker, queue);

  const route: FailureRoute = {
    autoAck: consumer.ack === "auto",
    requeuesInPlace: false,
    retry: (delivery, _id, _attempt, delayMs) => (delivery as AwsDelivery).changeVisibility(delayMs / 1000),
    // Before the last receive SQS allows, the failure lapses like a requeue (undefined); on it, the
    // message is left for SQS to redrive, and counted dead-lettered now.
    deadLetter: async (delivery) => (redrive && (delivery as AwsDelivery).receiveCount >= redrive.maxReceiveCount ? { kind: "nack", requeue: false } : undefined),
  };
  const handle = createMessageHandler({ ...start, route, forward: createForwarder(start) });
  const subscription = await subscribeAwsQueue({
    clients: sdk,
    resolver: createAwsResolver(sdk),
    queue,
    concurrency: consumer.concurrency,
    waitSeconds: from.waitSeconds ?? 1,
    autoAck: consumer.ack === "auto",
    linkSpans: launch.propagation === "link" && launch.tracing.enabled,
    onState: (status, detail) => clients.report(consumer.broker, `consumer:${consumer.name}`, status, detail),
    onError: clients.onError,
    // SQS counts receives: a message seen again is a later attempt, whatever its header says.
    handler: (delivery) => {
      const attempt = Math.max(readHeaders(delivery.headers).attempt, delivery.receiveCount);
      return handle(attempt > 1 ? { ...delivery, headers: { ...delivery.headers, [headerNames.attempt]: String(attempt) } } : delivery);
    },
  });
  return {
    inFlight: () => subscription.inFlight(),
    async stop(timeoutMs) {
      await subscription.stop(timeoutMs);
      sdk.destroy();
    },
  };
}

export const awsClientDriver: ClientDriver<AwsDestination> = {
  sender,
  consume,
  compileTarget,
  targetHeaders,
  // A send is confirmed by the id SQS, SNS or EventBridge returns; without one it is sent again.
  resendsUntilAnswered: () => true,
  describe: (destination) => ({ destination: "queue" in destination ? destination.queue : "snsTopic" in destination ? destination.snsTopic : destination.bus }),
};
