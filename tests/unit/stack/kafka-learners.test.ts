// The stack Kafka's learner slots and settings, and where a learner's services reach Kafka: slots
// made once (owner-only file) and kept, every slot a PLAIN user in the learner listener's JAAS
// line, the admin listener's ANONYMOUS the only super user, and the learner listener two above
// each loopback broker port (none for a Kafka elsewhere).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { learnerAddresses } from "../../../server/brokers/kafka/learner-access";
import { learnerAclEntries } from "../../../server/brokers/kafka/learner-acls";
import { ensureLearnerSlots, learnerBrokerSettings, learnerSlotCount, readLearnerSlots } from "../../../stack/services/kafka-learners";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-kafka-slots-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("slots are made once with distinct random passwords, readable by their owner only, and kept", () => {
  const file = path.join(dir, "learner-slots.json");
  assert.equal(readLearnerSlots(file), undefined);
  const slots = ensureLearnerSlots(file);
  assert.equal(slots.length, learnerSlotCount);
  assert.deepEqual([slots[0]!.name, slots[9]!.name, slots.at(-1)!.name], ["learner01", "learner10", `learner${learnerSlotCount}`]);
  assert.equal(new Set(slots.map((s) => s.password)).size, learnerSlotCount);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(ensureLearnerSlots(file), slots, "a second start keeps the passwords Kafka already has");
});

test("a slots file of the wrong shape is named, with what to do", () => {
  const file = path.join(dir, "broken.json");
  writeFileSync(file, "{}");
  assert.throws(() => readLearnerSlots(file), /broken\.json has no "slots" list; delete it and restart Kafka/);
});

test("the broker settings: the StandardAuthorizer, ANONYMOUS the super user, no ACL means deny, every slot a PLAIN user", () => {
  const slots = [{ name: "learner01", password: "p".repeat(24) }, { name: "learner02", password: "q".repeat(24) }];
  const settings = learnerBrokerSettings(slots);
  assert.ok(settings.includes("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
  assert.ok(settings.includes("super.users=User:ANONYMOUS"));
  assert.ok(settings.includes("allow.everyone.if.no.acl.found=false"));
  const jaas = settings.find((line) => line.startsWith("listener.name.learner.plain.sasl.jaas.config="));
  assert.equal(jaas, `listener.name.learner.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_learner01="${"p".repeat(24)}" user_learner02="${"q".repeat(24)}";`);
});

test("the learner listener is two above each loopback broker port; a Kafka elsewhere has none", () => {
  assert.deepEqual(learnerAddresses(["127.0.0.1:9092"]), ["127.0.0.1:9094"]);
  assert.deepEqual(learnerAddresses(["localhost:19092", "127.0.0.1:29092"]), ["localhost:19094", "127.0.0.1:29094"]);
  assert.equal(learnerAddresses(["kafka:19092"]), undefined);
  assert.equal(learnerAddresses(["127.0.0.1:9092", "broker.example.com:9092"]), undefined);
});

test("a learner's ACLs: ALL on the prefixed topics and groups for User:<slot>; a prefix Kafka cannot hold is refused by name", () => {
  const entries = learnerAclEntries({ user: "learner07", prefix: "lrn-0123456789ab-" });
  assert.deepEqual(
    entries.map((e) => [e.resourceType, e.resourceName, e.resourcePatternType, e.principal, e.operation, e.permissionType]),
    [
      [2, "lrn-0123456789ab-", 4, "User:learner07", 2, 3],
      [3, "lrn-0123456789ab-", 4, "User:learner07", 2, 3],
    ],
  );
  assert.throws(() => learnerAclEntries({ user: "learner07", prefix: "" }), /prefix "" must be 2 to 100/);
  assert.throws(() => learnerAclEntries({ user: "learner07", prefix: "a b" }), /prefix "a b"/);
});
