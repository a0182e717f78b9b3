// The engine's side of a learner's broker identity, without brokers: who is a learner, the names
// and prefixes, where a learner's run reaches RabbitMQ, and the credentials a service process gets
// on the address the run gives it (a fault proxy's, perhaps).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import { toBrokerError } from "../../../server/brokers/rabbitmq/errors";
import { asLearner, createLearnerBrokers, learnerOfRequester } from "../../../server/engine/learner-brokers";

const rabbit: ResolvedBroker = { kind: "rabbitmq", url: "amqp://guest:guest@127.0.0.1:5672", managementUrl: "http://guest:guest@127.0.0.1:15672" };
const redis: ResolvedBroker = { kind: "redis", url: "redis://127.0.0.1:6379" };

describe("a learner's brokers", () => {
  it("only a requester of the form learner:<id> is a learner", () => {
    assert.equal(learnerOfRequester("learner:abc"), "abc");
    assert.equal(learnerOfRequester("connection:xyz"), undefined);
    assert.equal(learnerOfRequester(undefined), undefined);
  });

  it("places a learner's RabbitMQ in the learner's vhost with the engine's credentials, and leaves Redis where it is", () => {
    const placed = createLearnerBrokers().place("a1b2", { rabbit, redis });
    assert.equal((placed.rabbit as { url: string }).url, "amqp://guest:guest@127.0.0.1:5672/brokerlab-learner-a1b2");
    assert.deepEqual(placed.redis, redis);
  });

  it("gives every learner a prefix of one length, different from another's, and refuses an id that cannot name a vhost", () => {
    const brokers = createLearnerBrokers();
    const [a, b] = [brokers.prefixOf("a"), brokers.prefixOf("bbbbbbbbbbbbbbbbbbbbbbbb")];
    assert.match(a, /^lrn-[0-9a-f]{12}-$/);
    assert.equal(a.length, b.length);
    assert.notEqual(a, b);
    assert.throws(() => brokers.prefixOf("a/b"), /learner id "a\/b" must be 1 to 64 letters, digits, '-' or '_'/);
  });

  it("hands a service the address it is given (a proxy's) with the learner's user and password, and other fields the learner's", () => {
    const placed = { rabbit: { ...rabbit, url: `${rabbit.url}/brokerlab-learner-a1b2` } as ResolvedBroker, redis };
    const facing = { rabbit: { ...placed.rabbit, url: "amqp://brokerlab-learner-a1b2:s3cret@127.0.0.1:5672/brokerlab-learner-a1b2" } as ResolvedBroker, redis };
    const proxied = { rabbit: { ...placed.rabbit, url: "amqp://guest:guest@127.0.0.1:40123/brokerlab-learner-a1b2" } as ResolvedBroker, redis };
    const out = asLearner(proxied, placed, facing);
    assert.equal((out.rabbit as { url: string }).url, "amqp://brokerlab-learner-a1b2:s3cret@127.0.0.1:40123/brokerlab-learner-a1b2");
    assert.deepEqual(out.redis, redis, "a broker ensure left alone stays as given");
  });

  it("a RabbitMQ connection refused its vhost says so rather than 'not reachable'", () => {
    const error = toBrokerError(new Error("Expected ConnectionOpenOk; got <ConnectionClose channel:0>"), "amqp://someone:pw@127.0.0.1:5672/brokerlab-learner-b", "connect");
    assert.equal(error.message, 'RabbitMQ at amqp://***@127.0.0.1:5672/brokerlab-learner-b refused this user access to vhost "brokerlab-learner-b"; the user needs permissions in that vhost');
    assert.equal(error.retriable, false);
  });
});
