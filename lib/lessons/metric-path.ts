// Run metric paths: `consumers.inventory-service/update-stock.acked`, `ledger.lost`,
// `queues.payments.dead.messages`, `lag.billing.total`. The key sits between the first and the last
// dot, so queue names with dots work; `*` as the key matches every producer, consumer or queue.
// `patterns.<path>` walks the frame's pattern views (lib/run/patterns.ts), e.g.
// `patterns.requests.checkout-service/price-lookups.counters.timedOut` or `patterns.tasks.counts.succeeded`.
import { z } from "zod";
import type { RunFrame } from "../run/model";

const fields = {
  producers: ["published", "confirmed", "returned", "failed", "inFlight", "ratePerSec"],
  consumers: ["received", "acked", "nacked", "requeued", "redelivered", "retried", "deadLettered", "dropped", "duplicates", "failed", "forwarded", "inFlight", "ratePerSec"],
  ledger: ["confirmed", "consumed", "lost", "duplicated", "recovered"],
  queues: ["messages", "ready", "unacked", "consumers"],
  lag: ["total"],
} as const;

export type MetricSection = keyof typeof fields | "patterns";

export interface MetricPath {
  section: MetricSection;
  /** Producer or consumer key, queue name or group; "*" for all; absent for the ledger. */
  key?: string;
  field: string;
}

export function parseMetricPath(path: string): MetricPath | { error: string } {
  if (path.startsWith("patterns.")) {
    const segments = path.split(".").slice(1);
    if (segments.some((s) => s === "" || s === "*")) return { error: "is patterns.<part>.<name>.…<field>, without empty parts or *" };
    if (segments.length < 2) return { error: "names a field under patterns, e.g. patterns.tasks.counts.succeeded" };
    return { section: "patterns", key: segments.slice(0, -1).join("."), field: segments.at(-1)! };
  }
  const first = path.indexOf(".");
  const last = path.lastIndexOf(".");
  const section = path.slice(0, first) as MetricSection;
  if (first < 0 || !(section in fields)) return { error: `starts with one of ${[...Object.keys(fields), "patterns"].join(", ")}` };
  const field = path.slice(last + 1);
  const known = fields[section as keyof typeof fields];
  if (!(known as readonly string[]).includes(field)) return { error: `${section} has the fields ${known.join(", ")}` };
  if (section === "ledger") return first === last ? { section, field } : { error: "is ledger.<field>" };
  const key = path.slice(first + 1, last);
  if (first === last || key === "") return { error: `is ${section}.<name>.${field}` };
  return { section, key, field };
}

export const metricPathSchema = z.string().superRefine((path, ctx) => {
  const parsed = parseMetricPath(path);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: `"${path}" ${parsed.error}` });
});

export interface MetricReading {
  /** What was read, e.g. "inventory-service/update-stock". */
  key: string;
  value: number;
}

/** The values a path names in a frame: one per match (several for "*"), none when absent. */
export function readMetric(frame: RunFrame, path: MetricPath): MetricReading[] {
  const pick = (record: Record<string, unknown>, key: string) => {
    const value = record[path.field];
    return typeof value === "number" ? [{ key, value }] : [];
  };
  const entries = (source: Record<string, object>) =>
    Object.entries(source)
      .filter(([key]) => path.key === "*" || key === path.key)
      .flatMap(([key, record]) => pick(record as Record<string, unknown>, key));
  switch (path.section) {
    case "patterns": {
      const value = [...path.key!.split("."), path.field].reduce<unknown>((node, segment) => (node && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined), frame.patterns);
      if (typeof value === "boolean") return [{ key: path.key!, value: value ? 1 : 0 }];
      return typeof value === "number" ? [{ key: path.key!, value }] : [];
    }
    case "ledger":
      return pick(frame.ledger as unknown as Record<string, unknown>, "ledger");
    case "producers":
      return entries(frame.producers);
    case "consumers":
      return entries(frame.consumers);
    case "queues":
      return entries(Object.fromEntries(frame.queues.map((q) => [q.name, q])));
    case "lag":
      return entries(Object.fromEntries(frame.lag.map((g) => [g.group, { total: frame.lag.filter((o) => o.group === g.group).reduce((sum, o) => sum + o.total, 0) }])));
  }
}

/** One number for a path: the value, or the sum over "*" matches; undefined when nothing matched. */
export function metricValue(frame: RunFrame, path: string): number | undefined {
  const parsed = parseMetricPath(path);
  if ("error" in parsed) return undefined;
  const readings = readMetric(frame, parsed);
  return readings.length === 0 ? undefined : readings.reduce((sum, r) => sum + r.value, 0);
}

const fieldWords: Record<string, string> = { deadLettered: "dead-lettered", inFlight: "in flight", ratePerSec: "per second", messages: "messages waiting", unacked: "unacknowledged" };

/** "inventory-service/update-stock acked", "the ledger's lost", "queue payments.dead messages waiting". */
export function describeMetric(path: MetricPath, key = path.key): string {
  const field = fieldWords[path.field] ?? path.field;
  switch (path.section) {
    case "patterns":
      return `${key} ${path.field}`;
    case "ledger":
      return `the ledger's ${field}`;
    case "queues":
      return `queue ${key === "*" ? "(any)" : key} ${field}`;
    case "lag":
      return `group ${key === "*" ? "(any)" : key} lag`;
    default:
      return `${key === "*" ? `every ${path.section.slice(0, -1)}` : key} ${field}`;
  }
}
