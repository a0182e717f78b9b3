// One measurement with the CPU and memory of its processes: a sampler runs for exactly this
// variant, with the broker's process tracked beside the clients'.
import { trackBroker } from "./brokers";
import type { Measurement } from "./measure";
import { createProcessSampler, type ProcessSampler } from "./proc";

export async function sampled(broker: "rabbitmq" | "kafka", measure: (sampler: ProcessSampler) => Promise<Measurement>): Promise<Measurement> {
  const sampler = createProcessSampler();
  trackBroker(sampler, broker);
  try {
    const measurement = await measure(sampler);
    return { ...measurement, processes: sampler.stop(measurement.window) };
  } finally {
    sampler.stop();
  }
}
