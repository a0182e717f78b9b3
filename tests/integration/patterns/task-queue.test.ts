// Task queues on the real stack: a pool of workers shares the tasks, every result is recorded
// exactly once, and a task that runs past its time limit is retried and then marked failed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, runToReport, unique } from "../../support/engine";

describe("task queues on the real stack", { timeout: 240_000 }, () => {
  it("200 tasks over 4 workers: every result recorded once", async () => {
    const queue = unique("tq.jobs");
    const report = await runToReport(loadScenario(`
version: 1
name: ${unique("tq")}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${queue} }] } }
services:
  - name: web
    tasks:
      - name: thumbnails
        broker: rabbit
        to: { queue: ${queue} }
        job: "{{pick resize crop}}"
        args: { imageId: "{{seq}}", width: "{{pick 320 640}}" }
        rate: { perSecond: 200 }
        count: 200
  - name: worker
    replicas: 4
    workers:
      - name: pool
        broker: rabbit
        from: { queue: ${queue} }
        concurrency: 2
        prefetch: 2
        jobs:
          resize: { work: { ms: 15, jitterMs: 5 }, result: { url: "img/{{imageId}}-{{width}}.png" } }
          crop: { work: { ms: 10 }, result: { cropped: "{{imageId}}" } }
`));
    assert.equal(report.status, "finished");
    const tasks = report.patterns?.tasks;
    assert.ok(tasks);
    assert.deepEqual(tasks.counts, { pending: 0, started: 0, retried: 0, succeeded: 200, failed: 0 });
    assert.equal(tasks.total, 200);
    assert.equal((tasks.byJob.resize?.succeeded ?? 0) + (tasks.byJob.crop?.succeeded ?? 0), 200);
    assert.deepEqual(tasks.producers["web/thumbnails"], { submitted: 200, confirmed: 200, failed: 0, done: true });
    const all = report.patterns?.allTasks ?? [];
    assert.equal(all.length, 200);
    assert.ok(all.every((t) => t.results === 1 && t.attempts === 1 && t.result !== undefined), "every task has exactly one stored result");
    const resized = all.find((t) => t.job === "resize");
    assert.match(JSON.stringify(resized?.result), /img\/\d+-(320|640)\.png/, "the result is rendered from the task's arguments");
    const byWorker = new Map<string, number>();
    for (const t of all) byWorker.set(t.worker ?? "?", (byWorker.get(t.worker ?? "?") ?? 0) + 1);
    assert.deepEqual([...byWorker.keys()].sort(), ["worker[0]", "worker[1]", "worker[2]", "worker[3]"], `all four workers took tasks: ${JSON.stringify([...byWorker])}`);
    assert.equal(tasks.workers["worker/pool"]?.succeeded, 200);
    assert.deepEqual(report.ledger, { confirmed: 200, consumed: 200, lost: 0, duplicated: 0, recovered: 0 });
    assert.ok(tasks.runtimeMs.count === 200 && tasks.runtimeMs.p50 >= 5, `run time per task: ${JSON.stringify(tasks.runtimeMs)}`);
  });

  it("a task that exceeds its timeout is retried, then marked failed", async () => {
    const queue = unique("tq.jobs");
    const report = await runToReport(loadScenario(`
version: 1
name: ${unique("tq")}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [{ name: ${queue} }] } }
services:
  - name: web
    tasks:
      - { name: reports, broker: rabbit, to: { queue: ${queue} }, job: slow-report, args: { month: 3 }, rate: { perSecond: 10 }, count: 1 }
  - name: worker
    workers:
      - name: pool
        broker: rabbit
        from: { queue: ${queue} }
        timeout: 300ms
        retries: 1
        backoffMs: [100]
        jobs:
          slow-report: { work: { ms: 2000 } }
`));
    const tasks = report.patterns?.tasks;
    assert.ok(tasks);
    assert.deepEqual(tasks.counts, { pending: 0, started: 0, retried: 0, succeeded: 0, failed: 1 });
    const [task] = report.patterns?.allTasks ?? [];
    assert.deepEqual(
      { state: task?.state, attempts: task?.attempts, retries: task?.retries, results: task?.results, error: task?.error },
      { state: "failed", attempts: 2, retries: 1, results: 0, error: "timed out after 300 ms" },
    );
    assert.deepEqual(tasks.workers["worker/pool"], { received: 2, started: 2, succeeded: 0, failed: 1, retried: 1, timedOut: 2, inFlight: 0 });
    assert.equal(report.ledger.consumed, 1, "a failed task is finished, not lost");
  });
});
