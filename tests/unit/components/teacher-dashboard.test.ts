// The teacher's dashboard in a browser: asks for the token when the server wants one and sends it
// as a bearer header; the empty class and lab mode say what they are; each mark says its state in
// words; the drill asks before it acts and reports what it reached and skipped.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { TeacherDashboard } from "../../../components/teacher/teacher-dashboard";
import { classGrid, type ClassGrid } from "../../../lib/classroom/grid";
import { emptyProgress, recordPrediction, recordStepStarted, type LessonProgress } from "../../../lib/lessons/progress";
import type { Lesson } from "../../../lib/lessons/schema";

const check = { kind: "ledger", field: "lost", op: "==", value: 0 } as const;
const lesson: Lesson = {
  id: "crash", number: 3, kind: "lesson", title: "Crash, recover", summary: "s", brokers: ["rabbitmq"], minutes: 5, intro: "i", recap: ["r"],
  steps: [
    { id: "run", title: "Run it", body: "b", scenario: { yaml: "version: 1" }, hints: ["h"], check },
    { id: "kill", title: "Kill", body: "b", hints: ["h"], check, predict: { prompt: "How many are lost?", metric: "ledger.lost", explanation: "e", options: [{ text: "none", min: 0, max: 0 }, { text: "some", min: 1 }] } },
  ],
};
const t0 = Date.UTC(2026, 11, 7, 9);
const progress = (start: number, choice: number) => recordPrediction(recordStepStarted(emptyProgress(lesson.id, t0), "run", start), "kill", choice, start) as LessonProgress;
const fullGrid = (): ClassGrid => classGrid([lesson], [
  { learnerId: "learner-ada", name: "Ada", progress: { crash: progress(t0, 1) } },
  { learnerId: "learner-bob", name: "Bob", progress: { crash: progress(t0 + 25 * 60_000, 1) } },
], { now: t0 + 30 * 60_000, stuckAfterMinutes: 10 });

let mode = "classroom";
let grid: ClassGrid = fullGrid();
let wantedToken: string | undefined;
let requests: { url: string; method: string; authorization?: string; body?: string }[] = [];

describe("TeacherDashboard", () => {
  beforeEach(() => {
    mode = "classroom";
    grid = fullGrid();
    wantedToken = undefined;
    requests = [];
    window.sessionStorage.clear();
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      requests.push({ url: String(input), method: init?.method ?? "GET", ...(headers.authorization ? { authorization: headers.authorization } : {}), ...(init?.body ? { body: String(init.body) } : {}) });
      if (wantedToken && headers.authorization !== `Bearer ${wantedToken}`) return new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "token", retriable: false } }), { status: 401 });
      if (String(input).startsWith("/api/classroom/drill")) {
        return new Response(JSON.stringify({ data: { fault: "kill worker", reached: [{ runId: "r1", scenario: "crash", learnerId: "learner-ada", affected: 1 }], skipped: [{ runId: "r2", scenario: "other", why: 'has no service "worker" (services: api)' }] } }));
      }
      return new Response(JSON.stringify({ data: { mode, grid } }));
    }) as typeof fetch;
  });
  afterEach(cleanup);

  it("asks for the teacher token, keeps it for the tab and sends it as a bearer header", async () => {
    wantedToken = "s3cret";
    render(createElement(TeacherDashboard));
    fireEvent.change(await screen.findByTestId("teacher-token"), { target: { value: "s3cret" } });
    fireEvent.submit(screen.getByTestId("token-form"));
    await screen.findByTestId("class-grid");
    assert.equal(window.sessionStorage.getItem("brokerlab.teacherToken"), "s3cret");
    assert.equal(requests.at(-1)!.authorization, "Bearer s3cret");
  });

  it("shows each learner's marks with their state in words, the stuck count and the predictions", async () => {
    render(createElement(TeacherDashboard));
    const rows = await screen.findAllByTestId("class-grid-row");
    assert.deepEqual(rows.map((r) => r.dataset.learner), ["learner-ada", "learner-bob"]);
    const adaRun = rows[0]!.querySelector('[data-state="stuck"]')!;
    assert.match(adaRun.textContent ?? "", /Step 1, Run it: stuck: started 30 min ago \(over 10 min\)/);
    assert.match(rows[0]!.textContent ?? "", /1 stuck/);
    assert.match(rows[1]!.querySelector('[data-state="working"]')!.textContent ?? "", /working: started 5 min ago/);
    assert.match(screen.getByTestId("prediction").textContent ?? "", /none0 learners.*some2 learners/);
    assert.equal(screen.queryByTestId("lab-mode-notice"), null);
  });

  it("says there are no learners yet and how they join, in a class with nobody in it", async () => {
    grid = classGrid([lesson], [], { now: t0, stuckAfterMinutes: 10 });
    render(createElement(TeacherDashboard));
    assert.match((await screen.findByTestId("teacher-empty")).textContent ?? "", /No learners yet.*Give them the join code/);
  });

  it("outside classroom mode shows this browser's learner, or every learner when asked", async () => {
    mode = "lab";
    render(createElement(TeacherDashboard));
    await screen.findByTestId("lab-mode-notice");
    const me = window.localStorage.getItem("brokerlab.learner")!;
    await waitFor(() => assert.match(requests.at(-1)!.url, new RegExp(`learner=${me}`)));
    fireEvent.click(screen.getByTestId("show-everyone"));
    await waitFor(() => assert.doesNotMatch(requests.at(-1)!.url, /learner=/));
  });

  it("runs a drill only once confirmed, and lists the runs reached and skipped", async () => {
    render(createElement(TeacherDashboard));
    await screen.findAllByTestId("class-grid-row");
    fireEvent.change(screen.getByTestId("drill-service"), { target: { value: "worker" } });
    fireEvent.submit(screen.getByTestId("drill-service").closest("form")!);
    assert.equal(requests.filter((r) => r.method === "POST").length, 0, "nothing before the confirmation");
    fireEvent.click(await screen.findByTestId("drill-confirm"));
    const result = await screen.findByTestId("drill-result");
    assert.deepEqual(JSON.parse(requests.find((r) => r.method === "POST")!.body!), { fault: { kind: "kill", service: "worker" } });
    assert.match(result.textContent ?? "", /reached 1 run, skipped 1/);
    assert.match(result.textContent ?? "", /Ada: crash \(r1\)/);
    assert.match(result.textContent ?? "", /skipped, has no service "worker"/);
  });
});
