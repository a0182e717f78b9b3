// A learner's Kafka identity in classroom mode. Kafka's PLAIN users are fixed when the broker
// starts, so the stack makes a set of learner slots (stack/services/kafka-learners.ts) and this
// lends one to each learner: the slot's user gets ALL on the topics and consumer groups under the
// learner's prefix (PREFIXED ACLs, made on the admin listener) and nothing else, and the learner's
// services log in as it on the learner listener (SASL/PLAIN, the broker port + 2). The engine
// keeps the admin listener. Where the stack has no learner listener (Kafka configured elsewhere,
// or a stack started before it had one), learners are kept apart by the prefix only, said once.
import { isLoopbackHost } from "../../health/probes";
import { learnerPort, readLearnerSlots, type LearnerSlot } from "../../../stack/services/kafka-learners";
import type { BrokerLearner, LearnerAccess } from "../learner-access";
import { createKafkaClient } from "./client";
import { grantOnlyLearnerPrefix, revokeLearnerPrefix } from "./learner-acls";

export interface KafkaLearnerAccessOptions {
  /** The stack's learner slots; undefined when it has none. Read when first needed. */
  slots?: () => LearnerSlot[] | undefined;
  warn?: (message: string) => void;
}

const split = (address: string) => {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
};

/** The learner listener beside each admin address of the local stack; undefined for a Kafka elsewhere. */
export function learnerAddresses(brokers: readonly string[]): string[] | undefined {
  const parsed = brokers.map(split);
  if (!parsed.every(({ host }) => isLoopbackHost(host.replace(/^\[|\]$/g, "")))) return undefined;
  return parsed.map(({ host, port }) => `${host}:${learnerPort(port)}`);
}

async function withAdmin<T>(brokers: string[], act: (admin: ReturnType<ReturnType<typeof createKafkaClient>["admin"]>) => Promise<T>): Promise<T> {
  const admin = createKafkaClient({ brokers, clientId: "brokerlab-classroom" }).admin();
  await admin.connect();
  try {
    return await act(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export function createKafkaLearnerAccess(options: KafkaLearnerAccessOptions = {}): LearnerAccess<"kafka"> & { slotOf(learnerId: string): string | undefined } {
  const readSlots = options.slots ?? (() => readLearnerSlots());
  const warn = options.warn ?? ((message: string) => console.warn(`[classroom] ${message}`));
  /** learner id → the slot lent to them, while this server runs. */
  const lent = new Map<string, LearnerSlot>();
  let slots: LearnerSlot[] | undefined;
  let warned = false;

  function lend(learner: BrokerLearner): LearnerSlot | undefined {
    slots ??= readSlots();
    if (!slots || slots.length === 0) return undefined;
    const mine = lent.get(learner.id);
    if (mine) return mine;
    const taken = new Set([...lent.values()].map((slot) => slot.name));
    const free = slots.find((slot) => !taken.has(slot.name));
    if (!free) throw new Error(`all ${slots.length} Kafka learner slots are lent to learners of this class; remove a learner who left, or run a second Brokerlab server for the rest of the class`);
    lent.set(learner.id, free);
    return free;
  }

  function sayOnce(message: string) {
    if (warned) return;
    warned = true;
    warn(message);
  }

  return {
    kind: "kafka",
    prefixesNames: true,
    async ensure(broker, learner) {
      const addresses = learnerAddresses(broker.brokers);
      const slot = addresses ? lend(learner) : undefined;
      if (!addresses || !slot) {
        sayOnce(`Kafka at ${broker.brokers.join(",")} has no learner listener from the local stack (${addresses ? "no learner slots: restart Kafka with npm run stack:up -- kafka after npm run stack:down -- kafka" : "it is configured elsewhere"}); learners' Kafka runs are kept apart by their name prefix only, not by ACLs`);
        return broker;
      }
      await withAdmin(broker.brokers, (admin) => grantOnlyLearnerPrefix(admin, { user: slot.name, prefix: learner.prefix }, broker.brokers));
      return { ...broker, brokers: addresses, sasl: { mechanism: "plain", username: slot.name, password: slot.password } };
    },
    async remove(broker, learner) {
      const slot = lent.get(learner.id);
      if (!slot) return;
      await withAdmin(broker.brokers, (admin) => revokeLearnerPrefix(admin, { user: slot.name, prefix: learner.prefix }, broker.brokers));
      lent.delete(learner.id);
    },
    slotOf: (learnerId) => lent.get(learnerId)?.name,
  };
}

/** The server's one lender of the stack's slots (learner-brokers.ts lists it). */
export const kafkaLearnerAccess = createKafkaLearnerAccess();
