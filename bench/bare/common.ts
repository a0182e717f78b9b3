// What the bare client scripts share: their spec (JSON in BENCH_SPEC, parsed with zod), a
// consumer-side meter (cumulative count every 100 ms, end-to-end latency in an HDR histogram), and
// one JSON line per event on stdout for the harness.
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
