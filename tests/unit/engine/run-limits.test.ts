// The caps on concurrent runs and service processes: what is refused, and what the refusal says.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunStatus } from "../../../lib/run/model";
import { refusal } from "./limit-refusal";
import { checkCapacity, runsToForget, type EngineLimits } from "../../../server/engine/run-limits";

const limits: EngineLimits = { maxRuns: 2, maxServiceProcesses: 6, keepFinishedRuns: 1, keepRunDirs: 10, runDirMaxAgeMs: 0 };
const scenario = (...replicas: number[]) => ({ services: replicas.map((count, i) => ({ name: `svc-${i}`, replicas: count })) }) as never;
const run = (id: string, status: RunStatus, replicas: number[] = [1], startedAt = 0) => ({ id, scenario: scenario(...replicas), status: () => status, startedAt: () => startedAt });

describe("checkCapacity", () => {
  it("admits a run while active runs and their processes stay within the caps; ended runs do not count", () => {
    checkCapacity(scenario(2), [run("a", "running", [2]), run("old", "finished", [9]), run("bad", "failed", [9])], limits);
  });

  it("refuses a run beyond BROKERLAB_MAX_RUNS, naming the limit, the active runs and how to raise it", () => {
    const error = refusal(() => checkCapacity(scenario(1), [run("first-run", "starting"), run("second-run", "stopping")], limits));
    assert.match(error.message, /2 runs are active/);
    assert.match(error.message, /BROKERLAB_MAX_RUNS=2/);
    assert.match(error.message, /first-run, second-run/);
    assert.match(error.message, /raise BROKERLAB_MAX_RUNS/);
  });

  it("refuses a run whose processes would pass BROKERLAB_MAX_SERVICE_PROCESSES beside the active runs", () => {
    const error = refusal(() => checkCapacity(scenario(2, 1), [run("busy", "running", [2, 2])], limits));
    assert.match(error.message, /needs 3 service processes, and active runs use 4 of at most 6/);
    assert.match(error.message, /busy \(4\)/);
    assert.match(error.message, /BROKERLAB_MAX_SERVICE_PROCESSES/);
  });

  it("refuses a scenario that alone needs more processes than the cap, saying to lower its replicas", () => {
    const error = refusal(() => checkCapacity(scenario(4, 3), [], limits));
    assert.match(error.message, /needs 7 service processes \(one per replica\), more than Brokerlab runs at once \(BROKERLAB_MAX_SERVICE_PROCESSES=6\)/);
    assert.match(error.message, /Lower the services' replicas/);
  });

  it("lists at most ten active runs by name", () => {
    const many = Array.from({ length: 12 }, (_, i) => run(`run-${i}`, "running"));
    const error = refusal(() => checkCapacity(scenario(1), many, { ...limits, maxRuns: 12, maxServiceProcesses: 100 }));
    assert.match(error.message, /run-9 and 2 more/);
    assert.doesNotMatch(error.message, /run-10/);
  });
});

describe("runsToForget", () => {
  it("forgets all but the newest finished and failed runs, never an active one", () => {
    const runs = [run("a", "finished", [1], 1), run("b", "failed", [1], 2), run("c", "running", [1], 0), run("d", "finished", [1], 3)];
    assert.deepEqual(runsToForget(runs, 1), ["a", "b"]);
    assert.deepEqual(runsToForget(runs, 5), []);
  });
});
