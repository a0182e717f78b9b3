// The service-side client of an Amazon SQS/SNS/EventBridge broker: a sender over the SDK, a
// scenario consumer that long-polls an SQS queue, and producer targets rendered per message.
// Failures map onto SQS itself: a retry hides the message for the retry delay (it comes back with
// a higher receive count, which is its attempt), requeue lets the visibility timeout lapse, and
// dead-lettering copies it to the queue's declared dead-letter queue before deleting it.
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
import { copyHeaders, readHeaders } from "./headers";

type AwsBroker = Extract<ResolvedBroker, { kind: "aws" }>;

function endpointOf(spec: ResolvedBroker): AwsBroker {
  if (spec.kind !== "aws") throw new Error(`broker kind "${spec.kind}" is not Amazon SQS/SNS`);
  return spec;
}

function sender(context: SenderContext): Promise<Sender> {
  const sdk = createAwsClients(endpointOf(context.spec), { maxAttempts: 1 });
  const publisher = createAwsSender({ clients: sdk, window: context.options.window, onState: context.report, onError: context.onError });
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

/** The dead-letter queue the scenario declares for `queue` (its redrive target), if any. */
export function deadLetterQueueOf(launch: ServiceLaunch, broker: string, queue: string): string | undefined {
  const resources = launch.resources[broker] as { queues?: { name: string; deadLetter?: { queue: string } }[] } | undefined;
  return resources?.queues?.find((q) => q.name === queue)?.deadLetter?.queue;
}

async function consume(start: ConsumerStart): Promise<Subscription> {
  const { launch, consumer, clients } = start;
  const from = consumer.from as { queue: string; waitSeconds?: number };
  const queue = from.queue;
  const sdk = createAwsClients(endpointOf(clients.resolved(consumer.broker)), { maxAttempts: 1 });
  const deadLetterQueue = deadLetterQueueOf(launch, consumer.broker, queue);

  const route: FailureRoute = {
    broker: "aws",
    autoAck: consumer.ack === "auto",
    retry: (delivery, _id, _attempt, delayMs) => (delivery as AwsDelivery).changeVisibility(delayMs / 1000),
    async deadLetter(delivery, id, reason) {
      if (!deadLetterQueue) return undefined;
      const support = await clients.support(consumer.broker);
      if (!(await support.writable())) return undefined;
      const fifo = deadLetterQueue.endsWith(".fifo") ? { groupId: "dead-letters", deduplicationId: id.replace(/[^A-Za-z0-9!"#$%&'()*+,./:;<=>?@[\\\]^_`{|}~-]/g, "_").slice(0, 128) } : {};
      const outcome = await support.send({
        id, destination: { queue: deadLetterQueue, ...fifo }, body: delivery.body,
        headers: copyHeaders(delivery.headers, { "x-brokerlab-dead-letter-reason": reason.slice(0, 200), "x-brokerlab-dead-letter-from": queue }),
      });
      return outcome.ok ? { kind: "ack" } : undefined;
    },
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

export const awsClientDriver: ClientDriver = { sender, consume, compileTarget, targetHeaders, resendsUntilAnswered: true };
