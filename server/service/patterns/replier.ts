// A replier: consumes requests, works on each, and publishes the reply to the request's reply-to
// queue with its correlation id, inside the request's CONSUMER span (so the reply's PRODUCER span
// joins the request's trace). It acks a request once its reply is confirmed, or failed for good.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { replyStatusHeader } from "../../../lib/run/patterns";
import type { Replier } from "../../../lib/scenario/patterns";
import type { RenderContext } from "../../../lib/scenario/template";
import type { Delivery, Settlement } from "../../brokers/messaging";
import { queuePatternsOf } from "../client-drivers";
import { brokerlabHeaders, preciseNow, readHeaders } from "../headers";
import { compilePayload, decodeBody, encodeBody, fieldsOf } from "../templates";
import { failureOf, sleep, workMs } from "../work";
import { consumeForPart } from "./part";
import type { PartContext, PatternPart } from "./part";
import { exportedTraceId } from "../trace-limit";

export async function startReplier(part: PartContext, replier: Replier): Promise<PatternPart> {
  const { launch, clients, metrics, recorder } = part;
  const service = launch.service.name;
  const counters = recorder.replier(replier.name);
  const renderReply = compilePayload(replier.reply, ["*"]);
  const user = `replier "${replier.name}"`;
  const publisher = await queuePatternsOf(launch, replier.broker, user).publisher(clients, replier.broker, { window: 1_000, onError: part.error });
  let external = 0;
  let seq = 0;

  async function handle(delivery: Delivery): Promise<Settlement> {
    const info = readHeaders(delivery.headers);
    const requestId = info.id ?? `external/${delivery.source}/${++external}`;
    const span = trace.getSpan(delivery.context);
    span?.setAttributes({
      "messaging.message.id": requestId,
      "brokerlab.replier": `${service}/${replier.name}`,
      ...(delivery.correlationId ? { "messaging.message.conversation_id": delivery.correlationId } : {}),
    });
    metrics.event("delivered", requestId, replier.name, { traceId: exportedTraceId(span), destination: delivery.source, redelivered: delivery.redelivered });
    await sleep(workMs(replier.work) + part.extraWorkMs());
    const fields = fieldsOf(decodeBody(delivery.body));
    const failure = failureOf({ errorRate: replier.failures.errorRate }, fields);
    if (info.id && info.runId === launch.runId) metrics.consumed(replier.name, requestId);
    if (!delivery.replyTo) {
      counters.failed += 1;
      span?.addEvent("brokerlab.no_reply_to");
      metrics.event("processed", requestId, replier.name, { destination: delivery.source, detail: "no reply-to: nobody to answer" });
      return { kind: "ack" };
    }
    seq += 1;
    const ctx: RenderContext = { seq, service, producer: replier.name, replica: launch.replica, runId: launch.runId, now: Date.now(), fields };
    const replyId = `${service}/${replier.name}/reply/${requestId}`;
    const body = failure ? { error: failure, request: requestId } : renderReply(ctx);
    if (failure) span?.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    if (!(await publisher.writable())) return { kind: "nack", requeue: true };
    const result = await publisher.publish({
      exchange: "", routingKey: delivery.replyTo, body: encodeBody(body), messageId: replyId, persistent: false, mandatory: true,
      headers: { ...brokerlabHeaders({ id: replyId, runId: launch.runId, sentAt: preciseNow(), attempt: 1, origin: requestId }), [replyStatusHeader]: failure ? "error" : "ok" },
      ...(delivery.correlationId ? { correlationId: delivery.correlationId } : {}),
    });
    const traceId = exportedTraceId(span);
    if (!result.ok || result.returned) {
      // The reply queue is gone (its client died or reconnected): the answer cannot be delivered.
      counters.failed += 1;
      const detail = result.ok ? `reply queue ${delivery.replyTo} no longer exists` : result.error.message;
      span?.addEvent("brokerlab.reply_failed", { "brokerlab.reason": detail });
      metrics.event("send-failed", requestId, replier.name, { traceId, destination: delivery.replyTo, detail });
      return result.ok ? { kind: "ack" } : { kind: "nack", requeue: true };
    }
    if (failure) counters.errors += 1;
    else counters.replied += 1;
    metrics.confirmed(replyId);
    metrics.event("replied", requestId, replier.name, { traceId, destination: delivery.replyTo, detail: failure ? `error reply: ${failure}` : `reply ${replyId}` });
    return { kind: "ack" };
  }

  const subscription = await consumeForPart(part, { user, broker: replier.broker, queue: replier.from.queue, prefetch: replier.prefetch, concurrency: replier.concurrency }, counters, handle);

  return {
    name: replier.name,
    start() {},
    stop() {},
    done: () => counters.inFlight === 0,
    async settle(timeoutMs) {
      await subscription.stop(timeoutMs);
      await publisher.settle(Math.min(timeoutMs, 2_000));
    },
    close: () => publisher.close(),
  };
}
