// Brokers the stack starts on demand: the lesson broker (a second RabbitMQ node that only lessons
// restart) does not start with `npm run stack:up`; the first run that names it starts it through
// the stack command (the same rules: a health check before "up", one start at a time), and the
// run's log and timeline say so while it waits.
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { BrokerLifecycle } from "../faults/broker-control";
import { probeRabbitmq } from "../health/probes";
import { stackServiceFor } from "./endpoints";
import type { EngineContext } from "./context";

type LessonEndpoints = Pick<EngineContext, "rabbitUrl" | "rabbitManagementUrl" | "kafkaBrokers" | "lessonRabbitUrl" | "lessonRabbitManagementUrl">;

/** Starts every on-demand broker the run names that does not answer yet; `say` reports progress per broker. */
export async function startOnDemandBrokers(
  brokers: Record<string, ResolvedBroker>,
  context: LessonEndpoints,
  lifecycle: BrokerLifecycle,
  say: (broker: string, line: string) => void,
): Promise<void> {
  for (const [name, broker] of Object.entries(brokers)) {
    if (broker.kind !== "rabbitmq" || stackServiceFor(broker, context) === undefined) continue;
    const probe = await probeRabbitmq({ RABBITMQ_URL: broker.url, RABBITMQ_MANAGEMENT_URL: broker.managementUrl });
    if (probe.up) continue;
    const since = Date.now();
    say(name, "starting the lesson broker (a RabbitMQ node of its own; about 20 s)");
    await lifecycle("up", broker, (line) => say(name, line));
    say(name, `the lesson broker is up after ${((Date.now() - since) / 1000).toFixed(1)} s`);
  }
}
