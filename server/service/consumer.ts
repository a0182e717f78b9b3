// What a consumer does with each delivery, whatever the broker: count it, simulate the work and
// failures, deduplicate, forward, and on failure apply the onError policy (retry while attempts
// remain, then dead-letter, drop or requeue). The broker-specific moves come from a FailureRoute.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { headerNames } from "../../lib/run/ipc";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { describeXDeath } from "../../lib/run/x-death";
import { retryDelay } from "../../lib/scenario/derived";
import type { Consumer } from "../../lib/scenario/schema";
import type { Delivery, DeliveryHandler, Settlement } from "../brokers/messaging";
import { faultEventName } from "./fault-notices";
import type { Forwarder } from "./forward";
import { preciseNow, readHeaders } from "./headers";
import { createEffectStore } from "./effect-store";
import { createIdMemory } from "./lru";
import type { ServiceMetrics } from "./metrics";
import { serviceDatabase } from "./service-database";
import { decodeBody, fieldsOf } from "./templates";
import { failureOf, sleep, workMs } from "./work";
import { exportedTraceId } from "./trace-limit";

/** The broker-specific moves of a consumer. */
export interface FailureRoute {
  /** The broker already forgot the message (auto-ack): nothing can be requeued or dead-lettered by the broker. */
  autoAck: boolean;
  /** A requeue processes the same message again in place (the adapter loops); otherwise the nack hands it back to the broker. */
  requeuesInPlace: boolean;
  /** Publishes a copy for `attempt` that arrives after `delayMs`; true when the broker took it. */
  retry(delivery: Delivery, id: string, attempt: number, delayMs: number): Promise<boolean>;
  /** Dead-letters an exhausted message; the settlement to apply, or undefined when it failed. */
  deadLetter(delivery: Delivery, id: string, reason: string): Promise<Settlement | undefined>;
}

export interface HandlerOptions {
  launch: ServiceLaunch;
  consumer: Consumer;
  metrics: ServiceMetrics;
  route: FailureRoute;
  forward?: Forwarder;
  /** Called instead of settling the message that reaches failures.crashAfter. */
  crash(reason: string): Promise<never>;
  /** Extra work per message while a slow fault is active. */
  extraWorkMs?: () => number;
}

export function createMessageHandler(options: HandlerOptions): DeliveryHandler {
  const { launch, consumer, metrics, route } = options;
  const counters = metrics.consumer(consumer.name);
  const processed = createIdMemory();
  // Effects in the service's database (effects: sqlite): the processed ids then outlive the process.
  const effects = consumer.effects === "sqlite" ? createEffectStore(serviceDatabase(launch), consumer.name, consumer.idempotent) : undefined;
  const needsFields = consumer.failures.poison !== undefined || options.forward !== undefined;
  const name = consumer.name;
  let external = 0;
  let taken = 0;

  return async (delivery) => {
    counters.received += 1;
    counters.inFlight += 1;
    try {
      const settlement = await handle(delivery);
      // Write-ahead: the engine learns that the id was consumed before the broker learns the ack,
      // so a SIGKILL between the two leaves a redelivery (counted), never a silent loss. The
      // adapter holds the ack until then; the next message is processed meanwhile.
      return { ...settlement, after: metrics.ledgerWritten() };
    } finally {
      counters.inFlight -= 1;
    }
  };

  async function handle(delivery: Delivery): Promise<Settlement> {
    const info = readHeaders(delivery.headers);
    const id = info.id ?? `external/${delivery.source}/${++external}`;
    const ours = info.id !== undefined && info.runId === launch.runId;
    const span = trace.getSpan(delivery.context);
    // The destination and the rest of the messaging model are the broker's (server/brokers/*/spans.ts).
    span?.setAttributes({
      "messaging.message.id": id,
      "brokerlab.attempt": info.attempt,
      "brokerlab.consumer": `${launch.service.name}/${name}`,
    });
    if (!info.id) span?.setAttribute("brokerlab.external", true);
    const fault = delivery.headers[headerNames.fault];
    if (fault) span?.addEvent(faultEventName, { "brokerlab.fault.id": fault, "brokerlab.fault.detail": "this message was published by the fault" });
    const deaths = describeXDeath(delivery.rawHeaders["x-death"]);
    const where = {
      traceId: exportedTraceId(span), destination: delivery.source, attempt: info.attempt, redelivered: delivery.redelivered,
      ...(delivery.partition !== undefined ? { partition: delivery.partition, offset: delivery.offset } : {}),
      ...(delivery.routingKey !== undefined ? { routingKey: delivery.routingKey } : {}),
      ...(delivery.key !== undefined ? { key: delivery.key } : {}),
    };
    if (delivery.redelivered) {
      counters.redelivered += 1;
      span?.setAttribute("brokerlab.redelivered", true);
    }
    metrics.event("delivered", id, name, deaths ? { ...where, detail: deaths } : where);
    const started = preciseNow();
    if (info.sentAt !== undefined) metrics.latency(name, "queueWait", started - info.sentAt);

    const settle = (settlement: Settlement): Settlement => {
      if (settlement.kind === "ack") counters.acked += 1;
      else counters.nacked += 1;
      metrics.event(settlement.kind === "ack" ? "acked" : "nacked", id, name, where);
      return settlement;
    };

    const duplicate = () => {
      counters.duplicates += 1;
      metrics.event("duplicate", id, name, where);
      span?.setAttribute("brokerlab.duplicate", true);
    };
    if (info.id && (processed.has(id) || effects?.processed(id))) {
      duplicate();
      if (consumer.idempotent) return settle({ kind: "ack" });
    }

    taken += 1;
    await sleep(workMs(consumer.work) + (options.extraWorkMs?.() ?? 0));
    if (consumer.failures.crashAfter !== undefined && taken >= consumer.failures.crashAfter) {
      return options.crash(`crashAfter ${consumer.failures.crashAfter}: exiting before acking ${id}`);
    }
    // The body is parsed only when something reads its fields (a poison rule, a forward).
    const fields = needsFields ? fieldsOf(decodeBody(delivery.body)) : {};
    let failure = failureOf(consumer.failures, fields);
    if (!failure && options.forward && !(await options.forward({ id, body: delivery.body, fields }))) failure = "the forward could not be published";

    // The effect and (idempotent) its id commit together; false: an earlier delivery applied it meanwhile.
    if (!failure && effects && !effects.apply(id, delivery.body)) {
      duplicate();
      return settle({ kind: "ack" });
    }
    if (!failure) {
      const done = preciseNow();
      processed.add(id);
      if (ours) metrics.consumed(name, id);
      metrics.latency(name, "processing", done - started);
      if (info.sentAt !== undefined) metrics.latency(name, "endToEnd", done - info.sentAt);
      metrics.event("processed", id, name, where);
      return settle({ kind: "ack" });
    }

    counters.failed += 1;
    span?.addEvent("brokerlab.processing_failed", { "brokerlab.reason": failure, "brokerlab.attempt": info.attempt });
    span?.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    span?.setAttribute("error.type", "brokerlab.processing_failed");
    const policy = consumer.onError;
    let then: Consumer["onError"]["then"] = policy.then;
    if (info.attempt <= policy.retries) {
      const delayMs = retryDelay(policy, info.attempt);
      if (await route.retry(delivery, id, info.attempt + 1, delayMs)) {
        counters.retried += 1;
        span?.addEvent("brokerlab.retry", { "brokerlab.next_attempt": info.attempt + 1, "brokerlab.delay_ms": delayMs });
        metrics.event("retried", id, name, { ...where, detail: `${failure}; attempt ${info.attempt + 1} in ${delayMs} ms` });
        return settle({ kind: "ack" });
      }
      // The copy did not reach the broker: keep the original rather than skip the remaining attempts.
      failure = `${failure}; the retry could not be published`;
      then = "requeue";
    }
    if (route.autoAck) {
      counters.dropped += 1;
      metrics.event("dropped", id, name, { ...where, detail: `${failure}; auto-ack already removed it from the broker` });
      return settle({ kind: "ack" });
    }
    switch (then) {
      case "dead-letter": {
        const settlement = await route.deadLetter(delivery, id, failure);
        if (settlement) {
          counters.deadLettered += 1;
          if (ours) metrics.consumed(name, id);
          span?.addEvent("brokerlab.dead_lettered", { "brokerlab.reason": failure });
          metrics.event("dead-lettered", id, name, { ...where, detail: failure });
          return settle(settlement);
        }
        break;
      }
      case "drop":
        counters.dropped += 1;
        metrics.event("dropped", id, name, { ...where, detail: failure });
        return settle({ kind: "ack" });
      case "requeue":
        break;
    }
    counters.requeued += 1;
    span?.addEvent("brokerlab.requeued", { "brokerlab.reason": failure });
    metrics.event("requeued", id, name, { ...where, detail: failure });
    // Requeued in place, the message is not settled yet: the adapter hands it to this handler again.
    return route.requeuesInPlace ? { kind: "nack", requeue: true } : settle({ kind: "nack", requeue: true });
  }
}
