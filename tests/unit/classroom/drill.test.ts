// A drill's body is checked before any run is touched (the bad field named), and the fault reaches
// every running run with that service while the others are skipped with the reason.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { drillKinds, parseDrillBody } from "../../../lib/classroom/drill";
import { AppError } from "../../../lib/errors";
import type { FaultRequest } from "../../../lib/run/events";
import type { Engine } from "../../../server/engine/engine";
import type { Run } from "../../../server/engine/run";
import { applyDrill } from "../../../server/teacher/drill";
import { fixtureScenario } from "../lessons/fixtures";

const problemsOf = (body: unknown) => {
  const parsed = parseDrillBody(body);
  assert.equal(parsed.ok, false, JSON.stringify(body));
  return parsed.ok ? [] : parsed.problems;
};

describe("a drill's body", () => {
  it("becomes a run's fault spec", () => {
    assert.deepEqual(parseDrillBody({ fault: { kind: "kill", service: "worker" } }), { ok: true, spec: { action: "kill", service: "worker" } });
    assert.deepEqual(parseDrillBody({ fault: { kind: "slow", service: "worker", ms: 200, forMs: 5000 } }), { ok: true, spec: { action: "slow", service: "worker", ms: 200, forMs: 5000 } });
    assert.ok(drillKinds.includes("kill") && !drillKinds.includes("stopBroker"));
  });

  it("is refused naming the bad field", () => {
    assert.deepEqual(problemsOf("kill").map((p) => p.path), ["body"]);
    assert.deepEqual(problemsOf({}).map((p) => p.path), ["fault"]);
    assert.deepEqual(problemsOf({ fault: {} }).map((p) => p.path), ["fault.kind"]);
    assert.deepEqual(problemsOf({ fault: { kind: "explode", service: "worker" } }).map((p) => p.path), ["fault.kind"]);
    assert.match(problemsOf({ fault: { kind: "stopBroker", broker: "rabbit" } })[0]!.message, /every learner shares/);
    assert.deepEqual(problemsOf({ fault: { kind: "kill" } }).map((p) => p.path), ["fault.service"]);
    assert.deepEqual(problemsOf({ fault: { kind: "kill", service: "Not A Slug" } }).map((p) => p.path), ["fault.service"]);
    assert.deepEqual(problemsOf({ fault: { kind: "slow", service: "worker", ms: -1 } }).map((p) => p.path), ["fault.ms"]);
    assert.deepEqual(problemsOf({ fault: { kind: "kill", service: "worker", colour: "red" } }).map((p) => p.path), ["fault.colour"]);
    assert.deepEqual(problemsOf({ fault: { kind: "kill", service: "worker" }, extra: 1 }).map((p) => p.path), ["extra"]);
  });
});

describe("applying a drill", () => {
  type FakeRun = Run & { applied: FaultRequest[] };
  function fakeRun(id: string, status: string, options: { refuse?: Error; services?: string[] } = {}): FakeRun {
    const scenario = fixtureScenario();
    const applied: FaultRequest[] = [];
    const services = options.services ? scenario.services.filter((s) => options.services!.includes(s.name)) : scenario.services;
    return {
      id, applied, status: () => status, scenario: { ...scenario, name: `scenario-${id}`, services },
      applyFault: async (request: FaultRequest) => {
        if (options.refuse) throw options.refuse;
        applied.push(request);
        return { affected: 3, faultId: `f-${id}` };
      },
    } as unknown as FakeRun;
  }

  it("reaches every running run with the service and says why it skipped the others", async () => {
    const runs = [
      fakeRun("r1", "running"),
      fakeRun("r2", "running"),
      fakeRun("r3", "running", { services: ["order-service"] }),
      fakeRun("r4", "starting"),
      fakeRun("r5", "completed"),
      fakeRun("r6", "running", { refuse: new AppError("CONFLICT", "The run is ending; faults no longer apply.") }),
      fakeRun("r7", "running", { refuse: new Error("socket hang up at 10.0.0.3") }),
    ];
    const engine = { list: () => runs } as unknown as Engine;
    const logged: string[] = [];
    const result = await applyDrill(engine, { action: "kill", service: "worker" }, { ownerOf: (id) => (id === "r1" ? "learner-a0" : undefined), log: (m) => logged.push(m) });
    assert.equal(result.fault, "kill worker");
    assert.deepEqual(result.reached, [
      { runId: "r1", scenario: "scenario-r1", learnerId: "learner-a0", affected: 3, faultId: "f-r1" },
      { runId: "r2", scenario: "scenario-r2", affected: 3, faultId: "f-r2" },
    ]);
    assert.deepEqual(runs[0]!.applied, [{ action: "kill", service: "worker" }]);
    assert.deepEqual(result.skipped.map((s) => s.runId), ["r3", "r4", "r6", "r7"], "a completed run is not active: not listed");
    assert.match(result.skipped[0]!.why, /has no service "worker" \(services: order-service\)/);
    assert.match(result.skipped[1]!.why, /is starting/);
    assert.match(result.skipped[2]!.why, /faults no longer apply/);
    assert.doesNotMatch(result.skipped[3]!.why, /10\.0\.0\.3/, "an unexpected error's text stays in the server log");
    assert.equal(logged.length, 1);
  });

  it("skips a run where the fault does not fit the service, naming the field", async () => {
    const run = fakeRun("r1", "running");
    const result = await applyDrill({ list: () => [run] } as unknown as Engine, { action: "slow", service: "order-service", ms: 100 });
    assert.deepEqual(result.reached, []);
    assert.match(result.skipped[0]!.why, /^service: "order-service" has no consumers/);
    assert.deepEqual(run.applied, []);
  });
});
