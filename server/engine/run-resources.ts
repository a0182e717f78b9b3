// A run's broker resources: each one looked for before it is declared, so that what the run
// created is told apart from what was already there. The created ones are written to the run's
// manifest the moment they exist and deleted at teardown; the others are used, kept and reported.
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { RunResource, RunResources } from "../../lib/run/model";
import type { Binding, RabbitResources, Scenario, Topic } from "../../lib/scenario/schema";
import type { BrokerAdmins } from "./broker-stats";
import type { EngineContext } from "./context";
import { ownerOfThisProcess, withoutCredentials, writeManifest, type ResourceManifest } from "./resource-manifest";

export interface RunResourcesInput {
  runId: string;
  scenario: Scenario;
  brokers: Record<string, ResolvedBroker>;
  admins: BrokerAdmins;
  context: EngineContext;
  runDir: string;
  /** Tells the run's timeline and log about a resource that already existed. */
  tell: (broker: string, detail: string) => void;
}

export const bindingName = (b: Binding) => `${b.exchange} → ${b.queue}${b.routingKey ? ` (${b.routingKey})` : ""}`;

/** The consumer groups a scenario's consumers of one Kafka broker join. */
export const scenarioGroups = (scenario: Scenario, broker: string): string[] =>
  [...new Set(scenario.services.flatMap((s) => s.consumers).flatMap((c) => (c.broker === broker && "topic" in c.from ? [c.from.group] : [])))];

function rabbitRefs(broker: string, r: RabbitResources): RunResource[] {
  return [
    ...r.exchanges.map((e) => ({ broker, kind: "exchange" as const, name: e.name })),
    ...r.queues.map((q) => ({ broker, kind: "queue" as const, name: q.name })),
    ...r.bindings.map((b) => ({ broker, kind: "binding" as const, name: bindingName(b) })),
  ];
}

const kafkaRefs = (broker: string, topics: Topic[], groups: string[]): RunResource[] => [
  ...topics.map((t) => ({ broker, kind: "topic" as const, name: t.name })),
  ...groups.map((g) => ({ broker, kind: "group" as const, name: g })),
];

export function createRunResources(input: RunResourcesInput) {
  const { scenario, admins, context } = input;
  const manifest: ResourceManifest = { version: 1, runId: input.runId, ...ownerOfThisProcess(), state: "active", brokers: {} };
  const existed: RunResource[] = [];
  let keptOnRequest = false;
  const persist = () => writeManifest(input.runDir, manifest);

  function told(refs: RunResource[]) {
    existed.push(...refs);
    for (const ref of refs) {
      const use = ref.kind === "group" ? "this run's consumers commit offsets in it" : "used by this run";
      input.tell(ref.broker, `${ref.kind} "${ref.name}" already existed: ${use}, and it is kept at teardown`);
    }
  }

  async function applyRabbit(name: string, broker: Extract<ResolvedBroker, { kind: "rabbitmq" }>) {
    const admin = context.createRabbitAdmin({ url: broker.url, managementUrl: broker.managementUrl });
    admins.rabbit.set(name, admin);
    const resources = scenario.resources[name];
    if (resources?.kind !== "rabbitmq") return;
    const entry = { kind: "rabbitmq" as const, url: withoutCredentials(broker.url), managementUrl: withoutCredentials(broker.managementUrl), created: { exchanges: [], queues: [], bindings: [] } as RabbitResources };
    manifest.brokers[name] = entry;
    const applied = await admin.apply(resources, (created) => {
      entry.created = structuredClone(created);
      persist();
    });
    // Two broker entries of one scenario may name the same RabbitMQ: what the first created is not "already there" for the second.
    const ours = Object.values(manifest.brokers).flatMap((e) => (e.kind === "rabbitmq" && e !== entry && e.url === entry.url ? rabbitRefs(name, e.created) : []));
    told(rabbitRefs(name, applied.existed).filter((ref) => !ours.some((o) => o.kind === ref.kind && o.name === ref.name)));
  }

  async function applyKafka(name: string, broker: Extract<ResolvedBroker, { kind: "kafka" }>) {
    const admin = context.createKafkaAdmin({ brokers: broker.brokers, clientId: `brokerlab-${input.runId}` });
    admins.kafka.set(name, admin);
    const resources = scenario.resources[name];
    if (resources?.kind !== "kafka") return;
    const entry = { kind: "kafka" as const, brokers: broker.brokers, created: { topics: [] as Topic[], groups: [] as string[] } };
    manifest.brokers[name] = entry;
    const groups = scenarioGroups(scenario, name);
    const applied = await admin.apply(resources.topics, {
      groups,
      onCreated: (topics) => {
        entry.created.topics.push(...topics);
        persist();
      },
    });
    // The groups the run's consumers will create are the run's as soon as it starts them.
    entry.created.groups = groups.filter((g) => !applied.groupsExisting.includes(g));
    if (entry.created.groups.length > 0) persist();
    told(kafkaRefs(name, applied.existed, applied.groupsExisting));
  }

  return {
    async apply(): Promise<void> {
      for (const [name, broker] of Object.entries(input.brokers)) {
        if (broker.kind === "rabbitmq") await applyRabbit(name, broker);
        else await applyKafka(name, broker);
      }
    },

    /** Deletes what the run created (all of it kept when `keep`); a failure is reported through `note`. */
    async teardown(keep: boolean, note: (line: string) => void): Promise<void> {
      keptOnRequest = keep;
      for (const [name, entry] of Object.entries(manifest.brokers)) {
        if (keep) break;
        const done = entry.kind === "rabbitmq" ? admins.rabbit.get(name)?.teardown(entry.created) : admins.kafka.get(name)?.teardown(entry.created.topics, entry.created.groups);
        await done?.catch((e: unknown) => note(`teardown ${name}: ${(e as Error).message}`));
      }
      if (Object.keys(manifest.brokers).length === 0) return;
      manifest.state = "released";
      if (keep) manifest.note = "kept on request (--keep-resources)";
      try {
        persist();
      } catch (error) {
        note(`could not mark the run's resources released: ${(error as Error).message}`);
      }
    },

    summary(): RunResources {
      const created = Object.entries(manifest.brokers).flatMap(([name, entry]) =>
        entry.kind === "rabbitmq" ? rabbitRefs(name, entry.created) : kafkaRefs(name, entry.created.topics, entry.created.groups),
      );
      return { created, existed: [...existed], ...(keptOnRequest ? { keptOnRequest } : {}) };
    },
  };
}

export type RunResourceOwnership = ReturnType<typeof createRunResources>;
