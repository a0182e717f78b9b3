// A requester: sends requests with reply-to and a correlation id, waits for each reply up to its
// timeout, and tells replies, error replies, timeouts, late replies and strangers apart. A CLIENT
// span per request covers the round trip; the request and its reply stay in that one trace.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import { messageId } from "../../../lib/run/ipc";
import { replyStatusHeader } from "../../../lib/run/patterns";
import type { RequestOutcome } from "../../../lib/run/patterns";
import type { Requester } from "../../../lib/scenario/patterns";
import type { RenderContext } from "../../../lib/scenario/template";
import { delay } from "../../brokers/backoff";
import { createChangeSignal } from "../../brokers/in-flight";
import type { Delivery } from "../../brokers/messaging";
import { queuePatternsOf } from "../client-drivers";
import { brokerlabHeaders, preciseNow, readHeaders } from "../headers";
import { compileHeaders, compilePayload, encodeBody, fieldsOf } from "../templates";
import { createPacer } from "./pace";
import { RequestFailed, createRequestBreaker } from "./requester-breaker";
import type { PartContext, PatternPart } from "./part";
import { exportedTraceId } from "../trace-limit";

const tracer = trace.getTracer("brokerlab-request-reply");

interface Pending {
  id: string; sentAt: number; timer: NodeJS.Timeout; span: Span; traceId?: string;
  /** Ends the call: ends its span, or tells the circuit breaker how it went (which then ends the span). */
  finish(outcome: RequestOutcome["status"]): void;
}

export async function startRequester(part: PartContext, requester: Requester): Promise<PatternPart> {
  const { launch, clients, metrics, recorder } = part;
  const service = launch.service.name;
  const key = `${service}/${requester.name}`;
  const counters = recorder.requester(requester.name);
  const patterns = queuePatternsOf(launch, requester.broker, `requester "${requester.name}"`);
  const { exchange, routingKey, name: destination } = patterns.requestTarget(requester.to);
  const renderPayload = compilePayload(requester.payload);
  const renderHeaders = compileHeaders(requester.headers, Object.keys(fieldsOf(requester.payload)));
  const pending = new Map<string, Pending>();
  /** Timed-out requests (correlation id → sent at), to recognise their late replies. */
  const expired = new Map<string, number>();
  /** Signalled when a pending request settles (room for another) or the requester stops. */
  const room = createChangeSignal();
  const breaker = requester.circuitBreaker ? createRequestBreaker(requester.circuitBreaker, counters) : undefined;

  const publisher = await patterns.publisher(clients, requester.broker, { window: requester.maxPending, onError: part.error });
  const replies = await patterns.replyQueue(clients, requester.broker, {
    ...(requester.replyTo === "exclusive" ? {} : { queue: requester.replyTo.queue }),
    handler: onReply,
    onError: part.error,
  });

  const outcome = (status: RequestOutcome["status"], id: string, extra: Partial<RequestOutcome> = {}) =>
    recorder.request({ id, requester: key, status, at: Date.now(), ...extra });

  function settle(correlationId: string): Pending | undefined {
    const entry = pending.get(correlationId);
    if (!entry) return undefined;
    pending.delete(correlationId);
    clearTimeout(entry.timer);
    counters.pending = pending.size;
    room.signal();
    return entry;
  }

  function timeout(correlationId: string): void {
    const entry = settle(correlationId);
    if (!entry) return;
    counters.timedOut += 1;
    expired.set(correlationId, entry.sentAt);
    if (expired.size > 10_000) expired.delete(expired.keys().next().value!);
    entry.span.setStatus({ code: SpanStatusCode.ERROR, message: `no reply within ${requester.timeout} ms` });
    entry.span.addEvent("brokerlab.request.timeout", { "brokerlab.timeout_ms": requester.timeout });
    entry.finish("timeout");
    outcome("timeout", entry.id, { sentAt: entry.sentAt, traceId: entry.traceId, detail: `no reply within ${requester.timeout} ms` });
    metrics.event("timed-out", entry.id, requester.name, { traceId: entry.traceId, destination, detail: `no reply within ${requester.timeout} ms` });
  }

  function onReply(delivery: Delivery): void {
    const correlationId = delivery.correlationId ?? "";
    const info = readHeaders(delivery.headers);
    const replySpan = trace.getSpan(delivery.context);
    replySpan?.setAttribute("messaging.message.conversation_id", correlationId);
    if (info.id && info.runId === launch.runId) metrics.consumed(requester.name, info.id);
    const now = preciseNow();
    const failed = delivery.headers[replyStatusHeader] === "error";
    const entry = settle(correlationId);
    if (entry) {
      const rttMs = now - entry.sentAt;
      if (failed) counters.errors += 1;
      else counters.replied += 1;
      recorder.roundTrip(requester.name, rttMs);
      entry.span.setAttribute("brokerlab.round_trip_ms", Math.round(rttMs * 1000) / 1000);
      if (failed) entry.span.setStatus({ code: SpanStatusCode.ERROR, message: "the server answered with an error" });
      entry.finish(failed ? "error" : "replied");
      outcome(failed ? "error" : "replied", entry.id, { sentAt: entry.sentAt, rttMs, traceId: entry.traceId });
      metrics.event("reply-received", entry.id, requester.name, { traceId: entry.traceId, destination: delivery.source, detail: `${failed ? "error reply" : "reply"} after ${rttMs.toFixed(1)} ms` });
      return;
    }
    const sentAt = expired.get(correlationId);
    if (sentAt !== undefined) {
      expired.delete(correlationId);
      counters.late += 1;
      replySpan?.setAttribute("brokerlab.late", true);
      outcome("late", correlationId, { sentAt, rttMs: now - sentAt, traceId: exportedTraceId(replySpan), detail: `arrived ${(now - sentAt - requester.timeout).toFixed(0)} ms after the timeout` });
      metrics.event("late-reply", correlationId, requester.name, { traceId: exportedTraceId(replySpan), destination: delivery.source, detail: `${(now - sentAt).toFixed(0)} ms after sending, timeout ${requester.timeout} ms` });
      return;
    }
    counters.unmatched += 1;
    replySpan?.setAttribute("brokerlab.unmatched", true);
    outcome("unmatched", correlationId || "(no correlation id)", { detail: "no request of this process has this correlation id" });
  }

  async function send(seq: number, override?: unknown): Promise<boolean> {
    while (pending.size >= requester.maxPending && !part.stopping.aborted) await room.changed();
    if (!(await publisher.writable()) || part.stopping.aborted) return false;
    // After a reconnection an exclusive reply queue is declared anew; wait for its name.
    for (let waited = 0; !replies.name() && waited < 10_000 && !part.stopping.aborted; waited += 50) await delay(50, part.stopping);
    const replyTo = replies.name();
    if (!replyTo) return false;
    const id = messageId(service, requester.name, seq);
    if (!breaker) {
      request(seq, id, replyTo, override, (span) => span.end());
      return true;
    }
    // The breaker decides whether the request goes out; the call lasts until its outcome is known.
    let started: Span | undefined;
    void breaker.run(() => new Promise<void>((resolve, reject) => {
      started = request(seq, id, replyTo, override, (_span, status) => (status === "replied" ? resolve() : reject(new RequestFailed(status))));
    })).then((ran) => {
      if (!ran) return fastFail(id);
      breaker.mark(started!);
      started!.end();
    }).catch(part.error);
    return true;
  }

  /** The attributes of a request's CLIENT span, sent or not. */
  const requestAttributes = (id: string) => ({
    "messaging.system": patterns.system,
    "messaging.destination.name": destination,
    "messaging.message.id": id,
    "messaging.message.conversation_id": id,
    "brokerlab.timeout_ms": requester.timeout,
    ...(breaker ? { "brokerlab.circuit.state": breaker.state() } : {}),
  });

  /** The open breaker refused the call: a span of its own with nothing under it, since nothing was sent. */
  function fastFail(id: string): void {
    const span = tracer.startSpan(`request ${destination}`, { kind: SpanKind.CLIENT, attributes: { ...requestAttributes(id), "brokerlab.request.outcome": "fast-failed" } }, ROOT_CONTEXT);
    const detail = `the circuit breaker is ${breaker!.state()}: the request was not sent`;
    span.addEvent("brokerlab.circuit.rejected");
    span.setStatus({ code: SpanStatusCode.ERROR, message: detail });
    breaker!.mark(span);
    span.end();
    const traceId = exportedTraceId(span);
    outcome("fast-failed", id, { traceId, detail });
    metrics.event("send-failed", id, requester.name, { traceId, destination, detail });
  }

  /** Sends one request and waits for its outcome; `finish` is called once with it. */
  function request(seq: number, id: string, replyTo: string, override: unknown, finish: (span: Span, status: RequestOutcome["status"]) => void): Span {
    const ctx: RenderContext = { seq, service, producer: requester.name, replica: launch.replica, runId: launch.runId, now: Date.now() };
    const payload = override ?? renderPayload(ctx);
    ctx.fields = fieldsOf(payload);
    const span = tracer.startSpan(`request ${destination}`, {
      kind: SpanKind.CLIENT,
      attributes: { ...requestAttributes(id), "brokerlab.reply_to": replyTo },
    }, ROOT_CONTEXT);
    const sentAt = preciseNow();
    const traceId = exportedTraceId(span);
    pending.set(id, {
      id, sentAt, span, traceId, timer: setTimeout(() => timeout(id), requester.timeout),
      finish(status) {
        span.setAttribute("brokerlab.request.outcome", status);
        finish(span, status);
      },
    });
    counters.sent += 1;
    counters.pending = pending.size;
    const published = context.with(trace.setSpan(ROOT_CONTEXT, span), () => publisher.publish({
      exchange, routingKey, body: encodeBody(payload), messageId: id, persistent: false, mandatory: true,
      headers: { ...renderHeaders(ctx), ...brokerlabHeaders({ id, runId: launch.runId, sentAt, attempt: 1 }) },
      replyTo, correlationId: id,
      ...(requester.expire ? { expiration: requester.timeout } : {}),
    }));
    metrics.event("published", id, requester.name, { traceId, destination, detail: `reply-to ${replyTo}, correlation id ${id}` });
    void published.then((result) => {
      if (result.ok && !result.returned) {
        counters.confirmed += 1;
        metrics.confirmed(id);
        metrics.event("confirmed", id, requester.name, { traceId, destination });
        return;
      }
      const detail = result.ok ? "unroutable: no queue is bound for this request" : result.error.message;
      counters.failed += 1;
      const entry = settle(id);
      entry?.span.setStatus({ code: SpanStatusCode.ERROR, message: detail });
      entry?.finish("send-failed");
      outcome("send-failed", id, { sentAt, traceId, detail });
      metrics.event(result.ok ? "returned" : "send-failed", id, requester.name, { traceId, destination, detail });
    });
    return span;
  }

  const pacer = createPacer({
    rate: requester.rate, count: requester.count, startAfter: requester.startAfter, replica: launch.replica, replicas: launch.replicas,
    send: (seq) => send(seq),
    onExhausted: () => {},
  });

  return {
    name: requester.name,
    start: () => pacer.start(),
    sendNow: (count) => pacer.sendNow(count),
    stop() {
      pacer.stop();
      room.signal();
    },
    done() {
      counters.done = pacer.exhausted() && pending.size === 0;
      return counters.done;
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) await delay(20);
    },
    async close() {
      for (const entry of pending.values()) {
        clearTimeout(entry.timer);
        entry.span.setStatus({ code: SpanStatusCode.ERROR, message: "the service stopped while waiting" });
        entry.span.end();
      }
      await replies.stop();
      await publisher.close();
    },
  };
}
