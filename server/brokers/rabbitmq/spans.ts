// RabbitMQ spans in the messaging conventions' model, in one place. The amqplib instrumentation
// starts the send and process spans (named `publish <exchange>` and `<queue> process`, with
// pre-v1.2x attributes): its hooks and the consumer adapters rename them and set the current
// attributes here; the settle spans (ack, nack, reject) are started here around the channel call.
import { context, trace } from "@opentelemetry/api";
import type { Context, Span } from "@opentelemetry/api";
import type { ConsumeMessage } from "amqplib";
import { rabbitDestinationName } from "../../../lib/trace/messaging-conventions";
import { markFailed, modelSpan, startSettleSpan } from "../messaging-spans";

const system = "rabbitmq";
const routingKeyAttributes = (routingKey: string) => (routingKey ? { "messaging.rabbitmq.destination.routing_key": routingKey } : {});

/** For the instrumentation's publishHook: `send {exchange}:{routing key}`. */
export function modelRabbitSend(span: Span, exchange: string, routingKey: string): void {
  modelSpan(span, { system, type: "send", operation: "send", destination: rabbitDestinationName(exchange, routingKey), attributes: routingKeyAttributes(routingKey) });
}

/** For the instrumentation's consumeEndHook: a rejected message's process span says why (error.type). */
export function endRabbitProcess(span: Span, rejected: boolean | null, endOperation: string): void {
  span.setAttribute("brokerlab.settlement", endOperation);
  if (rejected !== false) span.setAttribute("error.type", endOperation);
}

/** The destination a consumer of `queue` saw `message` at: `{exchange}:{routing key}:{queue}`. */
const consumedAt = (message: ConsumeMessage, queue: string) => rabbitDestinationName(message.fields.exchange, message.fields.routingKey, queue);

/** In the consumer's callback, where the instrumentation's process span is active: `process {exchange}:{routing key}:{queue}`. */
export function modelRabbitProcess(message: ConsumeMessage, queue: string): Context {
  const active = context.active();
  const span = trace.getSpan(active);
  if (span) {
    modelSpan(span, {
      system, type: "process", operation: "process", destination: consumedAt(message, queue),
      attributes: { ...routingKeyAttributes(message.fields.routingKey), "messaging.rabbitmq.message.delivery_tag": message.fields.deliveryTag },
    });
  }
  return active;
}

/**
 * Settles `message` on its channel inside a `settle` span under its process span: `ack`, `nack`
 * (requeue or not) or `reject`; the channel call is synchronous, so the span ends right after it.
 * Without a process context the call is made untraced.
 */
export function settleRabbit(processContext: Context | undefined, message: ConsumeMessage, queue: string, operation: "ack" | "nack" | "reject", requeue: boolean | undefined, call: () => void): void {
  if (!processContext) return call();
  const span = startSettleSpan({ system, operation, destination: consumedAt(message, queue), attributes: requeue === undefined ? {} : { "brokerlab.requeue": requeue } }, { processContext });
  try {
    call();
  } catch (error) {
    markFailed(span, error instanceof Error ? error.name : "_OTHER", error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    span.end();
  }
}
