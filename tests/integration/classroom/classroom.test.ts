// Classroom mode end to end on the real engine and RabbitMQ: joining over HTTP (right code, wrong
// code, a cross-site page), the session cookie's flags, and isolation between two learners: every
// socket command that names a run is refused on another learner's run, which keeps running untouched.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { clientPayloadSchemas, type AckResponse, type ClientToServerEvents } from "../../../lib/events";
import type { RunSummary } from "../../../lib/run/events";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createClassroom } from "../../../server/classroom";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createTokenAuth } from "../../../server/http/auth";
import { lessonServiceFor } from "../../../server/realtime/lessons";
import { unique } from "../../support/engine";
import { call, startSocketServer } from "../../support/socket-server";
import { waitFor } from "../../support/wait-for";

const token = "classroom-teacher-token-42";
const classCode = "TEST-CODE";
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-classroom-"));
const engine = createEngine(engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: path.join(dataDir, "runs") }, { createRabbitAdmin, createKafkaAdmin }));
const auth = createTokenAuth(token);
const classroom = createClassroom({ mode: "classroom", auth, dataDir: path.join(dataDir, "runs"), classCode, progressOf: (learnerId) => lessonServiceFor(engine).progressOf(learnerId) });
let server: Awaited<ReturnType<typeof startSocketServer>>;

before(async () => {
  server = await startSocketServer(engine, { auth, classroom });
});

after(async () => {
  await engine.shutdown();
  await server?.close();
  await classroom.flush();
  rmSync(dataDir, { recursive: true, force: true });
});

const join = (name: string, code = classCode, headers: Record<string, string> = {}) => server.joinClass(code, name, headers);

/** A socket that carries `headers` on its handshake; resolves once connected, rejects with the refusal. */
const socketWith = (headers: Record<string, string>) => server.connectWith(headers);

describe("classroom mode", { timeout: 120_000 }, () => {
  let cookieA = "";
  let cookieB = "";
  let learnerA = "";

  it("joins with the right code: a learner id and an HttpOnly, SameSite=Strict session cookie", async () => {
    const { response, body, cookie } = await join("Ada");
    assert.equal(response.status, 200, JSON.stringify(body));
    learnerA = body.data!.learnerId;
    assert.match(learnerA, /^[0-9a-f]{24}$/);
    const setCookie = response.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /^brokerlab_session=[\w-]+\.[\w-]+;/);
    for (const flag of ["HttpOnly", "SameSite=Strict", "Path=/"]) assert.ok(setCookie.split("; ").includes(flag), `${flag} in ${setCookie}`);
    cookieA = cookie;
    const second = await join("Bob");
    assert.equal(second.response.status, 200);
    assert.notEqual(second.body.data!.learnerId, learnerA);
    cookieB = second.cookie;
  });

  it("refuses a wrong or missing code (403), a bad name (400 naming the field) and another site's page (403)", async () => {
    const wrong = await join("Eve", "WRONG-123");
    assert.equal(wrong.response.status, 403);
    assert.match(wrong.body.error!.message, /join code is wrong/);
    assert.equal(wrong.response.headers.get("set-cookie"), null);
    assert.equal((await join("Eve", "")).response.status, 403);
    const badName = await join("\u0007");
    assert.equal(badName.response.status, 400);
    assert.match(badName.body.error!.message, /^name /);
    const crossSite = await join("Eve", classCode, { origin: "http://evil.example" });
    assert.equal(crossSite.response.status, 403);
    assert.match(crossSite.body.error!.message, /refuses requests from the page at "http:\/\/evil.example"/);
    await assert.rejects(socketWith({ cookie: cookieA, origin: "http://evil.example" }));
  });

  it("without a session the API answers 401 and the socket is refused; pages send the browser to /join", async () => {
    const api = await fetch(`${server.base}/api/examples`);
    assert.equal(api.status, 401);
    const page = await fetch(`${server.base}/lab`, { redirect: "manual" });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/join?next=%2Flab");
    await assert.rejects(socketWith({}), /Join the class first/);
    await assert.rejects(socketWith({ cookie: `${cookieA.slice(0, -3)}xyz` }), /not valid/);
  });

  it("learner B can neither see nor use learner A's run, with any socket command that names a run; A's run is untouched", async () => {
    const socketA = await socketWith({ cookie: cookieA });
    const socketB = await socketWith({ cookie: cookieB });
    const teacher = await socketWith({ authorization: `Bearer ${token}` });
    const statusSeenByB: string[] = [];
    socketB.on("run:status", (update) => statusSeenByB.push(update.runId));
    const queue = unique("class-orders");
    const scenario = `
version: 1
name: classroom-isolation
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: new-orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 100000 } ]
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} } } ]
`;
    const started = await call<{ runId: string }>(socketA, "run:start", { scenario, durationSeconds: 120 });
    assert.ok("data" in started, JSON.stringify(started));
    const runId = started.data.runId;
    await waitFor(() => engine.get(runId)?.status() === "running", { timeoutMs: 60_000, description: "A's run to be running" });

    // Every command of the contract that names a run, with a payload that passes validation.
    const payloads: Partial<Record<keyof ClientToServerEvents, unknown>> = {
      "run:stop": { runId },
      "run:subscribe": { runId },
      "run:unsubscribe": { runId },
      "run:send": { runId, service: "order-service", producer: "new-orders", count: 1 },
      "run:message": { runId, messageId: "m-1" },
      "run:fault": { runId, action: "kill", service: "inventory-service" },
      "run:replay": { runId, service: "inventory-service", projection: "stock" },
      "lesson:watch": { learnerId: learnerA, lessonId: "hello-queue", stepId: "run-it", runId },
      "lesson:attempt": { learnerId: learnerA, lessonId: "hello-queue", stepId: "run-it", scenario, runId },
    };
    const namingRun = Object.entries(clientPayloadSchemas)
      .filter(([, schema]) => JSON.stringify(z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any", io: "input" })).includes('"runId"'))
      .map(([event]) => event as keyof ClientToServerEvents);
    assert.ok(namingRun.length >= 9, namingRun.join(", "));
    for (const event of namingRun) {
      assert.ok(payloads[event], `the test has no payload for ${event}, a command that names a run`);
      const answer = await call(socketB, event, payloads[event]);
      assert.ok("error" in answer, `${event} was accepted for another learner's run`);
      assert.equal(answer.error.code, "FORBIDDEN", `${event}: ${answer.error.message}`);
      assert.match(answer.error.message, /not yours/);
    }

    const listB = await call<RunSummary[]>(socketB, "run:list", {});
    assert.ok("data" in listB && !listB.data.some((run) => run.runId === runId), "B's run:list shows A's run");
    const listA = await call<RunSummary[]>(socketA, "run:list", {});
    assert.ok("data" in listA && listA.data.some((run) => run.runId === runId));
    const listTeacher = await call<RunSummary[]>(teacher, "run:list", {});
    assert.ok("data" in listTeacher && listTeacher.data.some((run) => run.runId === runId));
    assert.equal(engine.get(runId)?.status(), "running", "B's commands changed A's run");
    const watched = await call(socketA, "run:subscribe", { runId });
    assert.ok("data" in watched, JSON.stringify(watched));

    const stopped: AckResponse<unknown> = await call(socketA, "run:stop", { runId });
    assert.ok("data" in stopped, JSON.stringify(stopped).slice(0, 300));
    assert.equal(statusSeenByB.includes(runId), false, "B was told the status of A's run");
  });

  it("lesson progress is the session's learner's, whatever learner id the browser sends", async () => {
    const socketA = await socketWith({ cookie: cookieA });
    const socketB = await socketWith({ cookie: cookieB });
    const answered = await call(socketA, "lesson:answer", { learnerId: "someone-else-entirely", lessonId: "hello-queue", questionId: "what-decouples", choices: [0] });
    assert.ok("data" in answered, JSON.stringify(answered).slice(0, 300));
    const asA = await call<Record<string, unknown>>(socketA, "lesson:progress", { learnerId: "someone-else-entirely" });
    assert.ok("data" in asA && Object.hasOwn(asA.data, "hello-queue"), "A's progress was not kept under A's session");
    const bAsksForA = await call<Record<string, unknown>>(socketB, "lesson:progress", { learnerId: learnerA });
    assert.ok("data" in bAsksForA);
    assert.deepEqual(Object.keys(bAsksForA.data), [], "B read A's progress");
  });

  it("the class list is the teacher's: both learners with their progress; a learner is refused it and /metrics", async () => {
    const asTeacher = await fetch(`${server.base}/api/classroom/learners`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(asTeacher.status, 200);
    const { data } = (await asTeacher.json()) as { data: { learners: Array<{ learnerId: string; name: string; progress: Record<string, unknown>; activeRuns: number }> } };
    assert.deepEqual(data.learners.map((l) => l.name).sort(), ["Ada", "Bob"]);
    assert.ok(Object.hasOwn(data.learners.find((l) => l.learnerId === learnerA)!.progress, "hello-queue"));
    for (const url of ["/api/classroom/learners", "/metrics"]) {
      const asLearner = await fetch(`${server.base}${url}`, { headers: { cookie: cookieB } });
      assert.equal(asLearner.status, 403, url);
    }
  });
});
