// The Kafka publisher starts a new idempotence session only on the broker's answers that end one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lostSession } from "../../../server/brokers/kafka/producer";

// Shaped as kafkajs builds them (only server/brokers/ imports kafkajs): a protocol error carrying
// the broker's error type, and its retrier's KafkaJSNonRetriableError with the first as its cause.
const protocolError = (type: string) => Object.assign(new Error(`the broker answered ${type}`), { name: "KafkaJSProtocolError", type, retriable: false });
const givenUp = (cause: Error) => Object.assign(new Error(cause.message, { cause }), { name: "KafkaJSNonRetriableError", retriable: false });

describe("lostSession", () => {
  it("recognises the answers that end an idempotent producer's session, also as a cause", () => {
    assert.equal(lostSession(protocolError("OUT_OF_ORDER_SEQUENCE_NUMBER")), true);
    assert.equal(lostSession(protocolError("UNKNOWN_PRODUCER_ID")), true);
    assert.equal(lostSession(givenUp(protocolError("INVALID_PRODUCER_EPOCH"))), true);
  });

  it("leaves every other error to the usual handling", () => {
    assert.equal(lostSession(protocolError("UNKNOWN_TOPIC_OR_PARTITION")), false);
    assert.equal(lostSession(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9092")), false);
    assert.equal(lostSession(undefined), false);
  });
});
