// The reactive style of a RabbitMQ consumer in TypeScript: the queue as an RxJS Observable and the
// work as a mergeMap with bounded concurrency. Demand travels the Reactive Streams way: prefetch is
// the subscriber's request(n) to the broker, the mergeMap bound is the work in progress.
import { quotedName, tsComment, tsQuote } from "./escape";
import { CodegenError, codegenHeaders, rabbitEndpointWithForward } from "./plan";
import type { ConsumerPlan } from "./plan";
import { indent, lines } from "./source";
import { tsRabbitConnect, tsRabbitUrl } from "./typescript-clients";
import { tsHeaderReader, tsMain, tsSleep, tsWork } from "./typescript-syntax";

/** What the reactive style does not cover, in the learner's words; undefined when it covers the consumer. */
function unsupported(plan: ConsumerPlan): string | undefined {
  const { consumer, onError } = plan;
  if (!("queue" in consumer.from)) return "it reads a RabbitMQ queue only";
  if (plan.forward) return `it does not forward; remove the forward of ${plan.service}/${plan.name} or use the default style`;
  if (onError.retries > 0) return `it does not retry through delay queues; set ${plan.service}/${plan.name}'s retries to 0 or use the default style`;
  if (consumer.failures.crashAfter !== undefined) return `it does not simulate crashes; remove failures.crashAfter or use the default style`;
  return undefined;
}

export function tsRabbitReactiveConsumerProgram(plan: ConsumerPlan): string {
  const reason = unsupported(plan);
  if (reason) throw new CodegenError(`The reactive TypeScript consumer covers plain queue consumers: ${reason}.`);
  const { consumer, onError } = plan;
  const queue = "queue" in consumer.from ? consumer.from.queue : "";
  const endpoint = rabbitEndpointWithForward(plan);
  const manual = consumer.ack === "manual";
  const source = endpoint.declarations.queues.find((x) => x.name === queue);
  const failed = !manual
    ? ["console.warn(`${id}: ${reason}; lost: auto-ack removed it from the broker on delivery`);"]
    : onError.then === "dead-letter"
      ? [`channel.nack(message, false, false); ${tsComment(`no requeue: ${source?.deadLetter ? `the dead-letter exchange ${quotedName(source.deadLetter.exchange)} takes it` : "this queue has no dead-letter exchange, so RabbitMQ drops it"}`)}`, "console.warn(`${id}: ${reason}; rejected`);"]
      : onError.then === "requeue"
        ? ["channel.nack(message, false, true); // back into the queue: delivered again with redelivered = true", "console.warn(`${id}: ${reason}; requeued`);"]
        : ["channel.ack(message); // dropped: acknowledged without being processed", "console.warn(`${id}: ${reason}; dropped`);"];
  // Prefetch 0 is "no limit" to RabbitMQ: request(unbounded), which the comment says plainly.
  const request = consumer.prefetch === 0 ? "no limit: an unbounded request, the broker pushes everything" : `the subscriber's request(${consumer.prefetch})`;

  return lines(
    'import { connect } from "amqplib";',
    'import type { Channel, ConsumeMessage } from "amqplib";',
    'import { Observable, mergeMap } from "rxjs";',
    "",
    tsRabbitUrl(endpoint),
    `const queue = ${tsQuote(queue)};`,
    `const prefetch = ${consumer.prefetch}; // ${request}`,
    `const concurrency = ${consumer.concurrency}; // messages in work at once (mergeMap's bound)`,
    tsSleep,
    tsHeaderReader,
    "",
    tsWork(consumer),
    "",
    "/** The queue as an Observable: one item per delivery; unsubscribing cancels the consumer. */",
    "function deliveries(channel: Channel): Observable<ConsumeMessage> {",
    "  return new Observable<ConsumeMessage>((subscriber) => {",
    "    let consumerTag: string | undefined;",
    "    channel",
    `      .consume(queue, (message) => (message === null ? subscriber.complete() : subscriber.next(message)), { noAck: ${!manual} })`,
    "      .then((ok) => (consumerTag = ok.consumerTag), (error: unknown) => subscriber.error(error));",
    "    return () => {",
    "      if (consumerTag) channel.cancel(consumerTag).catch(() => undefined);",
    "    };",
    "  });",
    "}",
    "",
    "async function main(): Promise<void> {",
    indent(tsRabbitConnect(endpoint, false), 1),
    "  // The subscriber's demand, as Reactive Streams' request(n): RabbitMQ has at most `prefetch`",
    "  // unacknowledged deliveries out to this consumer, and each ack asks for one more.",
    "  await channel.prefetch(prefetch);",
    "  let inWork = 0;",
    "  let mostInWork = 0;",
    "",
    "  const subscription = deliveries(channel)",
    "    .pipe(",
    "      // At most `concurrency` handlers run at once; deliveries beyond that wait here, and there",
    "      // are never more of them than the prefetch allows, so a burst stays in the broker.",
    "      mergeMap(async (message) => {",
    "        const headers = message.properties.headers as Record<string, unknown> | undefined;",
    `        const id = String(message.properties.messageId ?? header(headers, ${tsQuote(codegenHeaders.id)}) ?? \`\${queue}/\${message.fields.deliveryTag}\`);`,
    "        inWork += 1;",
    "        mostInWork = Math.max(mostInWork, inWork);",
    "        try {",
    "          await work(JSON.parse(message.content.toString()) as Record<string, unknown>);",
    manual ? "          channel.ack(message);" : "          // (auto-ack: the broker already forgot it)",
    "          console.log(`${id}: processed (${inWork} in work, at most ${mostInWork} so far)`);",
    "        } catch (error) {",
    "          const reason = error instanceof Error ? error.message : String(error);",
    indent(failed.join("\n"), 5),
    "        } finally {",
    "          inWork -= 1;",
    "        }",
    "      }, concurrency),",
    "    )",
    "    .subscribe({ error: (error: unknown) => console.error(error) });",
    "  console.log(`waiting for messages on ${queue} (prefetch ${prefetch}, concurrency ${concurrency}); press Ctrl+C to stop`);",
    '  process.once("SIGINT", () => {',
    "    subscription.unsubscribe();",
    "    void connection.close().finally(() => process.exit(0));",
    "  });",
    "}",
    "",
    tsMain,
  );
}
