// The stack's probes against the real stack (`npm run stack:up`): every service answers, and
// RabbitMQ reports its version.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../../server/config";
import { probeJaeger, probeKafka, probeRabbitmq } from "../../../server/health/probes";

describe("stack probes on the real stack", () => {
  const config = loadConfig();

  test("RabbitMQ is up, with its version from the management API", async () => {
    const result = await probeRabbitmq(config);
    assert.equal(result.up, true, result.detail);
    assert.match(result.version ?? "", /^\d+\.\d+\.\d+/);
  });

  test("Kafka answers ApiVersions", async () => {
    const result = await probeKafka(config);
    assert.equal(result.up, true, result.detail);
  });

  test("Jaeger's query API and OTLP intake answer", async () => {
    const result = await probeJaeger(config);
    assert.equal(result.up, true, result.detail);
  });
});
