// Which Kafka errors mean "the group's coordinator is loading or moving, ask again": the start
// offset pin waits those out and gives up on anything else.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coordinatorBusy } from "../../../server/brokers/kafka/admin";
import { toKafkaError } from "../../../server/brokers/kafka/client";

// kafkajs's errors as it builds them (only server/brokers/ imports kafkajs): a protocol error
// carries the broker's error type; "retries exceeded" carries the last one as its cause.
const named = (name: string, message: string, extra: object = {}, cause?: unknown) =>
  Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { name, ...extra });
const protocolError = (type: string, code: number) => named("KafkaJSProtocolError", `${type} from the broker`, { type, code, retriable: true });

describe("coordinatorBusy", () => {
  it("recognises a coordinator that is loading, moving or not found", () => {
    assert.equal(coordinatorBusy(protocolError("NOT_COORDINATOR", 16)), true);
    assert.equal(coordinatorBusy(protocolError("COORDINATOR_LOAD_IN_PROGRESS", 14)), true);
    assert.equal(coordinatorBusy(protocolError("COORDINATOR_NOT_AVAILABLE", 15)), true);
    assert.equal(coordinatorBusy(named("KafkaJSGroupCoordinatorNotFound", "no coordinator")), true);
  });

  it("looks through kafkajs's 'retries exceeded' and Brokerlab's own wrapping", () => {
    const exhausted = named("KafkaJSNumberOfRetriesExceeded", "NOT_COORDINATOR from the broker", { retriable: false }, protocolError("NOT_COORDINATOR", 16));
    assert.equal(coordinatorBusy(exhausted), true);
    assert.equal(coordinatorBusy(toKafkaError(exhausted, ["127.0.0.1:9092"], "read offsets of group \"g\"")), true);
  });

  it("leaves other errors alone", () => {
    assert.equal(coordinatorBusy(protocolError("GROUP_AUTHORIZATION_FAILED", 30)), false);
    assert.equal(coordinatorBusy(protocolError("UNKNOWN_TOPIC_OR_PARTITION", 3)), false);
    assert.equal(coordinatorBusy(new Error("connect ECONNREFUSED")), false);
    assert.equal(coordinatorBusy("NOT_COORDINATOR"), false);
  });
});
