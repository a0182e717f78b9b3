// The run store on a real SQLite file: recording, listing with filters, renaming, pinning,
// deleting, pruning past the size limit (pinned runs kept), reopening (migrations run once), and
// the frame sampler that keeps long recordings small.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createFrameSampler, outcomesOf, realErrors } from "../../../lib/runs/history";
import type { RunFrame, RunReport } from "../../../lib/run/model";
import { openRunStore } from "../../../server/runs/store";

const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-run-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const report = (runId: string, change: Partial<RunReport> = {}): RunReport => ({
  runId, scenario: "orders", status: "finished", startedAt: "2026-12-06T12:00:00.000Z", durationMs: 5_000, producers: {}, consumers: {},
  ledger: { confirmed: 10, consumed: 10, lost: 0, duplicated: 0, recovered: 0 }, latencyMs: { p50: 1, p90: 2, p99: 3, max: 4 },
  queues: [], lag: [], services: {}, traces: { sample: [], searchUrl: "", droppedSpans: 0 }, errors: [], logsDir: "logs", ...change,
});

const frame = (elapsedMs: number, tail = 1, status: RunFrame["status"] = "running"): RunFrame => ({
  runId: "r", at: 1_000 + elapsedMs, status, elapsedMs, producers: {}, consumers: {}, services: {}, queues: [], lag: [],
  ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, droppedSpans: 0,
  tail: Array.from({ length: tail }, (_, i) => ({ id: `m${elapsedMs}-${i}`, kind: "published", at: elapsedMs, actor: "p" }) as unknown as RunFrame["tail"][number]),
});

function begin(store: ReturnType<typeof openRunStore>, runId: string, brokers = ["rabbitmq"], startedAt = "2026-12-06T12:00:00.000Z") {
  store.begin({ runId, scenario: runId.startsWith("k") ? "kafka-orders" : "orders", origin: runId.includes("lesson") ? "lesson" : "lab", ...(runId.includes("lesson") ? { lessonId: "01-first-queue", stepId: "run" } : {}), brokers, startedAt, scenarioText: "version: 1\n" });
}

describe("the run store", () => {
  it("records a run's frames and report, and lists runs by scenario, broker, lesson and outcome", () => {
    const store = openRunStore(path.join(dir, "a.sqlite"), { maxBytes: 10_000_000 });
    begin(store, "r-clean");
    store.addFrames("r-clean", [frame(0), frame(100), frame(200)]);
    assert.equal(store.finish(report("r-clean")), 0);
    begin(store, "k-lost", ["kafka"], "2026-12-06T12:01:00.000Z");
    store.finish(report("k-lost", { scenario: "kafka-orders", ledger: { confirmed: 10, consumed: 7, lost: 3, duplicated: 1, recovered: 0 } }));
    begin(store, "r-lesson", ["rabbitmq"], "2026-12-06T12:02:00.000Z");
    store.finish(report("r-lesson", { errors: ["a consumer crashed"] }));

    assert.deepEqual(store.list({ limit: 100 }).map((r) => r.runId), ["r-lesson", "k-lost", "r-clean"]);
    assert.deepEqual(store.list({ limit: 100, broker: "kafka" }).map((r) => r.runId), ["k-lost"]);
    assert.deepEqual(store.list({ limit: 100, outcome: "lost" }).map((r) => r.runId), ["k-lost"]);
    assert.deepEqual(store.list({ limit: 100, outcome: "duplicates" }).map((r) => r.runId), ["k-lost"]);
    assert.deepEqual(store.list({ limit: 100, outcome: "errors" }).map((r) => r.runId), ["r-lesson"]);
    assert.deepEqual(store.list({ limit: 100, outcome: "clean" }).map((r) => r.runId), ["r-clean"]);
    assert.deepEqual(store.list({ limit: 100, lesson: "01-first-queue" }).map((r) => r.runId), ["r-lesson"]);
    assert.deepEqual(store.list({ limit: 100, scenario: "kafka" }).map((r) => r.runId), ["k-lost"]);

    const one = store.get("r-clean")!;
    assert.equal(one.frames, 3);
    assert.equal(one.report?.ledger.consumed, 10);
    assert.deepEqual(store.frames("r-clean").map((f) => f.elapsedMs), [0, 100, 200]);
    assert.equal(store.get("nope"), undefined);
    store.close();
  });

  it("renames, pins (pinned first) and deletes; reopening keeps everything and migrates nothing twice", () => {
    const file = path.join(dir, "b.sqlite");
    let store = openRunStore(file, { maxBytes: 10_000_000 });
    begin(store, "r1");
    store.finish(report("r1"));
    begin(store, "r2", ["rabbitmq"], "2026-12-06T13:00:00.000Z");
    store.finish(report("r2"));
    assert.equal(store.edit("r1", { title: "before the kill", pinned: true }), true);
    assert.equal(store.edit("missing", { pinned: true }), false);
    store.close();
    store = openRunStore(file, { maxBytes: 10_000_000 });
    const [first, second] = store.list({ limit: 100 });
    assert.equal(first?.runId, "r1");
    assert.equal(first?.title, "before the kill");
    assert.equal(first?.pinned, true);
    assert.equal(second?.runId, "r2");
    assert.equal(store.remove("r2"), true);
    assert.equal(store.remove("r2"), false);
    assert.deepEqual(store.list({ limit: 100 }).map((r) => r.runId), ["r1"]);
    store.close();
  });

  it("past its size limit prunes the oldest unpinned finished runs, keeps pinned and running ones, and counts what it pruned", () => {
    const store = openRunStore(path.join(dir, "c.sqlite"), { maxBytes: 6_000 });
    const big = Array.from({ length: 3 }, (_, i) => frame(i * 100, 5));
    for (const [i, id] of ["old-pinned", "old", "middle", "new"].entries()) {
      begin(store, id, ["rabbitmq"], `2026-12-06T12:0${i}:00.000Z`);
      store.addFrames(id, big);
      if (id === "old-pinned") store.edit(id, { pinned: true });
      if (id !== "new") store.finish(report(id));
    }
    const pruned = store.finish(report("new"));
    assert.ok(pruned >= 1, `pruned ${pruned}`);
    const left = store.list({ limit: 100 }).map((r) => r.runId);
    assert.ok(left.includes("old-pinned"), `pinned kept: ${left.join(", ")}`);
    assert.ok(!left.includes("old"), `the oldest unpinned went first: ${left.join(", ")}`);
    assert.equal(store.frames("old").length, 0, "its frames went with it");
    assert.equal(store.usage().pruned, pruned);
    store.close();
  });
});

describe("the run store's owners", () => {
  it("keeps who started each run and lists one learner's runs alone; everyone's without an owner", () => {
    const store = openRunStore(path.join(dir, "e.sqlite"), { maxBytes: 10_000_000 });
    store.begin({ runId: "ada-1", scenario: "orders", origin: "lab", brokers: ["rabbitmq"], startedAt: "2026-12-06T12:00:00.000Z", scenarioText: "version: 1\n", owner: "ada" });
    store.begin({ runId: "bob-1", scenario: "orders", origin: "lab", brokers: ["rabbitmq"], startedAt: "2026-12-06T12:01:00.000Z", scenarioText: "version: 1\n", owner: "bob" });
    begin(store, "teacher-1", ["rabbitmq"], "2026-12-06T12:02:00.000Z");
    assert.deepEqual(store.list({ limit: 100 }, "ada").map((r) => r.runId), ["ada-1"]);
    assert.deepEqual(store.list({ limit: 100 }).map((r) => r.runId), ["teacher-1", "bob-1", "ada-1"]);
    assert.equal(store.get("bob-1")?.owner, "bob");
    assert.equal(store.get("teacher-1")?.owner, undefined);
    store.close();
  });

  it("migrates an older store: its runs get no owner, and a stopped run's outcome is recounted without the stop", () => {
    const file = path.join(dir, "f.sqlite");
    let store = openRunStore(file, { maxBytes: 10_000_000 });
    begin(store, "stopped");
    store.finish(report("stopped", { errors: ["stopped: stopped from the browser"] }));
    store.close();
    // As an older Brokerlab left it: before the recount and the owner column, the stop counted as errors.
    const raw = new Database(file);
    raw.exec("DROP INDEX runs_by_owner; ALTER TABLE runs DROP COLUMN owner; UPDATE runs SET outcomes = 'errors'; PRAGMA user_version = 2;");
    raw.close();
    store = openRunStore(file, { maxBytes: 10_000_000 });
    assert.deepEqual(store.get("stopped")?.outcomes, []);
    assert.equal(store.get("stopped")?.owner, undefined);
    assert.deepEqual(store.list({ limit: 100, outcome: "clean" }).map((r) => r.runId), ["stopped"]);
    store.close();
  });
});

describe("the run store at start", () => {
  it("ends as failed a run whose recording process is gone, and leaves this process's runs alone", () => {
    const file = path.join(dir, "d.sqlite");
    let store = openRunStore(file, { maxBytes: 10_000_000 });
    begin(store, "mine");
    begin(store, "orphan");
    store.close();
    // A process id that cannot be alive: as if the server that recorded "orphan" had died.
    const raw = new Database(file);
    raw.prepare("UPDATE runs SET pid = ? WHERE run_id = 'orphan'").run(2 ** 22 + 17);
    raw.close();
    store = openRunStore(file, { maxBytes: 10_000_000 });
    assert.equal(store.get("orphan")?.status, "failed");
    assert.deepEqual(store.get("orphan")?.outcomes, ["errors"]);
    assert.equal(store.get("mine")?.status, "starting");
    store.close();
  });
});

describe("outcomesOf", () => {
  it("names lost messages, duplicates and errors, and nothing for a clean run", () => {
    assert.deepEqual(outcomesOf(report("x")), []);
    assert.deepEqual(outcomesOf(report("x", { ledger: { confirmed: 5, consumed: 4, lost: 1, duplicated: 2, recovered: 0 } })), ["lost", "duplicates"]);
    assert.deepEqual(outcomesOf(report("x", { producers: { p: { published: 5, confirmed: 4, failed: 1, returned: 0 } } })), ["errors"]);
    assert.deepEqual(outcomesOf(report("x", { status: "failed" })), ["errors"]);
  });

  it("does not count the note of a stop as an error, but still counts a real error beside it", () => {
    assert.deepEqual(outcomesOf(report("x", { errors: ["stopped: stopped from the browser"] })), []);
    assert.deepEqual(outcomesOf(report("x", { errors: ["stopped: no drain", "orders[0] crashed with exit code 1"] })), ["errors"]);
    assert.deepEqual(realErrors(report("x", { errors: ["stopped: no drain", "boom"] })), ["boom"]);
  });
});

describe("the frame sampler", () => {
  it("keeps every frame for a minute, then at most four a second, after ten minutes one, carrying the skipped frames' message events", () => {
    const sampler = createFrameSampler();
    const kept: RunFrame[] = [];
    for (let ms = 0; ms <= 700_000; ms += 100) {
      const out = sampler.offer(frame(ms));
      if (out) kept.push(out);
    }
    const count = (from: number, to: number) => kept.filter((f) => f.elapsedMs >= from && f.elapsedMs < to).length;
    assert.equal(count(0, 60_000), 600);
    const second = count(60_000, 70_000);
    assert.ok(second >= 30 && second <= 40, `at most four a second from the first minute on: ${second} in 10 s`);
    assert.equal(count(600_000, 610_000), 10);
    const at = kept.find((f) => f.elapsedMs === 60_200)!;
    assert.deepEqual(at.tail.map((e) => e.id), ["m60000-0", "m60100-0", "m60200-0"], "the events of the frames skipped since the last kept one");
  });

  it("always keeps the frame a run ends with, and hands back the last one it held", () => {
    const sampler = createFrameSampler();
    sampler.offer(frame(700_000));
    assert.equal(sampler.offer(frame(700_100)), undefined);
    assert.equal(sampler.flush()?.elapsedMs, 700_100);
    assert.equal(sampler.flush(), undefined);
    assert.equal(sampler.offer(frame(700_200, 1, "finished"))?.status, "finished");
  });
});
