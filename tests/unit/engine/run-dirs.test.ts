// Pruning run directories: the newest N and the recent stay, active runs' stay, the rest go.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { processStartTime } from "../../../server/engine/leftover-processes";
import { pruneRunDirs } from "../../../server/engine/run-dirs";

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const hour = 3_600_000;
const now = Date.now();

/** Run directories named run-0 (newest) … run-<n-1> (oldest), one hour apart, each with a log. */
function dataDirWith(count: number): string {
  const root = mkdtempSync(path.join(tmpdir(), "brokerlab-run-dirs-"));
  roots.push(root);
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `run-${i}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "svc-0.log"), "line\n");
    const at = new Date(now - (i + 1) * hour);
    utimesSync(path.join(dir, "svc-0.log"), at, at);
    utimesSync(dir, at, at);
  }
  return root;
}

describe("pruneRunDirs", () => {
  it("keeps the newest N and deletes older ones", async () => {
    const root = dataDirWith(5);
    const result = await pruneRunDirs(root, { keep: 2, maxAgeMs: 0, active: new Set(), now });
    assert.deepEqual(result.removed.sort(), ["run-2", "run-3", "run-4"]);
    assert.deepEqual(readdirSync(root).sort(), ["run-0", "run-1"]);
  });

  it("keeps directories younger than the maximum age even beyond N", async () => {
    const root = dataDirWith(5);
    const result = await pruneRunDirs(root, { keep: 1, maxAgeMs: 3.5 * hour, now, active: new Set() });
    assert.deepEqual(result.removed.sort(), ["run-3", "run-4"]);
  });

  it("never deletes a directory of an active run, nor of a run whose server still runs", async () => {
    const root = dataDirWith(4);
    // run-3 is recorded as forked by another server that still runs (this test's parent process).
    const record = { pid: 999_999, marker: "brokerlab-service-x", ownerPid: process.ppid, ownerStart: processStartTime(process.ppid), service: "svc", replica: 0 };
    writeFileSync(path.join(root, "run-3", "processes.jsonl"), `${JSON.stringify(record)}\n`);
    utimesSync(path.join(root, "run-3", "processes.jsonl"), new Date(now - 9 * hour), new Date(now - 9 * hour));
    const result = await pruneRunDirs(root, { keep: 0, maxAgeMs: 0, now, active: new Set(["run-1"]) });
    assert.deepEqual(result.removed.sort(), ["run-0", "run-2"]);
    assert.ok(existsSync(path.join(root, "run-1")) && existsSync(path.join(root, "run-3")));
  });

  it("keeps a directory whose created resources are still recorded as active (the next start deletes them first)", async () => {
    const root = dataDirWith(2);
    const manifest = { version: 1, runId: "run-1", ownerPid: 999_999, ownerStart: "1", state: "active", brokers: {} };
    writeFileSync(path.join(root, "run-1", "resources.json"), JSON.stringify(manifest));
    utimesSync(path.join(root, "run-1", "resources.json"), new Date(now - 5 * hour), new Date(now - 5 * hour));
    assert.deepEqual((await pruneRunDirs(root, { keep: 0, maxAgeMs: 0, now, active: new Set() })).removed, ["run-0"]);
    writeFileSync(path.join(root, "run-1", "resources.json"), JSON.stringify({ ...manifest, state: "cleaned" }));
    assert.deepEqual((await pruneRunDirs(root, { keep: 0, maxAgeMs: 0, now: Date.now() + hour, active: new Set() })).removed, ["run-1"]);
  });

  it("dates a directory by its newest file: a log still growing keeps an old directory", async () => {
    const root = dataDirWith(3);
    writeFileSync(path.join(root, "run-2", "svc-0.log"), "still writing\n");
    const result = await pruneRunDirs(root, { keep: 1, maxAgeMs: 0.5 * hour, now: Date.now(), active: new Set() });
    // run-2, the oldest by name, was written just now: it is the newest, and the one kept.
    assert.deepEqual(result.removed.sort(), ["run-0", "run-1"]);
    assert.deepEqual(readdirSync(root), ["run-2"]);
  });

  it("answers nothing removed for a data directory that does not exist yet", async () => {
    assert.deepEqual(await pruneRunDirs(path.join(tmpdir(), "brokerlab-no-such-dir-x9"), { keep: 0, maxAgeMs: 0, active: new Set() }), { removed: [], problems: [] });
  });
});
