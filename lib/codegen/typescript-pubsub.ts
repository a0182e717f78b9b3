// The @google-cloud/pubsub programs, on the emulator: a publisher (Brokerlab's headers and a W3C
// traceparent as attributes, an ordering key when the scenario gives one) and a subscriber by
// streaming pull or by pull, acking after the work and nacking a failure for Pub/Sub to deliver again.
import { tsQuote } from "./escape";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import type { PubsubEndpoint, PubsubSubscriptionDecl, PubsubTopicDecl } from "./redis-pubsub-plan";
import { pubsubConsumerParts } from "./redis-pubsub-plan";
import { indent, lines } from "./source";
import { attributeLines } from "./typescript-aws-clients";
import { tsProducerLoop } from "./typescript-rabbitmq";
import { tsProducerTop } from "./typescript-redis";
import { tsMain, tsSleep, tsString, tsUsesUuid, tsWork } from "./typescript-syntax";

const q = tsQuote;

const tsPubsubConfig = (endpoint: PubsubEndpoint) =>
  lines(
    "// The emulator and project as Brokerlab reads them; no credentials (the emulator takes none).",
    `const emulatorHost = process.env.PUBSUB_EMULATOR_HOST ?? ${q(endpoint.emulatorHost)};`,
    `const projectId = process.env.PUBSUB_PROJECT_ID ?? ${q(endpoint.project)};`,
    'process.env.METADATA_SERVER_DETECTION ??= "none"; // no Google metadata server to ask on a laptop',
    "const ALREADY_EXISTS = 6; // the gRPC status of creating what is there already",
  );

/** An apiEndpoint outside googleapis.com puts the client in emulator mode: plain gRPC. */
const tsPubsubClient = "  const pubsub = new PubSub({ projectId, apiEndpoint: emulatorHost });";

const tsIgnoreExisting = (call: string) =>
  lines(`  await ${call}.catch((error: { code?: number }) => {`, "    if (error.code !== ALREADY_EXISTS) throw error;", "  });");

/** Creates the declared topics that are not `existing` (idempotently), dead-letter topics first. */
const tsCreateTopics = (topics: PubsubTopicDecl[]) => lines(...topics.filter((t) => !t.existing).map((t) => tsIgnoreExisting(`pubsub.createTopic(${q(t.name)})`)));

function tsCreateSubscription(subscription: PubsubSubscriptionDecl | undefined): string {
  if (!subscription || subscription.existing) return "";
  const options = [
    `ackDeadlineSeconds: ${Math.round(subscription.ackDeadline / 1000)}`,
    subscription.messageOrdering && "enableMessageOrdering: true",
    subscription.filter !== undefined && `filter: ${q(subscription.filter)}`,
    subscription.deadLetter && `deadLetterPolicy: { deadLetterTopic: \`projects/\${projectId}/topics/\${${q(subscription.deadLetter.topic)}}\`, maxDeliveryAttempts: ${subscription.deadLetter.maxDeliveryAttempts} }`,
  ].filter(Boolean);
  return tsIgnoreExisting(`pubsub.topic(${q(subscription.topic)}).createSubscription(subscriptionName, { ${options.join(", ")} })`);
}

export function tsPubsubProducerProgram(plan: ProducerPlan): string {
  if (plan.route.kind !== "pubsub") return "";
  const route = plan.route;
  const endpoint = plan.endpoint as PubsubEndpoint;
  const loop = tsProducerLoop(plan);
  const exprs = [plan.payload, route.orderingKey, ...plan.headers.map(([, value]) => value), ...route.attributes.map(([, value]) => value)];
  const attributes = lines("{", indent(attributeLines([...plan.headers, ...route.attributes], "id", "payload").join("\n"), 1), "}");
  return lines(
    'import { PubSub } from "@google-cloud/pubsub";',
    `import { randomBytes${tsUsesUuid(exprs) ? ", randomUUID" : ""} } from "node:crypto";`,
    "",
    tsPubsubConfig(endpoint),
    `const topicName = ${q(route.topic)};`,
    tsProducerTop(plan, exprs),
    "",
    "async function main(): Promise<void> {",
    tsPubsubClient,
    tsCreateTopics(endpoint.topics.filter((t) => t.name === route.topic)),
    route.orderingKey ? "  const topic = pubsub.topic(topicName, { messageOrdering: true }); // ordering keys need the publisher's ordering on" : "  const topic = pubsub.topic(topicName);",
    loop.start,
    "    // Resolves with the message id once Pub/Sub has stored the message; the headers travel as attributes.",
    "    await topic.publishMessage({",
    "      data: Buffer.from(JSON.stringify(payload)),",
    `      attributes: ${indent(attributes, 3).trimStart()},`,
    route.orderingKey && `      orderingKey: ${tsString(route.orderingKey)},`,
    "    });",
    loop.end(),
    "  await pubsub.close();",
    "  console.log(`published ${sent} messages`);",
    "}",
    "",
    tsMain,
  );
}

export function tsPubsubConsumerProgram(plan: ConsumerPlan): string {
  const { consumer, onError } = plan;
  const parts = pubsubConsumerParts(plan);
  if (!parts) return "";
  const { from, endpoint, declared, manual, pull, extend } = parts;
  const failure = lines(
    "      const reason = error instanceof Error ? error.message : String(error);",
    onError.then === "drop" && lines(`      if (attempt > ${onError.retries}) {`, "        await settle.ack();", "        console.warn(`${id}: ${reason}; dropped (acked without processing)`);", "        return;", "      }"),
    "      await settle.nack(); // delivered again at once (with a dead-letter policy, one attempt more counted)",
    "      console.warn(`${id}: ${reason}; nacked: Pub/Sub delivers it again`);",
  );
  return lines(
    `import { PubSub${pull ? ", v1" : ""} } from "@google-cloud/pubsub";`,
    "",
    tsPubsubConfig(endpoint),
    `const subscriptionName = ${q(from.subscription)};`,
    `const concurrency = ${consumer.concurrency}; // messages worked on at a time`,
    consumer.idempotent && "const processed = new Set<string>(); // ids already processed: a repeat is acked, not processed again",
    consumer.failures.crashAfter !== undefined && "let taken = 0;",
    extend && `const ackDeadlineSeconds = ${Math.round((declared?.ackDeadline ?? 10_000) / 1000)}; // the subscription's: an unacked message is delivered again after it`,
    (pull || consumer.work.ms > 0 || consumer.work.jitterMs > 0) && tsSleep,
    "",
    tsWork(consumer),
    "",
    "type Settle = { ack(): Promise<void>; nack(): Promise<void> };",
    "",
    "/** One delivery: its attributes carry Brokerlab's id and the traceparent of the producer's trace. */",
    "async function handle(data: Buffer, attributes: Record<string, string>, deliveryAttempt: number, settle: Settle): Promise<void> {",
    `  const id = attributes[${q(codegenHeaders.id)}] ?? "?";`,
    '  const traceId = attributes.traceparent?.split("-")[1];',
    "  // Pub/Sub counts attempts only on a subscription with a dead-letter policy (0 otherwise).",
    "  const attempt = Math.max(1, deliveryAttempt);",
    consumer.idempotent && lines("  if (processed.has(id)) {", "    await settle.ack();", "    console.log(`${id}: a duplicate, acked without processing`);", "    return;", "  }"),
    consumer.failures.crashAfter !== undefined && lines(`  if (++taken >= ${consumer.failures.crashAfter}) {`, "    console.error(`crashAfter: exiting before acking ${id}`);", "    process.exit(1);", "  }"),
    !manual && "  await settle.ack(); // auto: acked on receipt, before the work",
    "  try {",
    "    await work(JSON.parse(data.toString()) as Record<string, unknown>);",
    consumer.idempotent && "    processed.add(id);",
    manual && "    await settle.ack(); // manual: acked once the work is done",
    '    console.log(`${id}: processed${attempt > 1 ? ` (attempt ${attempt})` : ""}${traceId ? ` in trace ${traceId}` : ""}`);',
    "  } catch (error) {",
    manual ? failure.replace(/^ {2}/gm, "") : "    console.warn(`${id}: ${error instanceof Error ? error.message : String(error)}; lost: acked on receipt`);",
    "  }",
    "}",
    "",
    "async function main(): Promise<void> {",
    tsPubsubClient,
    tsCreateTopics(endpoint.topics),
    tsCreateSubscription(declared),
    "  const stop = new AbortController();",
    '  process.once("SIGINT", () => stop.abort());',
    pull ? tsPullLoop(extend) : tsStreamingPull,
    "  await pubsub.close();",
    "}",
    "",
    tsMain,
  );
}

const tsStreamingPull = lines(
  "  // Streaming pull: the library keeps a stream open, holds at most `concurrency` unacked messages and extends their deadlines.",
  "  const subscription = pubsub.subscription(subscriptionName, { flowControl: { maxMessages: concurrency, allowExcessMessages: false } });",
  '  subscription.on("error", (error: Error) => console.error(`subscription: ${error.message}`));',
  '  subscription.on("message", (message: { data: Buffer; attributes: Record<string, string>; deliveryAttempt: number; ack(): void; nack(): void }) => {',
  "    const settle = { ack: async () => message.ack(), nack: async () => message.nack() };",
  "    void handle(message.data, message.attributes, message.deliveryAttempt, settle);",
  "  });",
  "  console.log(`consuming ${subscriptionName} by streaming pull; press Ctrl+C to stop`);",
  '  await new Promise((resolve) => stop.signal.addEventListener("abort", resolve));',
  "  await subscription.close();",
);

function tsPullLoop(extend: boolean): string {
  return lines(
    "  // Pull: one Pull call at a time, up to `concurrency` messages, each acked or nacked by its ack id.",
    "  const subscriber = new v1.SubscriberClient((await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0]);",
    "  const subscription = `projects/${projectId}/subscriptions/${subscriptionName}`;",
    "  const deadline = (ackIds: string[], seconds: number) => subscriber.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: seconds }).then(() => undefined);",
    "  console.log(`consuming ${subscriptionName} by pull; press Ctrl+C to stop`);",
    "  while (!stop.signal.aborted) {",
    "    const [response] = await subscriber.pull({ subscription, maxMessages: concurrency }, { timeout: 5_000 }).catch(() => [{ receivedMessages: [] }]);",
    "    const received = response.receivedMessages ?? [];",
    "    if (received.length === 0) await sleep(200);",
    "    await Promise.all(",
    "      received.map(async ({ ackId, message, deliveryAttempt }) => {",
    "        const ackIds = [ackId ?? \"\"];",
    extend && "        // Keeps the deadline from lapsing while the work runs (halfway through each deadline).",
    extend && "        const keepAlive = setInterval(() => void deadline(ackIds, ackDeadlineSeconds), (ackDeadlineSeconds * 1000) / 2);",
    "        const settle = { ack: () => subscriber.acknowledge({ subscription, ackIds }).then(() => undefined), nack: () => deadline(ackIds, 0) };",
    `        ${extend ? "try {\n          " : ""}await handle(Buffer.from(message?.data ?? ""), (message?.attributes ?? {}) as Record<string, string>, deliveryAttempt ?? 0, settle);${extend ? "\n        } finally {\n          clearInterval(keepAlive);\n        }" : ""}`,
    "      }),",
    "    );",
    "  }",
    "  await subscriber.close();",
  );
}
