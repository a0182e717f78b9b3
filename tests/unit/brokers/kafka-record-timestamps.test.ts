// Lag in seconds reads record timestamps through kafkajs' own cluster factory, which is not part of
// its public API: this fails, without a broker, if a kafkajs upgrade takes it away.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createKafkaClient } from "../../../server/brokers/kafka/client";
import { clusterFactory } from "../../../server/brokers/kafka/record-timestamps";

describe("kafka record timestamps", () => {
  it("find kafkajs' cluster factory on a client, and a cluster it builds has what the read uses", () => {
    const create = clusterFactory(createKafkaClient({ brokers: ["127.0.0.1:1"], clientId: "brokerlab-test" }));
    assert.equal(typeof create, "function");
    const cluster = create!({ allowAutoTopicCreation: false });
    for (const method of ["connect", "disconnect", "addMultipleTargetTopics", "findLeaderForPartitions", "findBroker"] as const) {
      assert.equal(typeof cluster[method], "function", method);
    }
  });
});
