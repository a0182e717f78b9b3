// What a run on the Amazon broker created, left behind by a server that died: the next server start
// reads the run's manifest (the aws driver's entry: endpoint, region, created queues, topics and
// subscriptions with their ARNs), deletes them on moto's server and marks the manifest cleaned.
import assert from "node:assert/strict";
import { once } from "node:events";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { createAwsAdmin } from "../../../server/brokers/aws/admin";
import type { CreatedAws } from "../../../server/brokers/aws/resources";
import { loadConfig } from "../../../server/config";
import { createEngine } from "../../../server/engine/engine";
import { readManifest, writeManifest } from "../../../server/engine/resource-manifest";
import { testEngine, unique } from "../../support/engine";

const config = loadConfig();
const target = { endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION };
const admin = createAwsAdmin(target);
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-aws-orphans-"));
const leftovers: CreatedAws[] = [];

after(async () => {
  for (const created of leftovers) await admin.teardown(created).catch(() => {});
  await admin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("a server start deletes the SQS queues and SNS topic a dead server's run created on moto", { timeout: 60_000 }, async () => {
  const queue = unique("bl-left-sqs");
  const topic = unique("bl-left-sns");
  let created: CreatedAws | undefined;
  await admin.apply({ queues: [{ name: queue }], topics: [{ name: topic }], subscriptions: [{ topic, queue }], buses: [], rules: [] }, (now) => void (created = now));
  assert.ok(created, "the admin told what it created");
  leftovers.push(created);
  assert.deepEqual((await admin.depths([queue])).map((d) => d.name), [queue]);

  // A server that died: a pid that has exited (and a start time no process has).
  const dead = spawn(process.execPath, ["-e", ""]);
  await once(dead, "exit");
  mkdirSync(path.join(dataDir, "dead-aws-run"));
  writeManifest(path.join(dataDir, "dead-aws-run"), {
    version: 1, runId: "dead-aws-run", ownerPid: dead.pid!, ownerStart: "1", state: "active",
    brokers: { sqs: { kind: "aws", endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION, created } },
  });

  const result = await createEngine({ ...testEngine().context, dataDir }).orphansCleaned;
  assert.deepEqual(result, { cleaned: ["dead-aws-run"], problems: [] });
  assert.deepEqual(await admin.depths([queue]), [], "the dead server's queue is deleted");
  assert.equal(readManifest(path.join(dataDir, "dead-aws-run"))?.state, "cleaned");
});
