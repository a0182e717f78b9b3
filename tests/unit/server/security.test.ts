// The checks that keep other sites and other hosts out: Host/Origin, the broker endpoint allowlist,
// the scope of stopBroker, and secrets kept out of what clients and logs see.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorPayload, type AppError } from "../../../lib/errors";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import { scenarioWithoutSecrets } from "../../../lib/secrets";
import { ConfigError, loadConfig } from "../../../server/config";
import { endpointProblems, isOwnStackBroker, ownStackLifecycle } from "../../../server/engine/endpoints";
import { wrongPortRabbitUrl } from "../../../lib/lessons/teaching-endpoints";
import { createOriginGuard } from "../../../server/http/origin-guard";
import { expectValid, withChange } from "../scenario/helpers";

describe("Host and Origin", () => {
  const guard = createOriginGuard({ listening: () => ({ address: "127.0.0.1", port: 3000 }), allowedHosts: ["lab.example.com", "box.lan:8080"] });

  it("answers its own addresses on its port, with or without a same-site Origin", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000"]) assert.equal(guard.refusal(host, undefined), undefined, host);
    assert.equal(guard.refusal("localhost:3000", "http://localhost:3000"), undefined);
    assert.equal(guard.refusal("127.0.0.1:3000", "http://127.0.0.1:3000"), undefined);
  });

  it("refuses a rebound name, another port and a malformed Host, saying what to set", () => {
    for (const host of ["evil.example:3000", "evil.example", "127.0.0.1:3001", "127.0.0.1:3000@evil", ""]) {
      assert.match(guard.refusal(host, undefined) ?? "", /does not answer requests for the host .*BROKERLAB_ALLOWED_HOSTS=/, host);
    }
    assert.ok(guard.refusal(undefined, undefined));
  });

  it("refuses another site's page, a null origin and another local port", () => {
    for (const origin of ["http://evil.example", "null", "http://localhost:8080", "file://", "chrome-extension://abc"]) {
      assert.match(guard.refusal("127.0.0.1:3000", origin) ?? "", /refuses requests from the page at/, origin);
    }
  });

  it("BROKERLAB_ALLOWED_HOSTS adds names: any port without one, that port with one", () => {
    assert.equal(guard.refusal("lab.example.com", "https://lab.example.com"), undefined);
    assert.equal(guard.refusal("box.lan:8080", "http://box.lan:8080"), undefined);
    assert.ok(guard.refusal("box.lan:9090", undefined));
  });

  it("a server listening on a LAN address answers that address too", () => {
    const lan = createOriginGuard({ listening: () => ({ address: "192.168.1.5", port: 4000 }) });
    assert.equal(lan.refusal("192.168.1.5:4000", "http://192.168.1.5:4000"), undefined);
    assert.ok(lan.refusal("192.168.1.6:4000", undefined));
  });
});

describe("broker endpoints of a scenario", () => {
  const context = { rabbitUrl: "amqp://guest:guest@127.0.0.1:5672", rabbitManagementUrl: "http://guest:guest@127.0.0.1:15672", kafkaBrokers: ["127.0.0.1:9092"], allowedEndpoints: ["rabbit.lan:5672"] };

  it("the configured brokers, under any loopback name, are allowed", () => {
    const doc = withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://admin:pw@localhost:5672/shop", managementUrl: "http://localhost:15672" });
    assert.deepEqual(endpointProblems(expectValid(withChange("brokers.kafka", { kind: "kafka", brokers: ["localhost:9092"] }, doc)), context), []);
  });

  it("anything else is refused by field, naming BROKERLAB_ALLOWED_ENDPOINTS; the allowlist admits more", () => {
    const doc = withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://evil.example", managementUrl: "http://127.0.0.1:8080" });
    const scenario = expectValid(withChange("brokers.kafka", { kind: "kafka", brokers: ["127.0.0.1:9092", "evil.example:9092"] }, doc));
    const problems = endpointProblems(scenario, context);
    assert.deepEqual(problems.map((p) => p.path), ["brokers.rabbit.url", "brokers.rabbit.managementUrl", "brokers.kafka.brokers[1]"]);
    assert.match(problems[0]!.message, /names evil\.example:5672, which is not one of Brokerlab's brokers; .*BROKERLAB_ALLOWED_ENDPOINTS/);
    const allowed = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://rabbit.lan" }));
    assert.deepEqual(endpointProblems(allowed, context), []);
  });

  it("the lessons' port where nothing listens is allowed; a port next to it is not", () => {
    const lesson = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: wrongPortRabbitUrl }));
    assert.deepEqual(endpointProblems(lesson, context), []);
    const other = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://guest:guest@127.0.0.1:5998" }));
    assert.deepEqual(endpointProblems(other, context).map((p) => p.path), ["brokers.rabbit.url"]);
  });

  it("only the configured brokers on this machine are the stack's (stopBroker's scope)", () => {
    const own: ResolvedBroker = { kind: "rabbitmq", url: context.rabbitUrl, managementUrl: context.rabbitManagementUrl };
    assert.equal(isOwnStackBroker(own, context), true);
    assert.equal(isOwnStackBroker({ ...own, url: "amqp://127.0.0.1:5673" }, { ...context, allowedEndpoints: ["127.0.0.1:5673"] }), false);
    assert.equal(isOwnStackBroker({ kind: "rabbitmq", url: "amqp://rabbit.lan", managementUrl: "http://rabbit.lan:15672" }, context), false);
    assert.equal(isOwnStackBroker({ kind: "kafka", brokers: ["localhost:9092"] }, context), true);
  });
});

describe("stopBroker's scope", () => {
  it("the lifecycle refuses a broker that is not the stack's own without running the stack command", async () => {
    const context = { rabbitUrl: "amqp://guest:guest@127.0.0.1:5672", rabbitManagementUrl: "http://guest:guest@127.0.0.1:15672", kafkaBrokers: ["127.0.0.1:9092"], allowedEndpoints: ["127.0.0.1:5673"] };
    const calls: string[] = [];
    const lifecycle = ownStackLifecycle(context, async (action, broker) => void calls.push(`${action} ${broker.kind}`));
    const other: ResolvedBroker = { kind: "rabbitmq", url: "amqp://127.0.0.1:5673", managementUrl: context.rabbitManagementUrl };
    await assert.rejects(lifecycle("down", other, () => {}), (error: AppError) => error.code === "INVALID_INPUT" && /the rabbitmq broker at 127\.0\.0\.1:5673 is not a broker of Brokerlab's own stack/.test(error.message));
    await lifecycle("down", { kind: "rabbitmq", url: context.rabbitUrl, managementUrl: context.rabbitManagementUrl }, () => {});
    assert.deepEqual(calls, ["down rabbitmq"]);
  });
});

describe("secrets", () => {
  it("broker passwords are masked in the scenario clients see and in error payloads", () => {
    const scenario = expectValid(withChange("brokers.rabbit", { kind: "rabbitmq", url: "amqp://admin:S3CRET@127.0.0.1:5672", managementUrl: "http://admin:S3CRET@127.0.0.1:15672" }));
    const shown = JSON.stringify(scenarioWithoutSecrets(scenario));
    assert.doesNotMatch(shown, /S3CRET/);
    assert.match(shown, /amqp:\/\/admin:\*\*\*@127\.0\.0\.1:5672/);
    const payload = errorPayload("BROKER_UNAVAILABLE", "RabbitMQ at amqp://admin:S3CRET@host:5672 refused", [{ path: "x", message: "http://u:S3CRET@h/" }]);
    assert.doesNotMatch(JSON.stringify(payload), /S3CRET/);
  });

  it("configuration errors never echo a password or the token", () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: "test", ...env });
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.message;
      }
      return assert.fail("expected a ConfigError");
    };
    const url = problemsOf({ RABBITMQ_URL: "ftp://admin:S3CRET@127.0.0.1:5672" });
    assert.match(url, /RABBITMQ_URL \(got "ftp:\/\/admin:\*\*\*@127\.0\.0\.1:5672"\)/);
    assert.doesNotMatch(url, /S3CRET/);
    const token = problemsOf({ BROKERLAB_TOKEN: "shorttoken" });
    assert.match(token, /BROKERLAB_TOKEN \(got a value of 10 characters\): must be at least 16 characters/);
    assert.doesNotMatch(token, /shorttoken/);
  });
});
