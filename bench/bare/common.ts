// What the bare client scripts share: their spec (JSON in BENCH_SPEC, parsed with zod), a
// consumer-side meter (cumulative count every 100 ms, end-to-end latency in an HDR histogram), one
// JSON line per event on stdout for the harness, the Kafka producers' batching loop, and the
// process's start and stop.
import * as hdr from "hdr-histogram-js";
import { z } from "zod";

export const bareSpecSchema = z.object({
  role: z.enum(["producer", "consumer"]),
  /** amqp:// URL or comma-separated Kafka bootstrap servers. */
  url: z.string().min(1),
  /** Queue or topic. */
  destination: z.string().min(1),
  group: z.string().default("bench"),
  size: z.number().int().min(16),
  /** Most unconfirmed messages in flight. */
  window: z.number().int().min(1),
  prefetch: z.number().int().min(0).default(200),
  durationMs: z.number().int().min(100),
  /** Messages per second; absent = as fast as the window allows. */
  rate: z.number().positive().optional(),
});

export type BareSpec = z.infer<typeof bareSpecSchema>;

export const readSpec = (): BareSpec => bareSpecSchema.parse(JSON.parse(process.env.BENCH_SPEC ?? "{}"));

/** Epoch ms with sub-millisecond precision, as Brokerlab stamps x-brokerlab-sent-at. */
export const preciseNow = () => performance.timeOrigin + performance.now();

export const sentAtHeader = "x-sent-at";

/**
 * The headers of each message: the send time alone, or with BENCH_BARE_HEADERS=brokerlab also
 * Brokerlab's id, run and attempt headers (the send time stays under its own name, which the
 * meter reads). That variant separates what the headers cost in the client library from the rest.
 */
export function messageHeaders(): <T extends string | number>(sentAt: T) => Record<string, T | string> {
  if (process.env.BENCH_BARE_HEADERS !== "brokerlab") return (sentAt) => ({ [sentAtHeader]: sentAt });
  const runId = `bench-bare-${Date.now().toString(36)}`;
  let seq = 0;
  return (sentAt) => ({ "x-brokerlab-id": `bench-producer/produce/${++seq}`, "x-brokerlab-run": runId, [sentAtHeader]: sentAt, "x-brokerlab-attempt": "1" });
}

export const emit = (event: string, data: object = {}) => process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);

export function createMeter() {
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: true });
  const timeline: { at: number; count: number }[] = [];
  let count = 0;
  const timer = setInterval(() => timeline.push({ at: Date.now(), count }), 100);
  return {
    record(sentAt: number | undefined) {
      count += 1;
      if (sentAt !== undefined && Number.isFinite(sentAt)) histogram.recordValue(Math.max(0, Math.round((preciseNow() - sentAt) * 1000)));
    },
    result() {
      clearInterval(timer);
      timeline.push({ at: Date.now(), count });
      const ms = (us: number) => us / 1000;
      return { count, timeline, p50Ms: ms(histogram.getValueAtPercentile(50)), p99Ms: ms(histogram.getValueAtPercentile(99)) };
    },
  };
}

export type Meter = ReturnType<typeof createMeter>;

/** Paces sends: resolves when the next message is due (immediately without a rate). */
export function createPacer(rate: number | undefined) {
  const start = performance.now();
  let sent = 0;
  return async () => {
    sent += 1;
    if (!rate) return;
    const due = start + (sent / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}

/** A producer loop's wait: `changed()` resolves at the next `signal()` (an ack settled, the socket drained). */
export function createWaker() {
  let wake: (() => void) | undefined;
  return {
    changed: () => new Promise<void>((resolve) => (wake = resolve)),
    signal: () => { const w = wake; wake = undefined; w?.(); },
  };
}

/**
 * The Kafka producers' loop: for spec.durationMs, messages in batches of up to `maxBatch`, at most
 * spec.window unacknowledged (a batch counts from when it is filled until its send settles), one
 * per batch when paced at spec.rate. Emits "started" and, once every batch has settled, "result".
 */
export async function produceInBatches<M>(spec: BareSpec, message: () => M, send: (batch: M[]) => Promise<unknown>, maxBatch = 500): Promise<void> {
  let inFlight = 0;
  let confirmed = 0;
  let published = 0;
  const { changed, signal } = createWaker();
  const pace = createPacer(spec.rate);
  let pending: M[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    void send(batch).then(
      () => { confirmed += batch.length; },
      () => {},
    ).finally(() => { inFlight -= batch.length; signal(); });
  };
  emit("started", { at: Date.now() });
  const end = Date.now() + spec.durationMs;
  while (Date.now() < end) {
    if (inFlight >= spec.window) {
      if (pending.length) flush();
      await changed();
      continue;
    }
    inFlight += 1;
    published += 1;
    pending.push(message());
    if (pending.length >= maxBatch) flush();
    if (spec.rate) {
      flush();
      await pace();
    }
  }
  if (pending.length) flush();
  while (inFlight > 0) await changed();
  emit("result", { published, confirmed });
}

/** The consumer is ready: on SIGTERM it reports the meter, closes the client and exits. */
export function consumeUntilStopped(meter: Meter, close: () => Promise<unknown>): void {
  emit("ready");
  process.once("SIGTERM", () => {
    emit("result", meter.result());
    void close().catch(() => {}).finally(() => process.exit(0));
  });
}

/** Runs the spec's role; a failure goes to stderr and exits with 1. */
export function runRole(spec: BareSpec, roles: Record<BareSpec["role"], () => Promise<void>>): void {
  void roles[spec.role]().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
