// Latency histograms (HDR, microseconds) merged from the service processes' window histograms:
// one per consumer for the whole run, one per consumer for the current live window.
import * as hdr from "hdr-histogram-js";
import type { ConsumerLatency, LatencySummary } from "../../lib/run/model";
import type { WindowHistograms } from "../../lib/run/ipc";

type Histogram = ReturnType<typeof hdr.build>;
const kinds = ["endToEnd", "queueWait", "processing"] as const;
type Kind = (typeof kinds)[number];

const newHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });

export function summarize(histogram: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  if (histogram.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

export function createLatencyBook() {
  const run = new Map<string, Record<Kind, Histogram>>();
  // Reset every frame rather than rebuilt: no new counts arrays ten times a second.
  const window = new Map<string, Record<Kind, Histogram>>();
  const slot = (book: Map<string, Record<Kind, Histogram>>, key: string) => {
    let entry = book.get(key);
    if (!entry) book.set(key, (entry = { endToEnd: newHistogram(), queueWait: newHistogram(), processing: newHistogram() }));
    return entry;
  };
  const empty = summarize(newHistogram());
  const describe = (entry: Record<Kind, Histogram> | undefined): ConsumerLatency => ({
    endToEnd: entry ? summarize(entry.endToEnd) : empty,
    queueWait: entry ? summarize(entry.queueWait) : empty,
    processing: entry ? summarize(entry.processing) : empty,
  });

  return {
    add(consumerKey: string, encoded: WindowHistograms) {
      for (const kind of kinds) {
        const decoded = hdr.decodeFromCompressedBase64(encoded[kind]);
        if (decoded.totalCount > 0) {
          slot(run, consumerKey)[kind].add(decoded);
          slot(window, consumerKey)[kind].add(decoded);
        }
      }
    },
    /** Summaries of the window since the last call, then a fresh window. */
    takeWindow(keys: readonly string[]): Record<string, ConsumerLatency> {
      const out = Object.fromEntries(keys.map((key) => [key, describe(window.get(key))]));
      for (const entry of window.values()) for (const kind of kinds) entry[kind].reset();
      return out;
    },
    forRun(consumerKey: string): ConsumerLatency {
      return describe(run.get(consumerKey));
    },
    /** End-to-end latency over all consumers, for the run. */
    overall(): LatencySummary {
      const all = newHistogram();
      for (const entry of run.values()) all.add(entry.endToEnd);
      return summarize(all);
    },
  };
}

export type LatencyBook = ReturnType<typeof createLatencyBook>;
