// Classroom mode: a learner's runs reach the brokers as that learner. For each broker kind in
// `learnerAccessList`, the learner gets a namespace and credentials of their own (RabbitMQ: a vhost
// and a user; Redis: an ACL user over the learner's prefix; Kafka: a SASL learner slot with ACLs
// on that prefix) or, on brokers without credentials here, a name prefix. Made when the learner's
// run starts, deleted when the class ends (the server shuts down) or the learner is removed.
// Outside classroom mode the engine has none of this.
import { createHash, randomBytes } from "node:crypto";
import type { ResolvedBroker } from "../../lib/run/ipc";
import { prefixLearnerNames } from "../../lib/scenario/learner-prefix";
import type { ResourceNames } from "../../lib/scenario/isolate";
import type { Scenario } from "../../lib/scenario/schema";
import { prefixOnly, type BrokerLearner, type LearnerAccess } from "../brokers/learner-access";
import { kafkaLearnerAccess } from "../brokers/kafka/learner-access";
import { rabbitLearnerAccess } from "../brokers/rabbitmq/learner-vhost";
import { redisLearnerAccess } from "../brokers/redis/learner-acl";
import { driverOf } from "../brokers/registry";

/**
 * One entry per broker kind; a kind not listed is used as configured (shared). Kafka lends the
 * learner one of the stack's SASL learner slots, with ACLs on the learner's prefix, and answers the
 * learner listener (server/brokers/kafka/learner-access.ts).
 */
export const learnerAccessList: readonly LearnerAccess[] = [
  rabbitLearnerAccess as LearnerAccess,
  redisLearnerAccess as LearnerAccess,
  kafkaLearnerAccess as LearnerAccess,
  prefixOnly("aws") as LearnerAccess,
  prefixOnly("pubsub") as LearnerAccess,
];

/** A requester (server/realtime/runs.ts) names a learner as `learner:<id>`; anything else is not one. */
export const learnerOfRequester = (requester: string | undefined): string | undefined =>
  requester?.startsWith("learner:") ? requester.slice("learner:".length) : undefined;

const learnerIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface LearnerBrokers {
  /** The start of every name of the learner's runs on brokers without namespaces. */
  prefixOf(learnerId: string): string;
  /** The scenario with the learner's prefix on brokers without namespaces, and the names it had (composed with a lesson run's `earlier`). */
  scenarioFor(learnerId: string, scenario: Scenario, earlier?: ResourceNames): { scenario: Scenario; names: ResourceNames };
  /** The brokers as the engine reaches the learner's resources (its own credentials, the learner's vhost). */
  place(learnerId: string, brokers: Record<string, ResolvedBroker>): Record<string, ResolvedBroker>;
  /** Makes the learner's identity on each broker of the run; answers the brokers as the learner's service processes reach them. */
  ensure(learnerId: string, placed: Record<string, ResolvedBroker>, scenario: Scenario): Promise<Record<string, ResolvedBroker>>;
  /** Deletes one learner's identities (a learner removed from the class); answers what failed. */
  removeLearner(learnerId: string): Promise<string[]>;
  /** Deletes every identity this server made (the class ends); answers what failed. */
  removeAll(): Promise<string[]>;
}

export function createLearnerBrokers(list: readonly LearnerAccess[] = learnerAccessList): LearnerBrokers {
  const learners = new Map<string, BrokerLearner>();
  /** Per learner, the brokers (placed, by address) where an identity was made, for removal. */
  const made = new Map<string, Map<string, ResolvedBroker>>();
  const accessOf = (kind: string) => list.find((entry) => entry.kind === kind);
  const prefixedKinds = new Set(list.filter((entry) => entry.prefixesNames).map((entry) => entry.kind));

  function learner(id: string): BrokerLearner {
    if (!learnerIdPattern.test(id)) throw new Error(`learner id "${id.slice(0, 80)}" must be 1 to 64 letters, digits, '-' or '_'`);
    let found = learners.get(id);
    if (!found) {
      // A fixed length: no learner's prefix is the start of another's.
      const prefix = `lrn-${createHash("sha256").update(id).digest("hex").slice(0, 12)}-`;
      found = { id, name: `brokerlab-learner-${id}`, prefix, password: randomBytes(24).toString("base64url") };
      learners.set(id, found);
    }
    return found;
  }

  async function remove(id: string): Promise<string[]> {
    const someone = learners.get(id);
    const brokers = made.get(id);
    if (!someone || !brokers) return [];
    const problems: string[] = [];
    for (const broker of brokers.values()) {
      await accessOf(broker.kind)?.remove(broker as never, someone).catch((error: unknown) => problems.push(`removing ${someone.name} on ${driverOf(broker).where(broker as never)}: ${(error as Error).message}`));
    }
    made.delete(id);
    return problems;
  }

  return {
    prefixOf: (learnerId) => learner(learnerId).prefix,
    scenarioFor: (learnerId, scenario, earlier) => prefixLearnerNames(scenario, learner(learnerId).prefix, prefixedKinds, earlier),
    place(learnerId, brokers) {
      const someone = learner(learnerId);
      return Object.fromEntries(Object.entries(brokers).map(([name, broker]) => [name, accessOf(broker.kind)?.place?.(broker as never, someone) ?? broker]));
    },
    async ensure(learnerId, placed, scenario) {
      const someone = learner(learnerId);
      const out: Record<string, ResolvedBroker> = {};
      for (const [name, broker] of Object.entries(placed)) {
        const access = accessOf(broker.kind);
        if (!access) {
          out[name] = broker;
          continue;
        }
        const brokers = made.get(learnerId) ?? new Map<string, ResolvedBroker>();
        made.set(learnerId, brokers);
        brokers.set(driverOf(broker).claimAddress(broker as never), broker);
        out[name] = await access.ensure(broker as never, someone, { scenario, broker: name });
      }
      return out;
    },
    removeLearner: remove,
    async removeAll() {
      const problems: string[] = [];
      for (const id of [...made.keys()]) problems.push(...(await remove(id)));
      return problems;
    },
  };
}

/**
 * The brokers handed to a learner's service process: the endpoints the run gives it (through a
 * fault proxy, perhaps) with the learner's credentials from `learnerFacing` (what `ensure`
 * answered, compared with `placed`: a field it changed is the learner's; in a URL, only the user
 * and password are).
 */
export function asLearner(forService: Record<string, ResolvedBroker>, placed: Record<string, ResolvedBroker>, learnerFacing: Record<string, ResolvedBroker>): Record<string, ResolvedBroker> {
  return Object.fromEntries(Object.entries(forService).map(([name, broker]) => {
    const mine = learnerFacing[name] as Record<string, unknown> | undefined;
    const engine = placed[name] as Record<string, unknown> | undefined;
    if (!mine || !engine || mine === engine) return [name, broker];
    const out: Record<string, unknown> = { ...broker };
    for (const [field, value] of Object.entries(mine)) {
      if (value === engine[field]) continue;
      const reached = out[field];
      if (field === "url" && typeof value === "string" && typeof reached === "string") {
        const learnerUrl = new URL(value);
        const url = new URL(reached);
        url.username = learnerUrl.username;
        url.password = learnerUrl.password;
        out[field] = url.toString();
      } else out[field] = value;
    }
    return [name, out as ResolvedBroker];
  }));
}
