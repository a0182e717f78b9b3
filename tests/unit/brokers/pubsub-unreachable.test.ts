// A Pub/Sub emulator that does not answer is reported at once, before any declaration, with what to
// do, instead of after the client library's minute of retries. Port 1 on loopback: nothing listens.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateScenario } from "../../../lib/scenario/validate";
import { pubsubDriverAdmin } from "../../../server/brokers/pubsub/admin";

describe("the Pub/Sub admin with no emulator answering", () => {
  it("refuses the first declaration quickly with BROKER_UNAVAILABLE and how to start it", async () => {
    const result = validateScenario({
      version: 1, name: "unreachable", brokers: { gcp: { kind: "pubsub" } },
      resources: { gcp: { topics: [{ name: "orders" }], subscriptions: [{ name: "billing", topic: "orders" }] } },
      services: [{ name: "billing", consumers: [{ name: "bill", broker: "gcp", from: { subscription: "billing" } }] }],
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const admin = pubsubDriverAdmin({ emulatorHost: "127.0.0.1:1", project: "brokerlab-test" });
    const started = Date.now();
    try {
      await assert.rejects(admin.apply(result.scenario, "gcp", () => {}), (error: Error & { code?: string }) => {
        assert.equal(error.code, "BROKER_UNAVAILABLE");
        assert.match(error.message, /Google Pub\/Sub \(broker "gcp"\) does not answer/);
        assert.match(error.message, /npm run stack:up -- pubsub|PUBSUB_EMULATOR_HOST/);
        return true;
      });
      assert.ok(Date.now() - started < 15_000, `refused within seconds, not after the library's retries (${Date.now() - started} ms)`);
    } finally {
      await admin.close();
    }
  });
});
