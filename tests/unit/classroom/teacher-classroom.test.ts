// The teacher's routes in classroom mode, through the whole HTTP stack (no brokers): learners join
// with the code, the grid's rows are the class under their display names, every teacher route answers
// 401 without the teacher token and 403 to a learner's session, and a formula-like name stays text in the CSV.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { ClassGrid } from "../../../lib/classroom/grid";
import { recordStepStarted } from "../../../lib/lessons/progress";
import { createClassroom } from "../../../server/classroom";
import { createTokenAuth } from "../../../server/http/auth";
import { createProgressStore } from "../../../server/lessons/progress-store";
import { startSocketServer } from "../../support/socket-server";

const token = "teacher-token-0123456789";
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-teacher-class-"));
const progress = createProgressStore({ file: path.join(dir, "progress.json") });
const auth = createTokenAuth(token);
const classroom = createClassroom({ mode: "classroom", auth, dataDir: dir, classCode: "ABCD-2345", progressOf: (id) => progress.learner(id) });
let server: Awaited<ReturnType<typeof startSocketServer>>;
const learners: Record<string, { learnerId: string; cookie: string }> = {};
const teacher = { authorization: `Bearer ${token}` };

before(async () => {
  server = await startSocketServer(undefined, { auth, classroom });
  for (const name of ["=cmd|' /C calc'!A0, Ada", "Bo"]) {
    const response = await fetch(`${server.base}/api/classroom/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "ABCD-2345", name }) });
    assert.equal(response.status, 200, await response.clone().text());
    const { data } = (await response.json()) as { data: { learnerId: string } };
    learners[name] = { learnerId: data.learnerId, cookie: response.headers.get("set-cookie")!.split(";")[0]! };
  }
  await progress.update(learners.Bo!.learnerId, "hello-queue", (p) => recordStepStarted(p, "run-it", Date.now()));
  await progress.update(learners["=cmd|' /C calc'!A0, Ada"]!.learnerId, "hello-queue", (p) => p);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the teacher's dashboard in classroom mode", () => {
  it("answers every teacher route alike: 401 without a token or with a wrong one, 403 to a learner's session", async () => {
    const routes = [["GET", "/api/classroom/grid"], ["POST", "/api/classroom/drill"], ["GET", "/api/classroom/learners"]] as const;
    const asked = { none: {}, wrongToken: { authorization: "Bearer not-the-teacher-token-000" }, learner: { cookie: learners.Bo!.cookie } };
    const expected = { none: 401, wrongToken: 401, learner: 403 };
    for (const [method, route] of routes) {
      for (const [who, headers] of Object.entries(asked) as [keyof typeof asked, Record<string, string>][]) {
        const body = method === "POST" ? '{"fault":{"kind":"kill","service":"worker"}}' : undefined;
        const response = await fetch(`${server.base}${route}`, { method, headers, ...(body ? { body } : {}) });
        const { error } = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(response.status, expected[who], `${method} ${route} as ${who}: ${error.message}`);
        assert.equal(error.code, expected[who] === 401 ? "UNAUTHORIZED" : "FORBIDDEN");
        assert.match(error.message, /Authorization: Bearer <BROKERLAB_TOKEN>/);
        if (expected[who] === 401) assert.equal(response.headers.get("www-authenticate"), "Bearer");
        if (who === "wrongToken") assert.match(error.message, /^That bearer token is not this server's teacher token\./);
      }
    }
    assert.equal((await fetch(`${server.base}/api/classroom/grid`, { headers: teacher })).status, 200);
  });

  it("has a row per learner of the class under their display name, each with their own steps", async () => {
    const { data } = (await (await fetch(`${server.base}/api/classroom/grid`, { headers: teacher })).json()) as { data: { mode: string; grid: ClassGrid } };
    assert.equal(data.mode, "classroom");
    assert.deepEqual(data.grid.learners.map((l) => l.name).sort(), ["=cmd|' /C calc'!A0, Ada", "Bo"].sort());
    assert.equal(data.grid.learners.find((l) => l.name === "Bo")!.lessons["hello-queue"]![0]!.state, "working");
    assert.equal(data.grid.learners.find((l) => l.name !== "Bo")!.lessons["hello-queue"]![0]!.state, "todo");
    assert.deepEqual(data.grid.lessons.map((l) => l.id), ["hello-queue"]);
  });

  it("keeps a formula-like name as quoted text in the CSV", async () => {
    const csv = await (await fetch(`${server.base}/api/classroom/grid?format=csv`, { headers: teacher })).text();
    const ada = learners["=cmd|' /C calc'!A0, Ada"]!.learnerId;
    assert.ok(csv.includes(`\r\n${ada},"'=cmd|' /C calc'!A0, Ada",hello-queue,"Hello, queue",run-it,`), csv.slice(0, 400));
  });
});
