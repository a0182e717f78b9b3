// Counts the spans Jaeger holds for a run (search by service and the brokerlab.run.id tag), waiting
// until the count stops growing: the collector may still be ingesting the last batches.
import { z } from "zod";
import { sleep } from "./measure";

const searchSchema = z.object({ data: z.array(z.object({ spans: z.array(z.unknown()) })).nullable() });

async function countOnce(baseUrl: string, service: string, runId: string, limit: number): Promise<number> {
  const query = new URLSearchParams({ service, tags: JSON.stringify({ "brokerlab.run.id": runId }), limit: String(limit), lookback: "1h" });
  const response = await fetch(`${baseUrl.replace(/\/+$/, "")}/api/traces?${query}`, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to a trace search`);
  const traces = searchSchema.parse(await response.json()).data ?? [];
  return traces.reduce((sum, trace) => sum + trace.spans.length, 0);
}

/** Spans of the run's traces found through `service` (in parent mode a trace holds both services' spans). */
export async function countRunSpans(baseUrl: string, service: string, runId: string, expectedTraces: number): Promise<number> {
  let last = -1;
  for (let attempt = 0; attempt < 8; attempt++) {
    const count = await countOnce(baseUrl, service, runId, expectedTraces + 1_000);
    if (count === last) return count;
    last = count;
    await sleep(2_000);
  }
  return last;
}
