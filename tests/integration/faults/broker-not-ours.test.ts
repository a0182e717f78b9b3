// The stop-broker fault on a broker that runs, but that this Brokerlab's stack did not start
// (another checkout, Docker or a manual start): a clear refusal, and the broker keeps running.
// Simulated with an empty stack directory, which owns nothing; the real brokers (and moto) are never stopped.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../../server/config";
import { createStackLifecycle } from "../../../server/faults/broker-control";
import { probeMoto } from "../../../server/health/moto-probe";
import { probeKafka } from "../../../server/health/probes";

describe("stop-broker fault on a broker this stack did not start", { timeout: 90_000 }, () => {
  const saved = { dir: process.env.BROKERLAB_STACK_DIR, mode: process.env.BROKERLAB_STACK };
  let emptyStack = "";
  before(() => {
    emptyStack = mkdtempSync(path.join(os.tmpdir(), "brokerlab-foreign-stack-"));
    process.env.BROKERLAB_STACK_DIR = emptyStack;
    process.env.BROKERLAB_STACK = "local";
  });
  after(() => {
    for (const [key, value] of [["BROKERLAB_STACK_DIR", saved.dir], ["BROKERLAB_STACK", saved.mode]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(emptyStack, { recursive: true, force: true });
  });

  it("answers that it cannot stop it, and leaves it running", async () => {
    const config = loadConfig();
    const lines: string[] = [];
    await assert.rejects(
      createStackLifecycle({ timeoutMs: 60_000 })("down", { kind: "kafka", brokers: config.KAFKA_BROKERS }, (line) => lines.push(line)),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "CONFLICT");
        assert.match(error.message, /^Brokerlab cannot stop kafka: this Brokerlab's stack did not start it/);
        return true;
      },
    );
    assert.ok(lines.some((line) => /not stopped: it runs, but this checkout's stack did not start it/.test(line)), lines.join("\n"));
    assert.equal((await probeKafka(config)).up, true, "Kafka still answers");
  });

  it("does the same for the Amazon broker's emulator (moto's server): refuses, and moto keeps answering", async () => {
    const config = loadConfig();
    const lines: string[] = [];
    await assert.rejects(
      createStackLifecycle({ timeoutMs: 60_000 })("down", { kind: "aws", endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION }, (line) => lines.push(line)),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "CONFLICT");
        assert.match(error.message, /^Brokerlab cannot stop moto: this Brokerlab's stack did not start it/);
        return true;
      },
    );
    assert.ok(lines.some((line) => /\[moto\] not stopped: it runs, but this checkout's stack did not start it/.test(line)), lines.join("\n"));
    assert.equal((await probeMoto(config)).up, true, "moto still answers");
  });
});
