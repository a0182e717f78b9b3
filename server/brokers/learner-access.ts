// Classroom mode's isolation that the brokers enforce: what one broker kind does for a learner.
// Each kind that has namespaces or credentials (RabbitMQ's vhosts and users, Redis's ACL users,
// Kafka's SASL users and ACLs) makes the learner's identity there; the engine keeps the list
// (server/engine/learner-brokers.ts) and hands a learner's services the brokers this answers.
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerKind, ResolvedBrokerOf } from "./driver";

/** One learner as the brokers know them. The password never leaves the server process and the learner's service processes. */
export interface BrokerLearner {
  id: string;
  /** `brokerlab-learner-<id>`: the RabbitMQ vhost and user, the Redis ACL user. */
  name: string;
  /** Every name of the learner's runs on brokers without namespaces starts with it (lib/scenario/learner-prefix.ts). */
  prefix: string;
  password: string;
}

export interface LearnerAccess<K extends BrokerKind = BrokerKind> {
  kind: K;
  /** The learner's names on this broker start with the learner's prefix (brokers without namespaces). */
  prefixesNames: boolean;
  /** Where the learner's resources live, as the engine reaches them with its own credentials (RabbitMQ: the learner's vhost in the URL). Synchronous: run claims use it. */
  place?(broker: ResolvedBrokerOf<K>, learner: BrokerLearner): ResolvedBrokerOf<K>;
  /** Makes the learner's identity on this broker (idempotent) before the run declares anything, and answers the broker as the learner's service processes reach it. */
  ensure(broker: ResolvedBrokerOf<K>, learner: BrokerLearner, run: { scenario: Scenario; broker: string }): Promise<ResolvedBrokerOf<K>>;
  /** Deletes the learner's identity (and, where it has one, the learner's namespace) on this broker. */
  remove(broker: ResolvedBrokerOf<K>, learner: BrokerLearner): Promise<void>;
}

/** The URL with the learner's credentials in place of the engine's. */
export function withLearnerCredentials(url: string, learner: BrokerLearner): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(learner.name);
  parsed.password = encodeURIComponent(learner.password);
  return parsed.toString();
}

/** A broker without credentials here (SQS/SNS on moto, the Pub/Sub emulator): only a name prefix keeps learners apart. */
export const prefixOnly = <K extends BrokerKind>(kind: K): LearnerAccess<K> => ({
  kind,
  prefixesNames: true,
  ensure: async (broker) => broker,
  remove: async () => {},
});
