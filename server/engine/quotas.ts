// Quotas per requester (a learner, or one browser connection): how many runs, service processes
// and messages per second one requester's active runs may add up to, and how many replicas a
// service and how many bytes a message may have. The engine-wide caps (run-limits.ts) still hold
// for everyone together; a quota keeps one requester from taking all of them. Pure.
import type { InputProblem } from "../../lib/errors";
import { jsonBytes, type Scenario } from "../../lib/scenario/schema";
import { RunError } from "./run";
import { isActive, serviceProcessesOf, type RunLoad } from "./run-limits";

export interface RunQuotas {
  /** Active runs (starting, running or stopping) of one requester (BROKERLAB_QUOTA_RUNS). */
  runs: number;
  /** Service processes of those runs together (BROKERLAB_QUOTA_SERVICE_PROCESSES). */
  serviceProcesses: number;
  /** Replicas of one service (BROKERLAB_QUOTA_REPLICAS). */
  replicas: number;
  /** Messages per second the producers of those runs ask for together (BROKERLAB_QUOTA_MESSAGES_PER_SECOND). */
  messagesPerSecond: number;
  /** Bytes of one message: the payload as JSON, or the padding asked with sizeBytes (BROKERLAB_QUOTA_MESSAGE_BYTES). */
  messageBytes: number;
}

/** Generous: one person's work outside a classroom never meets them; a classroom lowers them. */
export const defaultQuotas: RunQuotas = { runs: 10, serviceProcesses: 40, replicas: 20, messagesPerSecond: 50_000, messageBytes: 1_048_576 };

/**
 * In classroom mode, a class of 30 shares one machine: room for the largest lesson step (9 service
 * processes, 5 replicas of one service, a 10,000-message burst, messages under 1 KiB) and one small
 * run beside it, no more (docs/classroom.md#capacity).
 */
export const classroomQuotas: RunQuotas = { runs: 2, serviceProcesses: 12, replicas: 6, messagesPerSecond: 10_000, messageBytes: 262_144 };

/** The mode's defaults, each replaced by its BROKERLAB_QUOTA_* variable when that is set. */
export function quotasFor(mode: "lab" | "classroom", set: Partial<Record<keyof RunQuotas, number | undefined>>): RunQuotas {
  const defaults = mode === "classroom" ? classroomQuotas : defaultQuotas;
  const pick = (limit: keyof RunQuotas) => set[limit] ?? defaults[limit];
  return { runs: pick("runs"), serviceProcesses: pick("serviceProcesses"), replicas: pick("replicas"), messagesPerSecond: pick("messagesPerSecond"), messageBytes: pick("messageBytes") };
}

export const quotaVariables: Record<keyof RunQuotas, string> = {
  runs: "BROKERLAB_QUOTA_RUNS",
  serviceProcesses: "BROKERLAB_QUOTA_SERVICE_PROCESSES",
  replicas: "BROKERLAB_QUOTA_REPLICAS",
  messagesPerSecond: "BROKERLAB_QUOTA_MESSAGES_PER_SECOND",
  messageBytes: "BROKERLAB_QUOTA_MESSAGE_BYTES",
};

type Producer = Scenario["services"][number]["producers"][number];

/**
 * Messages per second one replica of a producer asks for: its rate, or a burst's whole size (a
 * burst is sent as fast as the broker takes it, so it counts as that many in one second); a
 * manual producer sends only what a person asks for, by hand.
 */
function producerRate(producer: Producer): number {
  const rate = producer.rate as { perSecond?: number; burst?: number };
  return rate.perSecond ?? rate.burst ?? 0;
}

/** Every replica of every producer sends at its own rate. */
export const messagesPerSecondOf = (scenario: Pick<Scenario, "services">) =>
  scenario.services.reduce((sum, service) => sum + service.replicas * service.producers.reduce((s, p) => s + producerRate(p), 0), 0);

const messageBytesOf = (producer: Producer) => Math.max(producer.sizeBytes ?? 0, jsonBytes(producer.payload));

const round = (value: number) => Math.round(value * 1000) / 1000;

function refuse(limit: keyof RunQuotas, quotas: RunQuotas, asked: string, what: string, problems?: InputProblem[]): never {
  const variable = quotaVariables[limit];
  throw new RunError(
    "LIMIT_REACHED",
    `${what}: ${asked}, more than the quota of one learner or browser allows (${variable}=${quotas[limit]}). ${limit === "runs" || limit === "serviceProcesses" || limit === "messagesPerSecond" ? "Stop one of your runs or wait for one to end, or ask for less; " : "Ask for less; "}whoever runs the server raises the quota with ${variable}.`,
    problems,
  );
}

/** Throws a RunError LIMIT_REACHED, naming the limit, the value asked and its variable, when `scenario` beside its requester's runs would pass a quota. */
export function checkQuotas(scenario: Pick<Scenario, "services">, theirRuns: Iterable<RunLoad>, quotas: RunQuotas): void {
  const active = [...theirRuns].filter((run) => isActive(run.status()));
  if (active.length + 1 > quotas.runs) {
    refuse("runs", quotas, `this would be active run ${active.length + 1} (active now: ${active.map((r) => r.id).join(", ")})`, "Too many runs at once");
  }
  for (const [i, service] of scenario.services.entries()) {
    if (service.replicas > quotas.replicas) {
      const problem = { path: `services[${i}].replicas`, message: `is ${service.replicas}, more than ${quotaVariables.replicas}=${quotas.replicas} allows` };
      refuse("replicas", quotas, `${service.replicas} replicas`, `Service "${service.name}" asks for too many replicas`, [problem]);
    }
    for (const [j, producer] of service.producers.entries()) {
      const bytes = messageBytesOf(producer);
      if (bytes <= quotas.messageBytes) continue;
      const problem = { path: `services[${i}].producers[${j}]${(producer.sizeBytes ?? 0) >= bytes ? ".sizeBytes" : ".payload"}`, message: `makes messages of ${bytes} bytes, more than ${quotaVariables.messageBytes}=${quotas.messageBytes} allows` };
      refuse("messageBytes", quotas, `${bytes} bytes`, `Producer "${producer.name}" of service "${service.name}" sends messages too large`, [problem]);
    }
  }
  const processes = serviceProcessesOf(scenario);
  const processesInUse = active.reduce((sum, run) => sum + serviceProcessesOf(run.scenario), 0);
  if (processesInUse + processes > quotas.serviceProcesses) {
    refuse("serviceProcesses", quotas, `${processes} asked, ${processesInUse} already in use by active runs`, "Too many service processes (one per replica)");
  }
  const rate = messagesPerSecondOf(scenario);
  const rateInUse = active.reduce((sum, run) => sum + messagesPerSecondOf(run.scenario), 0);
  if (rateInUse + rate > quotas.messagesPerSecond) {
    refuse("messagesPerSecond", quotas, `${round(rate)} messages per second asked (every replica of every producer), ${round(rateInUse)} already asked by active runs`, "Too high a message rate");
  }
}
