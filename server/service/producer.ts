// One scenario producer in one replica: paced by rate (a tick loop that sends what is due),
// as fast as the confirm window allows (burst), or on the engine's send command (manual).
// Replica r of R sends seqs r+1, r+1+R, … so the service as a whole sends `count`.
import { messageId } from "../../lib/run/ipc";
import type { ServiceLaunch } from "../../lib/run/ipc";
import type { Producer } from "../../lib/scenario/schema";
import type { RenderContext } from "../../lib/scenario/template";
import { delay } from "../brokers/backoff";
import type { SendOutcome } from "../brokers/messaging";
import type { Outgoing, Sender } from "./clients";
import { brokerlabHeaders, preciseNow } from "./headers";
import type { ServiceMetrics } from "./metrics";
import { compileHeaders, compilePayload, compileTarget, encodeBody, fieldsOf } from "./templates";

export interface ProducerRunner {
  readonly name: string;
  start(): void;
  /** The engine's send command: `count` messages now, optionally with another payload. */
  sendNow(count: number, payload?: unknown, headers?: Record<string, string>): void;
  stop(): void;
}

export function createProducerRunner(options: { launch: ServiceLaunch; producer: Producer; sender: Sender; metrics: ServiceMetrics; onDone: () => void }): ProducerRunner {
  const { launch, producer, sender, metrics } = options;
  const { replica, replicas, runId } = launch;
  const service = launch.service.name;
  const counters = metrics.producer(producer.name);
  const rate = producer.rate;
  const limit = "burst" in rate ? Math.min(rate.burst, producer.count ?? rate.burst) : producer.count;
  const renderPayload = compilePayload(producer.payload);
  const fields = Object.keys(fieldsOf(producer.payload));
  const target = compileTarget(producer.to, fields);
  const renderHeaders = compileHeaders(producer.headers, fields);
  const stopped = new AbortController();
  let index = 0;
  let doneSent = false;

  const nextSeq = () => replica + 1 + index * replicas;
  const hasMore = () => limit === undefined || nextSeq() <= limit;

  function build(seq: number, override?: unknown, extraHeaders: Record<string, string> = {}): Outgoing {
    const ctx: RenderContext = { seq, service, producer: producer.name, replica, runId, now: Date.now() };
    const payload = override ?? renderPayload(ctx);
    ctx.fields = fieldsOf(payload);
    const id = messageId(service, producer.name, seq);
    return {
      id,
      destination: target.render(ctx),
      body: encodeBody(payload, producer.sizeBytes),
      headers: { ...renderHeaders(ctx), ...extraHeaders, ...brokerlabHeaders({ id, runId, sentAt: preciseNow(), attempt: 1 }) },
      persistent: producer.persistent,
      mandatory: producer.mandatory,
    };
  }

  function checkDone(): void {
    if (doneSent || limit === undefined || "manual" in rate || hasMore() || counters.inFlight > 0) return;
    doneSent = true;
    counters.done = true;
    options.onDone();
  }

  function settled(message: Outgoing, at: number, outcome: SendOutcome): void {
    counters.inFlight -= 1;
    const destination = "topic" in message.destination ? message.destination.topic : message.destination.exchange || message.destination.routingKey;
    const details = { traceId: outcome.traceId, destination, ...("key" in message.destination && message.destination.key ? { key: message.destination.key } : {}) };
    metrics.event("published", message.id, producer.name, details, at);
    if (!outcome.ok) {
      counters.failed += 1;
      metrics.event("send-failed", message.id, producer.name, { ...details, detail: outcome.error.message });
    } else if (outcome.returned) {
      counters.returned += 1;
      metrics.event("returned", message.id, producer.name, { ...details, detail: "unroutable: no queue is bound for this routing key" });
    } else {
      counters.confirmed += 1;
      metrics.confirmed(message.id);
      metrics.event("confirmed", message.id, producer.name, details);
    }
    checkDone();
  }

  /** Sends the next seq once the sender has room; false when stopped or exhausted. */
  async function sendNext(override?: unknown, headers?: Record<string, string>): Promise<boolean> {
    if (stopped.signal.aborted || !hasMore()) return false;
    if (!(await sender.writable()) || stopped.signal.aborted || !hasMore()) return false;
    const seq = nextSeq();
    index += 1;
    const message = build(seq, override, headers);
    const at = Date.now();
    counters.published += 1;
    counters.inFlight += 1;
    void sender.send(message).then((outcome) => settled(message, at, outcome));
    return true;
  }

  async function burst(): Promise<void> {
    while (await sendNext());
  }

  async function paced(perSecond: number): Promise<void> {
    const ratePerReplica = perSecond / replicas;
    const minTickMs = 5;
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
      if ("manual" in rate) return;
      const run = async () => {
        if (producer.startAfter) await delay(producer.startAfter, stopped.signal);
        if ("burst" in rate) await burst();
        else await paced(rate.perSecond);
        checkDone();
      };
      void run();
    },
    sendNow(count, payload, headers) {
      void (async () => {
        for (let i = 0; i < count; i++) if (!(await sendNext(payload, headers))) return;
      })();
    },
    stop() {
      stopped.abort();
    },
  };
}
