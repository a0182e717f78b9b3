// What the engine, faults, health and lessons ask the drivers instead of comparing broker kinds:
// the run manifest's entry per kind (an Amazon run's leftovers must be readable to be cleaned),
// the stack service each driver's broker runs as, and the home page's hints and links.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { brokerDrivers, driverOfService } from "../../../server/brokers/registry";
import { loadConfig } from "../../../server/config";
import { manifestSchema, readManifest, writeManifest, type ResourceManifest } from "../../../server/engine/resource-manifest";
import { customEndpoints, linksFor } from "../../../server/health/service-advice";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const manifest = (brokers: Record<string, unknown>) => ({ version: 1, runId: "run-1", ownerPid: 999_999, ownerStart: "1", state: "active", brokers });
const awsEntry = {
  kind: "aws",
  endpoint: "http://127.0.0.1:4566",
  region: "us-east-1",
  created: { queues: ["orders"], topics: [{ name: "news", arn: "arn:aws:sns:us-east-1:123456789012:news" }], subscriptions: [], buses: [], rules: [{ name: "route", bus: "shop" }] },
};
const rabbitEntry = { kind: "rabbitmq", url: "amqp://127.0.0.1:5672", managementUrl: "http://127.0.0.1:15672", created: { exchanges: [], queues: [], bindings: [] } };

describe("run manifest entries come from the drivers", () => {
  it("each driver's entry schema carries its own kind", () => {
    for (const driver of brokerDrivers()) assert.equal(driver.manifestEntry.shape.kind.value, driver.kind);
  });

  it("reads back a run's Amazon entry next to a RabbitMQ one, so a later start can delete what it created", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-manifest-"));
    dirs.push(dir);
    writeManifest(dir, manifest({ sqs: awsEntry, rabbit: rabbitEntry }) as ResourceManifest);
    const read = readManifest(dir);
    assert.equal(read?.state, "active");
    const entry = read?.brokers.sqs;
    assert.ok(entry?.kind === "aws", JSON.stringify(read));
    assert.deepEqual(entry.created.rules, [{ name: "route", bus: "shop" }]);
    assert.equal(read?.brokers.rabbit?.kind, "rabbitmq");
  });

  it("an Amazon entry written mid-apply (lists not all there yet) reads with the missing lists empty", () => {
    const parsed = manifestSchema.parse(manifest({ sqs: { ...awsEntry, created: { queues: ["orders"] } } }));
    assert.deepEqual(parsed.brokers.sqs?.created, { queues: ["orders"], topics: [], subscriptions: [], buses: [], rules: [] });
  });

  it("refuses an entry of a kind no driver knows", () => {
    assert.equal(manifestSchema.safeParse(manifest({ other: { kind: "nats", created: {} } })).success, false);
  });
});

describe("stack services and home page advice", () => {
  it("finds each broker's driver by the stack service that runs it, and none for Jaeger", () => {
    assert.equal(driverOfService("rabbitmq")?.kind, "rabbitmq");
    assert.equal(driverOfService("kafka")?.kind, "kafka");
    assert.equal(driverOfService("moto")?.kind, "aws");
    assert.equal(driverOfService("jaeger"), undefined);
  });

  it("hints at each broker's variables when they point away from the local stack", () => {
    const local = loadConfig({});
    for (const id of ["rabbitmq", "kafka", "moto", "jaeger"] as const) assert.deepEqual(customEndpoints(id, local), [], `${id} on the local stack gets no hint`);
    const away = loadConfig({ RABBITMQ_MANAGEMENT_URL: "http://u:secret@mq.example:15672", KAFKA_BROKERS: "127.0.0.1:9092,k2.example:9092", AWS_ENDPOINT_URL: "http://127.0.0.1:4567" });
    assert.deepEqual(customEndpoints("rabbitmq", away), ["RABBITMQ_MANAGEMENT_URL=http://mq.example:15672"]);
    assert.deepEqual(customEndpoints("kafka", away), ["KAFKA_BROKERS=127.0.0.1:9092,k2.example:9092"]);
    assert.deepEqual(customEndpoints("moto", away), ["AWS_ENDPOINT_URL=http://127.0.0.1:4567"]);
  });

  it("links RabbitMQ's management UI (without credentials) once it is up, and nothing for the others", () => {
    const config = loadConfig({ RABBITMQ_MANAGEMENT_URL: "http://u:secret@127.0.0.1:15672" });
    assert.deepEqual(linksFor("rabbitmq", config, { up: false }), [{ label: "RabbitMQ management UI", url: "http://127.0.0.1:15672", available: false, note: "Opens once RabbitMQ is up." }]);
    assert.equal(linksFor("rabbitmq", config, { up: true })[0]?.available, true);
    assert.deepEqual(linksFor("kafka", config, { up: true }), []);
    assert.deepEqual(linksFor("moto", config, { up: true }), []);
  });
});
