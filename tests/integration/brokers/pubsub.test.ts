// The Pub/Sub driver's own parts against the emulator: the admin declares a topic and an ordered
// subscription (and finds them again as existing), the sender publishes with ordering keys, the
// subscriber (streaming pull and pull) works each key's messages in publish order while keys run side
// by side, and teardown removes only what was created. Skipped only when the emulator is not installed.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { applyPubsub, teardownPubsub, type CreatedPubsub } from "../../../server/brokers/pubsub/admin";
import { createPubsubClient } from "../../../server/brokers/pubsub/clients";
import { installedEmulatorVersion, installHint } from "../../../server/brokers/pubsub/probe";
import { createPubsubSender } from "../../../server/brokers/pubsub/sender";
import { pubsubSettings } from "../../../server/brokers/pubsub/settings";
import { subscribePubsub } from "../../../server/brokers/pubsub/subscriber";
import { waitFor } from "../../support/wait-for";

const skip = installedEmulatorVersion() || process.env.PUBSUB_EMULATOR_HOST ? false : `the Pub/Sub emulator is not installed: ${installHint}`;
const target = pubsubSettings();
const pubsub = createPubsubClient(target);
const created: CreatedPubsub[] = [];
after(async () => {
  for (const c of created) await teardownPubsub(pubsub, c).catch(() => {});
  await pubsub.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Pub/Sub driver against the emulator", { skip, timeout: 120_000 }, () => {
  for (const mode of ["streaming", "pull"] as const) {
    it(`${mode}: messages of one ordering key are worked on in publish order, 3 keys side by side`, async () => {
      const id = `${mode}-${Date.now().toString(36)}`;
      const topic = `ordered-${id}`;
      const subscription = `ordered-sub-${id}`;
      let last: CreatedPubsub = { topics: [], subscriptions: [] };
      const existed = await applyPubsub(pubsub, target, { topics: [{ name: topic, existing: false }], subscriptions: [{ name: subscription, topic, ackDeadline: 10_000, messageOrdering: true, existing: false }] }, (c) => (last = c));
      created.push(last);
      assert.deepEqual(existed, { topics: [], subscriptions: [] });
      assert.deepEqual(last, { topics: [topic], subscriptions: [subscription] });
      const again = await applyPubsub(pubsub, target, { topics: [{ name: topic, existing: false }], subscriptions: [{ name: subscription, topic, ackDeadline: 10_000, messageOrdering: true, existing: false }] }, () => assert.fail("nothing is created twice"));
      assert.deepEqual(again, { topics: [topic], subscriptions: [subscription] }, "a second apply finds both as existing");

      const seen: Record<string, number[]> = {};
      const sub = await subscribePubsub({
        pubsub, target, subscription, mode, concurrency: 6, ackDeadlineSeconds: 10, extendDeadline: true, autoAck: false, linkSpans: false,
        handler: async (delivery) => {
          const { key, seq } = JSON.parse(delivery.body.toString()) as { key: string; seq: number };
          // Uneven work: without per-key order, later messages would overtake earlier ones.
          await sleep(seq % 2 === 0 ? 30 : 5);
          (seen[key] ??= []).push(seq);
          return { kind: "ack" };
        },
      });
      const sender = createPubsubSender({ pubsub, window: 100 });
      const keys = ["a", "b", "c"];
      const sends = keys.flatMap((key) => Array.from({ length: 10 }, (_, seq) =>
        sender.publish({ destination: { pubsubTopic: topic, orderingKey: key }, body: Buffer.from(JSON.stringify({ key, seq })), headers: { "x-brokerlab-id": `${key}-${seq}` } })));
      const outcomes = await Promise.all(sends);
      assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes.filter((o) => !o.ok)));
      await waitFor(() => (keys.every((k) => seen[k]?.length === 10) ? true : undefined), { timeoutMs: 30_000, intervalMs: 100, description: "all 30 messages worked on" });
      for (const key of keys) assert.deepEqual(seen[key], [...Array(10).keys()], `key ${key} in publish order`);
      await sub.stop(5_000);
      await sender.close();
    });
  }
});
