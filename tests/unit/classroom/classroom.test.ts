// The classroom on a temporary data directory: joining (code, name, limits), who a request is, the
// class kept across a restart, run ownership, and the HTTP gate's verdicts for learners and visitors.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AppError } from "../../../lib/errors";
import { createClassroom, type Classroom, type Identity } from "../../../server/classroom/classroom";
import { gateRequest } from "../../../server/classroom/http-gate";
import { isTeacher, requesterOf } from "../../../server/classroom/request-identity";
import { createTokenAuth } from "../../../server/http/auth";
import type { IncomingMessage } from "node:http";

const token = "teacher-token-0123456789";
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function newClass(overrides: { dataDir?: string; now?: () => number } = {}) {
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(tmpdir(), "brokerlab-class-"));
  dirs.push(dataDir);
  const classroom = createClassroom({ mode: "classroom", auth: createTokenAuth(token), dataDir, classCode: "ABCD-2345", progressOf: async (id) => ({ intro: { lessonId: "intro", startedAt: 1, updatedAt: 2, currentStep: id, steps: {}, answers: {}, predictions: {} } }), ...overrides });
  return { classroom, dataDir };
}

const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
const url = new URL("http://127.0.0.1/");
const who = (classroom: Classroom, headers: Record<string, string>) => classroom.identify(headers, url);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  return error;
}

describe("classroom", () => {
  test("refuses to exist without the teacher's token", () => {
    assert.throws(() => createClassroom({ mode: "classroom", auth: createTokenAuth(undefined), dataDir: tmpdir() }), /BROKERLAB_TOKEN/);
  });

  test("join: right code and name give a learner session; wrong or missing code is FORBIDDEN; a bad name names the field", async () => {
    const { classroom } = newClass();
    const joined = await classroom.join({ body: { code: "abcd 2345", name: " Ada " }, address: "10.0.0.1", secure: false });
    assert.equal(joined.name, "Ada");
    assert.match(joined.learnerId, /^[0-9a-f]{24}$/);
    const identified = who(classroom, { cookie: cookieOf(joined.setCookie) });
    assert.deepEqual(identified, { ok: true, identity: { role: "learner", learnerId: joined.learnerId, name: "Ada" } });

    const wrong = await refusal(classroom.join({ body: { code: "ABCD-2346", name: "Bob" }, address: "10.0.0.2", secure: false }));
    assert.equal(wrong.code, "FORBIDDEN");
    assert.match(wrong.message, /join code is wrong/);
    const missing = await refusal(classroom.join({ body: { name: "Bob" }, address: "10.0.0.2", secure: false }));
    assert.match(missing.message, /join code is missing/);
    const badName = await refusal(classroom.join({ body: { code: "ABCD-2345", name: "" }, address: "10.0.0.2", secure: false }));
    assert.equal(badName.code, "INVALID_INPUT");
    assert.deepEqual(badName.problems?.map((p) => p.path), ["name"]);
    assert.match(badName.message, /^name is empty/);
    const notObject = await refusal(classroom.join({ body: ["ABCD-2345"], address: "10.0.0.2", secure: false }));
    assert.equal(notObject.code, "INVALID_INPUT");
  });

  test("after 10 wrong codes an address waits, other addresses do not", async () => {
    const { classroom } = newClass();
    for (let i = 0; i < 10; i++) assert.equal((await refusal(classroom.join({ body: { code: `WRONG${i}`, name: "X" }, address: "10.0.0.9", secure: false }))).code, "FORBIDDEN");
    const limited = await refusal(classroom.join({ body: { code: "ABCD-2345", name: "X" }, address: "10.0.0.9", secure: false }));
    assert.equal(limited.code, "LIMIT_REACHED");
    assert.match(limited.message, /wait \d+ s/);
    assert.ok(await classroom.join({ body: { code: "ABCD-2345", name: "Y" }, address: "10.0.0.10", secure: false }));
  });

  test("the teacher is whoever sends the token; no session, a forged one or an expired one is nobody, with the reason", async () => {
    let clock = 1_000_000;
    const { classroom } = newClass({ now: () => clock });
    assert.deepEqual(who(classroom, { authorization: `Bearer ${token}` }), { ok: true, identity: { role: "teacher" } });
    assert.deepEqual(classroom.identify({}, new URL(`http://127.0.0.1/?token=${token}`)), { ok: true, identity: { role: "teacher" } });
    const none = who(classroom, {});
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.message : "", /Join the class first/);
    const joined = await classroom.join({ body: { code: "ABCD-2345", name: "Ada" }, address: "a", secure: false });
    const forged = who(classroom, { cookie: `brokerlab_session=${cookieOf(joined.setCookie).split("=")[1]!.replace(/.$/, "A")}` });
    assert.equal(forged.ok, false);
    clock += 12 * 3600_000;
    const expired = who(classroom, { cookie: cookieOf(joined.setCookie) });
    assert.match(!expired.ok ? expired.message : "", /expired/);
  });

  test("a restart keeps the learners, their sessions and a generated code; the file is the owner's only", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-class-"));
    dirs.push(dataDir);
    const first = createClassroom({ mode: "classroom", auth: createTokenAuth(token), dataDir });
    assert.match(first.code!, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const joined = await first.join({ body: { code: first.code, name: "Ada" }, address: "a", secure: false });
    await first.claimRun({ role: "learner", learnerId: joined.learnerId, name: "Ada" }, "run-a");
    await first.flush();
    assert.equal(statSync(path.join(dataDir, "classroom.json")).mode & 0o777, 0o600);
    const second = createClassroom({ mode: "classroom", auth: createTokenAuth(token), dataDir });
    assert.equal(second.code, first.code);
    assert.deepEqual(who(second, { cookie: cookieOf(joined.setCookie) }), { ok: true, identity: { role: "learner", learnerId: joined.learnerId, name: "Ada" } });
    assert.equal(second.ownerOf("run-a"), joined.learnerId);
    assert.deepEqual((await second.learners()).map((l) => l.name), ["Ada"]);
  });

  test("rejoining with a valid session keeps the learner id; a new browser gets a new one", async () => {
    const { classroom } = newClass();
    const first = await classroom.join({ body: { code: "ABCD-2345", name: "Ada" }, address: "a", secure: false });
    const again = await classroom.join({ body: { code: "ABCD-2345", name: "Ada L." }, address: "a", cookieHeader: cookieOf(first.setCookie), secure: false });
    assert.equal(again.learnerId, first.learnerId);
    const other = await classroom.join({ body: { code: "ABCD-2345", name: "Ada" }, address: "a", secure: false });
    assert.notEqual(other.learnerId, first.learnerId);
  });

  test("runs: a learner may use their own only, the teacher every one; lesson progress is the learner's own", async () => {
    const { classroom } = newClass({});
    const a: Identity = { role: "learner", learnerId: "aaaaaaaaaaaa", name: "A" };
    const b: Identity = { role: "learner", learnerId: "bbbbbbbbbbbb", name: "B" };
    await classroom.claimRun(a, "run-a");
    assert.equal(classroom.mayUseRun(a, "run-a"), true);
    assert.equal(classroom.mayUseRun(b, "run-a"), false);
    assert.equal(classroom.mayUseRun({ role: "teacher" }, "run-a"), true);
    assert.throws(() => classroom.assertRun(b, "run-a"), (e: unknown) => e instanceof AppError && e.code === "FORBIDDEN" && /not yours/.test(e.message));
    assert.equal(classroom.learnerIdFor(b, "aaaaaaaaaaaa"), "bbbbbbbbbbbb");
    assert.equal(classroom.learnerIdFor({ role: "teacher" }, "aaaaaaaaaaaa"), "aaaaaaaaaaaa");
  });

  test("learners(): name, times, active runs and the progress store's record", async () => {
    const active = ["run-1"];
    const { classroom } = newClass();
    const joined = await classroom.join({ body: { code: "ABCD-2345", name: "Ada" }, address: "a", secure: false });
    const ada: Identity = { role: "learner", learnerId: joined.learnerId, name: "Ada" };
    await classroom.claimRun(ada, "run-1");
    await classroom.claimRun(ada, "run-0");
    const withActive = createClassroom({ mode: "classroom", auth: createTokenAuth(token), dataDir: dirs.at(-1)!, activeRunIds: () => active, progressOf: async () => ({}) });
    const [learner] = await withActive.learners();
    assert.equal(learner!.learnerId, joined.learnerId);
    assert.equal(learner!.activeRuns, 1);
    assert.ok(learner!.joinedAt > 0 && learner!.lastSeenAt >= learner!.joinedAt);
    assert.equal((await classroom.learners())[0]!.progress.intro!.currentStep, joined.learnerId);
  });
});

describe("HTTP gate", () => {
  const request = (pathname: string, headers: Record<string, string> = {}) => ({ request: { headers, url: pathname } as unknown as IncomingMessage, url: new URL(`http://127.0.0.1${pathname}`) });

  test("a visitor may open /join and join; other pages redirect to /join, the API answers 401", () => {
    const { classroom } = newClass();
    for (const pathname of ["/join", "/_next/static/x.js", "/api/classroom/join"]) {
      const { request: r, url: u } = request(pathname);
      assert.equal(gateRequest(classroom, r, u, pathname.startsWith("/api")).kind, "pass", pathname);
    }
    const page = request("/lab?x=1");
    assert.deepEqual(gateRequest(classroom, page.request, page.url, false), { kind: "redirect", location: "/join?next=%2Flab%3Fx%3D1" });
    const api = request("/api/examples");
    const verdict = gateRequest(classroom, api.request, api.url, true);
    assert.equal(verdict.kind === "refuse" && verdict.code, "UNAUTHORIZED");
    assert.equal(requesterOf(api.request), undefined);
  });

  test("a learner is refused the teacher's paths and other learners' runs and traces; the teacher passes", async () => {
    const { classroom } = newClass();
    const joined = await classroom.join({ body: { code: "ABCD-2345", name: "Ada" }, address: "a", secure: false });
    const cookie = cookieOf(joined.setCookie);
    await classroom.claimRun({ role: "learner", learnerId: joined.learnerId, name: "Ada" }, "mine");
    await classroom.claimRun({ role: "learner", learnerId: "someone-else", name: "B" }, "theirs");
    const verdictFor = (pathname: string, headers: Record<string, string> = { cookie }) => {
      const { request: r, url: u } = request(pathname, headers);
      return { verdict: gateRequest(classroom, r, u, true), r };
    };
    for (const pathname of ["/metrics", "/api/classroom/learners", "/api/runs/theirs", "/api/runs/theirs/frames", "/api/traces", "/api/traces?run=theirs"]) {
      const { verdict } = verdictFor(pathname);
      assert.equal(verdict.kind === "refuse" && verdict.code, "FORBIDDEN", pathname);
    }
    // The run history list passes: it answers a learner only their own runs (server/http/runs-api.ts).
    for (const pathname of ["/api/runs", "/api/runs/mine", "/api/traces?run=mine", "/api/examples", "/api/lessons"]) assert.equal(verdictFor(pathname).verdict.kind, "pass", pathname);
    const asLearner = verdictFor("/api/examples");
    assert.equal(isTeacher(asLearner.r), false);
    const asTeacher = verdictFor("/api/runs/theirs", { authorization: `Bearer ${token}` });
    assert.equal(asTeacher.verdict.kind, "pass");
    assert.equal(isTeacher(asTeacher.r), true);
  });

  test("outside classroom mode everything passes and the requester is the operator", () => {
    const lab = createClassroom({ mode: "lab", auth: createTokenAuth(undefined) });
    const { request: r, url: u } = request("/metrics");
    assert.equal(gateRequest(lab, r, u, true).kind, "pass");
    assert.equal(isTeacher(r), true);
  });
});
