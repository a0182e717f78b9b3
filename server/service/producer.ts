// One scenario producer in one replica: paced by rate (a tick loop that sends what is due),
// as fast as the confirm window allows (burst), or on the engine's send command (manual).
// Replica r of R sends seqs r+1, r+1+R, … so the service as a whole sends `count`.
import { ROOT_CONTEXT, context, propagation } from "@opentelemetry/api";
import { headerNames, messageId } from "../../lib/run/ipc";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { producerLimit } from "../../lib/scenario/derived";
import type { Producer } from "../../lib/scenario/schema";
import type { RenderContext } from "../../lib/scenario/template";
import { backoffDelay, delay } from "../brokers/backoff";
import type { SendOutcome } from "../brokers/messaging";
import { clientDriverFor } from "./client-drivers";
import type { Outgoing, Sender } from "./clients";
import { faultContextKey } from "./fault-notices";
import { brokerlabHeaders, preciseNow } from "./headers";
import type { ServiceMetrics } from "./metrics";
import { createOrderFlow } from "./order-flow";
import { createOrderStore } from "./order-store";
import { serviceDatabase } from "./service-database";
import { compileHeaders, compilePayload, encodeBody, fieldsOf } from "./templates";

export interface ProducerRunner {
  readonly name: string;
  start(): void;
  /** The engine's send command: `count` messages now, optionally with another payload, fields patched in, or tagged by a fault. */
  sendNow(count: number, payload?: unknown, headers?: Record<string, string>, extra?: SendExtras): void;
  stop(): void;
}

export interface SendExtras {
  patch?: Record<string, unknown>;
  /** The id of the fault that asked for this message (header and span event). */
  fault?: string;
}

/**
 * A send that failed because the connection went away before the confirm is sent again, this many
 * times at most, unless its broker's client driver resends until answered (a Kafka producer with
 * acks=all, Amazon): that one keeps trying (capped backoff with jitter) until the broker answers or
 * the run stops. A 30-try budget gave up 327 of 500 sends while a busy machine restarted Kafka.
 */
const maxRepublish = 30;

export interface ProducerRunnerOptions {
  launch: ServiceLaunch;
  producer: Producer;
  sender: Sender;
  metrics: ServiceMetrics;
  onDone: () => void;
  /** Exits the process: a producer's configured crash point (`database.crash`). */
  crash: (reason: string) => Promise<never>;
  /** Reports a problem that does not stop the producer (the outbox relay's). */
  onError: (error: unknown) => void;
}

export function createProducerRunner(options: ProducerRunnerOptions): ProducerRunner {
  const { launch, producer, sender, metrics } = options;
  const { replica, replicas, runId } = launch;
  const service = launch.service.name;
  const counters = metrics.producer(producer.name);
  const rate = producer.rate;
  const limit = producerLimit(producer);
  const renderPayload = compilePayload(producer.payload);
  const fields = Object.keys(fieldsOf(producer.payload));
  const driver = clientDriverFor(launch, producer.broker);
  const target = driver.compileTarget(producer.to, fields);
  const targetHeaders = driver.targetHeaders(producer.to);
  const renderHeaders = compileHeaders(producer.headers, fields);
  const stopped = new AbortController();
  const republishBudget = driver.resendsUntilAnswered(producer) ? Number.POSITIVE_INFINITY : maxRepublish;
  // A producer with a database commits each order before its event goes out (order-flow.ts).
  const orders = producer.database && createOrderFlow({
    store: createOrderStore(serviceDatabase(launch), producer.name), database: producer.database, metrics,
    publish: (message) => publish(message, Date.now()),
    crash: options.crash, onSent: () => checkDone(), onError: options.onError, stopping: stopped.signal,
  });
  // A restarted replica continues after what its earlier lives had confirmed (or, with a database, committed).
  let index = orders ? orders.ordersWritten() : launch.resume?.[producer.name] ?? 0;
  let doneSent = false;

  const nextSeq = () => replica + 1 + index * replicas;
  const hasMore = () => limit === undefined || nextSeq() <= limit;

  function build(seq: number, override?: unknown, extraHeaders: Record<string, string> = {}, extra: SendExtras = {}): Outgoing {
    const ctx: RenderContext = { seq, service, producer: producer.name, replica, runId, now: Date.now() };
    const rendered = override ?? renderPayload(ctx);
    const payload = extra.patch ? { ...fieldsOf(rendered), ...extra.patch } : rendered;
    if (extra.fault) extraHeaders = { ...extraHeaders, [headerNames.fault]: extra.fault };
    ctx.fields = fieldsOf(payload);
    // A message a fault asks for is extra: it does not use up the producer's count, and its id names the fault.
    const id = extra.fault ? `${service}/${producer.name}/${extra.fault}` : messageId(service, producer.name, seq);
    return {
      id,
      destination: target.render(ctx),
      body: encodeBody(payload, producer.sizeBytes),
      headers: { ...targetHeaders, ...renderHeaders(ctx), ...extraHeaders, ...brokerlabHeaders({ id, runId, sentAt: preciseNow(), attempt: 1 }) },
      persistent: producer.persistent,
      mandatory: producer.mandatory,
    };
  }

  function checkDone(): void {
    if (doneSent || limit === undefined || "manual" in rate || hasMore() || counters.inFlight > 0 || (orders && orders.pending() > 0)) return;
    doneSent = true;
    counters.done = true;
    options.onDone();
  }

  function settled(message: Outgoing, at: number, outcome: SendOutcome): void {
    counters.inFlight -= 1;
    const details = { traceId: outcome.traceId, ...driver.describe(message.destination) };
    metrics.event("published", message.id, producer.name, details, at);
    if (!outcome.ok) {
      counters.failed += 1;
      metrics.event("send-failed", message.id, producer.name, { ...details, detail: outcome.error.message });
    } else if (outcome.returned) {
      counters.returned += 1;
      metrics.event("returned", message.id, producer.name, { ...details, detail: outcome.returnedDetail ?? "unroutable: no queue is bound for this routing key" });
    } else {
      counters.confirmed += 1;
      metrics.confirmed(message.id);
      metrics.event("confirmed", message.id, producer.name, outcome.note ? { ...details, detail: outcome.note } : details);
    }
    checkDone();
  }

  /**
   * Sends until the broker answers: a connection that failed before the confirm (retriable) means
   * the message may or may not be on the broker, so it is sent again with the same id once the
   * sender is writable again; a consumer then counts a duplicate rather than the ledger a loss.
   */
  async function deliver(message: Outgoing, at: number, fault?: string): Promise<SendOutcome> {
    let traceparent: unknown;
    const send = (): Promise<SendOutcome> => {
      // A republished copy is a new publish in the trace of the first one (that PRODUCER span its parent).
      const base = typeof traceparent === "string" ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
      const headers = { ...message.headers };
      const outcome = context.with(fault ? base.setValue(faultContextKey, fault) : base, () => sender.send({ ...message, headers }));
      traceparent ??= headers.traceparent; // injected during the publish (the instrumentation, or the sender itself)
      return outcome;
    };
    let outcome = await send();
    for (let attempt = 1; !outcome.ok && outcome.error.retriable && attempt <= republishBudget; attempt++) {
      if (stopped.signal.aborted) break;
      counters.republished = (counters.republished ?? 0) + 1;
      metrics.event("republished", message.id, producer.name, { traceId: outcome.traceId, detail: `${outcome.error.message}; sending again (attempt ${attempt + 1})` });
      await delay(backoffDelay(attempt, { initialMs: 200, maxMs: 5_000 }), stopped.signal);
      if (stopped.signal.aborted || !(await sender.writable())) break;
      outcome = await send();
    }
    settled(message, at, outcome);
    return outcome;
  }

  function publish(message: Outgoing, at: number, fault?: string): Promise<SendOutcome> {
    counters.published += 1;
    counters.inFlight += 1;
    return deliver(message, at, fault);
  }

  /** Sends the next seq once the sender has room; false when stopped or exhausted. */
  async function sendNext(override?: unknown, headers?: Record<string, string>, extra?: SendExtras): Promise<boolean> {
    const more = () => Boolean(extra?.fault) || hasMore();
    if (stopped.signal.aborted || !more()) return false;
    if (!(await sender.writable()) || stopped.signal.aborted || !more()) return false;
    const seq = nextSeq();
    if (!extra?.fault) index += 1;
    const message = build(seq, override, headers, extra);
    if (orders && !extra?.fault) await orders.commit(message, seq);
    else void publish(message, Date.now(), extra?.fault);
    return true;
  }

  async function burst(): Promise<void> {
    while (await sendNext());
  }

  async function paced(perSecond: number): Promise<void> {
    const ratePerReplica = perSecond / replicas;
    // Ticks of 1–5 ms: fast producers send a few messages per tick rather than a burst of many
    // (a message sent at the end of a burst waits behind the others and looks slower).
    const minTickMs = Math.min(5, Math.max(1, 1000 / ratePerReplica));
    let start = performance.now();
    let sent = 0;
    while (!stopped.signal.aborted && hasMore()) {
      const elapsed = performance.now() - start;
      let due = Math.floor((elapsed / 1000) * ratePerReplica) + 1;
      // The rate is a target, not a debt: after a stall (broker down), at most one second catches up.
      const cap = Math.max(1, Math.ceil(ratePerReplica));
      if (due - sent > cap) {
        start += ((due - sent - cap) / ratePerReplica) * 1000;
        due = sent + cap;
      }
      while (sent < due && (await sendNext())) sent += 1;
      const nextAt = start + (sent / ratePerReplica) * 1000;
      await delay(Math.max(minTickMs, nextAt - performance.now()), stopped.signal);
    }
  }

  return {
    name: producer.name,
    start() {
      orders?.startRelay();
      if ("manual" in rate) return;
      const run = async () => {
        if (producer.startAfter) await delay(producer.startAfter, stopped.signal);
        if ("burst" in rate) await burst();
        else await paced(rate.perSecond);
        checkDone();
      };
      void run();
    },
    sendNow(count, payload, headers, extra) {
      void (async () => {
        for (let i = 0; i < count; i++) if (!(await sendNext(payload, headers, extra))) return;
      })();
    },
    stop() {
      stopped.abort();
    },
  };
}
