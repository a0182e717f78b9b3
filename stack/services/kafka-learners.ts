// The stack Kafka's learner listener: SASL/PLAIN on the broker port + 2, with a fixed set of
// learner slots. Kafka reads PLAIN users from its JAAS configuration at start only, so the slots
// and their passwords are made once, kept in the stack's state folder (readable by its owner
// only), written into the broker's configuration and read by classroom mode, which lends one slot
// to each learner. Passwords are never logged.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stackDir } from "../paths";

/** How many learners one class may have on Kafka at once. */
export const learnerSlotCount = 60;

/** The listener's name in server.properties (and its per-listener settings, `listener.name.learner.…`). */
export const learnerListenerName = "LEARNER";

/** The learner listener sits two above the broker port (9094 beside 9092 and the controller's 9093). */
export const learnerPort = (brokerPort: number) => brokerPort + 2;

export interface LearnerSlot {
  /** The SASL user name, and the ACL principal `User:<name>`. */
  name: string;
  password: string;
}

/** `learner01` … `learner60`: zero-padded, so that no slot's topic prefix starts another's. */
export const slotName = (index: number) => `learner${String(index + 1).padStart(2, "0")}`;

export const learnerSlotsFile = () => path.join(stackDir, "kafka", "learner-slots.json");

/** The slots the stack made, or undefined when this stack has none yet (a Kafka started before they existed). */
export function readLearnerSlots(file = learnerSlotsFile()): LearnerSlot[] | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { slots?: unknown };
  if (!Array.isArray(parsed.slots)) throw new Error(`${path.basename(file)} has no "slots" list; delete it and restart Kafka to make new ones`);
  return parsed.slots.filter(
    (slot): slot is LearnerSlot => typeof slot?.name === "string" && /^learner\d{2}$/.test(slot.name) && typeof slot?.password === "string" && slot.password.length >= 16,
  );
}

/** The slots, made once with random passwords (mode 0600) and kept from then on. */
export function ensureLearnerSlots(file = learnerSlotsFile()): LearnerSlot[] {
  const existing = readLearnerSlots(file);
  if (existing && existing.length === learnerSlotCount) return existing;
  const slots = Array.from({ length: learnerSlotCount }, (_, index) => ({ name: slotName(index), password: randomBytes(18).toString("base64url") }));
  writeFileSync(file, `${JSON.stringify({ slots }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return slots;
}

/**
 * The broker settings that switch the learner listener and ACLs on. The admin listener
 * (PLAINTEXT) and the controller's authenticate nobody: their principal is User:ANONYMOUS, made
 * a super user, so Brokerlab, the stack's tools and the controller itself do what they did
 * before; a learner's principal (User:learnerNN) gets only what its ACLs allow, and nothing where
 * no ACL is found.
 */
export function learnerBrokerSettings(slots: readonly LearnerSlot[]): string[] {
  // Base64url passwords hold no quote or backslash, so they need no escaping in the JAAS line.
  const users = slots.map((slot) => `user_${slot.name}="${slot.password}"`).join(" ");
  return [
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "super.users=User:ANONYMOUS",
    "allow.everyone.if.no.acl.found=false",
    "sasl.enabled.mechanisms=PLAIN",
    `listener.name.${learnerListenerName.toLowerCase()}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`,
  ];
}
