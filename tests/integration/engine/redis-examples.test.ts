// The Redis example run headless by the scenario CLI against the local redis-server, its stream
// and channel renamed per run: every order on the stream is processed by the consumer group
// (failures claimed again after the idle time), the group's lag ends at 0, what the ledger counts
// lost is only Pub/Sub announcements nobody heard, and the run deletes the streams it created.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createClient } from "redis";
import type { RunReport } from "../../../lib/run/model";
import { repoRoot } from "../../support/engine";

test("the Redis Streams example processes every order once the group has claimed its failures, and cleans up", { timeout: 300_000 }, async () => {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const text = readFileSync(path.join(repoRoot, "examples", "redis-streams-orders.yaml"), "utf8")
    // The streams only: producers and consumers named "orders" keep their names.
    .replace(/(- name: |stream: )orders(?=\.dead|\n\s+maxLen|\s*[},])/g, `$1orders-${suffix}`)
    .replace(/\border-events\b/g, `order-events-${suffix}`);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "brokerlab-redis-")), "scenario.yaml");
  writeFileSync(file, text);
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/cli/scenario.ts"), "run", file, "--json"], { cwd: repoRoot, env: process.env, encoding: "utf8", timeout: 240_000 });
  assert.equal(run.status, 0, `the run exits 0:\n${run.stderr.slice(-3_000)}`);
  const report = JSON.parse(run.stdout) as RunReport;

  const orders = report.consumers["fulfilment/orders"]!;
  // The renames reach the notifier's consumer name too (it is named after its channel).
  const notifier = Object.entries(report.consumers).find(([name]) => name.startsWith("notifier/"))![1];
  assert.equal(report.producers["shop/orders"]?.confirmed, 200);
  assert.equal(orders.acked + orders.deadLettered, 200, "every order processed or dead-lettered");
  assert.ok(orders.acked >= 197, `acked ${orders.acked} of 200`);
  assert.ok(orders.redelivered >= orders.requeued - orders.deadLettered, "each failure came back as a claimed redelivery");
  assert.deepEqual(report.lag.map((g) => [g.group, g.total]), [["fulfilment", 0]]);
  // Only announcements published while the notifier did not listen are lost.
  const announced = report.producers["shop/announcements"]!.confirmed;
  assert.equal(report.ledger.lost, announced - notifier.acked, `lost ${report.ledger.lost}: the announcements nobody heard`);
  assert.deepEqual(report.resources?.created.map((r) => r.name).sort(), [`orders-${suffix}`, `orders-${suffix}.dead`]);

  const redis = createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
  await redis.connect();
  try {
    assert.equal(await redis.exists([`orders-${suffix}`, `orders-${suffix}.dead`]), 0, "the run deleted the streams it created");
  } finally {
    await redis.quit();
  }
});
