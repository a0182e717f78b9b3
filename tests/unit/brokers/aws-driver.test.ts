// The aws driver without a broker: endpoints from config or the entry, the allowlist, manifests
// without credentials, the link proxy plan, the attributes and policies the admin sends, SDK errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import { validateScenario } from "../../../lib/scenario/validate";
import { queuePolicy } from "../../../server/brokers/aws/admin";
import { resourceName } from "../../../lib/run/resources-text";
import { awsClientConfig, isRealAws } from "../../../server/brokers/aws/clients";
import { awsRefs } from "../../../server/brokers/aws/driver-admin";
import { toBrokerError } from "../../../server/brokers/aws/errors";
import { creationOrder, queueAttributes } from "../../../server/brokers/aws/sqs-admin";
import { driverFor, resolveBroker } from "../../../server/brokers/registry";
import { endpointProblems, isOwnStackBroker } from "../../../server/engine/endpoints";

const defaults = { rabbitUrl: "amqp://127.0.0.1:5672", rabbitManagementUrl: "http://127.0.0.1:15672", kafkaBrokers: ["127.0.0.1:9092"], awsEndpoint: "http://127.0.0.1:4566", awsRegion: "eu-west-1" };
const driver = driverFor("aws");

function scenarioWith(broker: Record<string, unknown>) {
  const result = validateScenario({ version: 1, name: "t", brokers: { cloud: broker }, resources: { cloud: { queues: [{ name: "q" }] } }, services: [{ name: "s", consumers: [{ name: "c", broker: "cloud", from: { queue: "q" } }] }] });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.scenario;
}

describe("aws driver", () => {
  it("resolves an entry to the configured endpoint and region unless it names its own", () => {
    assert.deepEqual(resolveBroker({ kind: "aws" }, defaults), { kind: "aws", endpoint: "http://127.0.0.1:4566", region: "eu-west-1" });
    assert.deepEqual(resolveBroker({ kind: "aws", endpoint: "http://moto.lan:5000", region: "us-east-2" }, defaults), { kind: "aws", endpoint: "http://moto.lan:5000", region: "us-east-2" });
    assert.throws(() => resolveBroker({ kind: "aws" }, { ...defaults, awsEndpoint: undefined }), /AWS_ENDPOINT_URL/);
  });

  it("lets a scenario name the configured endpoint or an allowed one, and nothing else", () => {
    const context = { ...defaults, allowedEndpoints: ["localstack.lan:4566"] };
    assert.deepEqual(endpointProblems(scenarioWith({ kind: "aws" }), context), []);
    assert.deepEqual(endpointProblems(scenarioWith({ kind: "aws", endpoint: "http://localhost:4566" }), context), []);
    assert.deepEqual(endpointProblems(scenarioWith({ kind: "aws", endpoint: "http://localstack.lan:4566" }), context), []);
    const problems = endpointProblems(scenarioWith({ kind: "aws", endpoint: "http://elsewhere.lan:4566" }), context);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, "brokers.cloud.endpoint");
    assert.match(problems[0]!.message, /elsewhere\.lan:4566.*BROKERLAB_ALLOWED_ENDPOINTS/);
    const own: ResolvedBroker = { kind: "aws", endpoint: "http://127.0.0.1:4566", region: "eu-west-1" };
    assert.equal(isOwnStackBroker(own, defaults), true);
    assert.equal(isOwnStackBroker({ ...own, endpoint: "http://127.0.0.1:4567" }, defaults), false);
  });

  it("keeps no credentials in manifests and claims, and reads its manifest back", () => {
    const broker: ResolvedBroker = { kind: "aws", endpoint: "http://key:secret@moto.lan:4566", region: "eu-west-1" };
    const manifest = driver.manifestEndpoints(broker);
    assert.deepEqual(manifest, { endpoint: "http://moto.lan:4566", region: "eu-west-1" });
    assert.doesNotMatch(driver.claimAddress(broker), /secret/);
    assert.deepEqual(driver.fromManifest(manifest, defaults), { kind: "aws", endpoint: "http://moto.lan:4566", region: "eu-west-1" });
    assert.deepEqual(driver.stackEnv(broker), { AWS_ENDPOINT_URL: broker.endpoint, AWS_REGION: "eu-west-1" });
    assert.equal(driver.stackService, "moto");
  });

  it("proxies a plain-HTTP endpoint through the link proxy, never an https one", async () => {
    const broker: ResolvedBroker = { kind: "aws", endpoint: "http://127.0.0.1:4566", region: "eu-west-1" };
    const plan = await driver.linkProxy(broker, () => Promise.resolve([]));
    assert.deepEqual(plan?.targets, [{ host: "127.0.0.1", port: 4566 }]);
    assert.deepEqual(plan?.through([{ address: "127.0.0.1:40001", port: 40001 }]), { ...broker, endpoint: "http://127.0.0.1:40001" });
    assert.equal(await driver.linkProxy({ ...broker, endpoint: "https://sqs.eu-west-1.amazonaws.com" }, () => Promise.resolve([])), undefined);
  });

  it("gives emulators dummy credentials and leaves real AWS to the default credential chain", () => {
    assert.equal(isRealAws("https://sqs.eu-west-1.amazonaws.com"), true);
    assert.equal(isRealAws("http://127.0.0.1:4566"), false);
    const emulator = awsClientConfig({ endpoint: "http://127.0.0.1:4566", region: "eu-west-1" });
    assert.equal(emulator.endpoint, "http://127.0.0.1:4566");
    assert.ok(emulator.credentials);
    const real = awsClientConfig({ endpoint: "https://sqs.eu-west-1.amazonaws.com", region: "eu-west-1" });
    assert.equal("credentials" in real, false);
    assert.equal("endpoint" in real, false);
  });

  it("creates dead-letter queues first and sends the declared attributes in seconds", () => {
    const ordered = creationOrder([{ name: "a", deadLetter: { queue: "b", maxReceiveCount: 2 } }, { name: "b", deadLetter: { queue: "c", maxReceiveCount: 1 } }, { name: "c" }, { name: "d" }]);
    assert.deepEqual(ordered.map((q) => q.name), ["c", "b", "a", "d"]);
    assert.deepEqual(queueAttributes({ name: "o", visibilityTimeout: 30_000, retention: 345_600_000, delay: 0, deadLetter: { queue: "o-dlq", maxReceiveCount: 3 } }, "arn:aws:sqs:eu-west-1:1:o-dlq"), {
      VisibilityTimeout: "30",
      MessageRetentionPeriod: "345600",
      DelaySeconds: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:o-dlq", maxReceiveCount: 3 }),
    });
    assert.deepEqual(queueAttributes({ name: "f.fifo", contentBasedDeduplication: true }), { FifoQueue: "true", ContentBasedDeduplication: "true" });
    assert.deepEqual(queueAttributes({ name: "plain", contentBasedDeduplication: false }), {}, "deduplication is for FIFO queues only");
  });

  it("lets the run's topics and rules send to its queues, nobody else", () => {
    const policy = queuePolicy("arn:q", ["arn:t1"], ["arn:r1"]);
    assert.deepEqual(policy.Statement.map((s) => [s.Principal.Service, s.Condition.ArnEquals["aws:SourceArn"]]), [["sns.amazonaws.com", ["arn:t1"]], ["events.amazonaws.com", ["arn:r1"]]]);
    assert.deepEqual(queuePolicy("arn:q", [], []).Statement, []);
  });

  it("names what a run used by its own kind: SNS subscriptions, EventBridge buses and rules", () => {
    const refs = awsRefs("cloud", { queues: ["billing"], topics: ["orders"], subscriptions: [{ topic: "orders", queue: "billing" }], buses: ["shop"], rules: [{ name: "paid", bus: "shop" }] });
    assert.deepEqual(refs.map(resourceName), ["queue billing (cloud)", "topic orders (cloud)", "subscription orders → billing (cloud)", "bus shop (cloud)", "rule paid on shop (cloud)"]);
  });

  it("maps SDK errors to broker errors with a code, a retriable flag and what to do", () => {
    const refused = toBrokerError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), "http://127.0.0.1:4566", "create queue \"q\"");
    assert.equal(refused.code, "BROKER_UNAVAILABLE");
    assert.equal(refused.retriable, true);
    assert.match(refused.message, /create queue "q".*AWS_ENDPOINT_URL/);
    const missing = toBrokerError(Object.assign(new Error("gone"), { name: "QueueDoesNotExist" }), "e", "read queue");
    assert.equal(missing.code, "NOT_FOUND");
    const bad = toBrokerError(Object.assign(new Error("bad pattern"), { name: "InvalidEventPatternException" }), "e", "create rule");
    assert.equal(bad.code, "INVALID_INPUT");
    assert.equal(bad.retriable, false);
  });
});
