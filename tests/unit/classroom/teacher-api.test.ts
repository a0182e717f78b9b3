// The teacher's routes on a real HTTP server with a fake class: teacher only, the grid as JSON and
// as CSV (quoted, formulas defused, a file name), and a drill refused naming the field, no run touched.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import { completeStep, emptyProgress, recordStepStarted } from "../../../lib/lessons/progress";
import type { FaultRequest } from "../../../lib/run/events";
import type { Engine } from "../../../server/engine/engine";
import type { Run } from "../../../server/engine/run";
import { createTeacherApi } from "../../../server/http/teacher-api";
import { fixtureScenario } from "../lessons/fixtures";

const lesson = lessons[0]!;
const t0 = Date.UTC(2026, 11, 7, 9);
const applied: FaultRequest[] = [];
const run = {
  id: "run-1", status: () => "running", scenario: fixtureScenario(),
  applyFault: async (request: FaultRequest) => (applied.push(request), { affected: 3 }),
} as unknown as Run;
const everyone = {
  "learner-ada": { [lesson.id]: { ...completeStep(lesson, recordStepStarted(emptyProgress(lesson.id, t0), lesson.steps[0]!.id, t0), lesson.steps[0]!.id, { detail: "ok" }, t0 + 1000), lastRunId: "run-1" } },
  "learner-bob": { [lesson.id]: recordStepStarted(emptyProgress(lesson.id, t0), lesson.steps[0]!.id, t0) },
};
let server: Server;
let base: string;

before(async () => {
  const handle = createTeacherApi({
    everyone: async () => structuredClone(everyone),
    classList: async (request) => (request.headers["x-class"] ? [{ learnerId: "learner-ada", name: "=HYPERLINK(\"x\"), Ada", progress: everyone["learner-ada"] }] : undefined),
    engine: { list: () => [run] } as unknown as Engine,
    isTeacher: (request) => request.headers.authorization === "Bearer teach",
    mode: (request) => (request.headers["x-class"] ? "classroom" : "lab"),
    now: () => t0 + 30 * 60_000,
    log: () => {},
  });
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!handle(request, response, url)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const teacher = { authorization: "Bearer teach" };
const post = (body: string) => fetch(`${base}/api/classroom/drill`, { method: "POST", headers: { ...teacher, "content-type": "application/json" }, body });

describe("the teacher's routes", () => {
  it("answer 401 to anyone without the teacher token, and leave other paths alone", async () => {
    for (const response of [await fetch(`${base}/api/classroom/grid`), await fetch(`${base}/api/classroom/drill`, { method: "POST", body: "{}" })]) {
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /teacher/);
    }
    assert.equal((await fetch(`${base}/api/classroom/join`)).status, 404);
    assert.equal((await fetch(`${base}/api/classroom/grid`, { method: "DELETE", headers: teacher })).status, 405);
  });

  it("give the grid as JSON: rows, states, the server's mode", async () => {
    const body = (await (await fetch(`${base}/api/classroom/grid?stuckMinutes=20`, { headers: teacher })).json()) as { data: { mode: string; grid: { learners: { learnerId: string; lessons: Record<string, { state: string }[]> }[] } } };
    assert.equal(body.data.mode, "lab");
    assert.deepEqual(body.data.grid.learners.map((l) => l.learnerId), ["learner-ada", "learner-bob"]);
    assert.equal(body.data.grid.learners[0]!.lessons[lesson.id]![0]!.state, "done");
    assert.equal(body.data.grid.learners[1]!.lessons[lesson.id]![0]!.state, "stuck");
    const one = (await (await fetch(`${base}/api/classroom/grid?learner=learner-bob`, { headers: teacher })).json()) as typeof body;
    assert.deepEqual(one.data.grid.learners.map((l) => l.learnerId), ["learner-bob"]);
  });

  it("refuse a bad parameter naming it", async () => {
    for (const [query, field] of [["stuckMinutes=0", "stuckMinutes"], ["format=xml", "format"], ["learner=no", "learner"], ["colour=red", "colour"]] as const) {
      const response = await fetch(`${base}/api/classroom/grid?${query}`, { headers: teacher });
      assert.equal(response.status, 400, query);
      const error = ((await response.json()) as { error: { message: string; problems: { path: string }[] } }).error;
      assert.equal(error.problems[0]!.path, field);
      assert.match(error.message, new RegExp(field));
    }
  });

  it("give the class as CSV with a file name, names quoted and defused", async () => {
    const response = await fetch(`${base}/api/classroom/grid?format=csv`, { headers: { ...teacher, "x-class": "1" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/csv/);
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="brokerlab-class-progress-2026-12-07.csv"');
    const lines = (await response.text()).split("\r\n");
    assert.equal(lines.length, 1 + lesson.steps.length + 1, "a header, a line per step of the one learner of the class, and the final line end");
    assert.ok(lines[1]!.startsWith(`learner-ada,"'=HYPERLINK(""x""), Ada",${lesson.id},`), lines[1]);
  });

  it("refuse a bad drill naming the field, touching no run", async () => {
    for (const [body, field] of [["not json", "body"], ['{"fault":{"kind":"kill"}}', "fault.service"], ['{"fault":{"kind":"stopBroker","broker":"rabbit"}}', "fault.kind"], ['{"fault":{"kind":"slow","service":"worker","ms":0}}', "fault.ms"]] as const) {
      const response = await post(body);
      assert.equal(response.status, 400, body);
      const error = ((await response.json()) as { error: { message: string; problems: { path: string }[] } }).error;
      assert.equal(error.problems[0]!.path, field, body);
      assert.match(error.message, /No run was touched|not JSON/);
    }
    assert.deepEqual(applied, []);
  });

  it("drill every running run with the service, naming whose it is", async () => {
    const response = await post('{"fault":{"kind":"kill","service":"worker","forMs":5000}}');
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as { data: { fault: string; reached: { runId: string; learnerId?: string }[]; skipped: unknown[] } };
    assert.deepEqual(data.reached.map((r) => [r.runId, r.learnerId]), [["run-1", "learner-ada"]]);
    assert.deepEqual(data.skipped, []);
    assert.deepEqual(applied, [{ action: "kill", service: "worker", forMs: 5000 }]);
  });
});
