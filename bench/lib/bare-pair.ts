// Runs a bare client script as two processes, consumer first (ready), then producer, like
// Brokerlab's two services; throughput from the consumer's counts after the warm-up.
import type { BareSpec } from "../bare/common";
import { rateBetween, type Measurement } from "./measure";
import type { ProcessSampler } from "./proc";
import { exitWithin, startScript } from "./spawn";

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

export async function runBarePair(script: string, spec: Omit<BareSpec, "role">, warmupMs: number, sampler: ProcessSampler): Promise<Measurement> {
  const consumer = startScript(script, { ...spec, role: "consumer" });
  try {
    await consumer.waitForLine(/"event":"ready"/, 60_000);
    sampler.track("consumer (bare)", consumer.child.pid);
    const producer = startScript(script, { ...spec, role: "producer" });
    const startedAt = Number(parse(await producer.waitForLine(/"event":"started"/, 60_000)).at);
    sampler.track("producer (bare)", producer.child.pid);
    const code = await exitWithin(producer, spec.durationMs + 60_000);
    if (code !== 0) throw new Error(`the bare producer exited with ${code}: ${producer.stderr().slice(-500)}`);
    consumer.child.kill("SIGTERM");
    const result = parse(await consumer.waitForLine(/"event":"result"/, 15_000)) as { timeline: { at: number; count: number }[]; p50Ms: number; p99Ms: number };
    await exitWithin(consumer, 10_000);
    return {
      throughput: rateBetween(result.timeline, startedAt + warmupMs, startedAt + spec.durationMs),
      window: { from: startedAt + warmupMs, to: startedAt + spec.durationMs },
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      processes: [],
    };
  } finally {
    if (consumer.child.exitCode === null) consumer.child.kill("SIGKILL");
  }
}
