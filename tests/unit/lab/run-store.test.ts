// The browser's run store against a fake socket: it keeps only its run's frames (at most 600),
// resubscribes after a reconnect and takes the server's latest frame, and a reset forgets the run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRunStore, maxFrames } from "../../../lib/client/run-store";
import type { BrokerlabSocket } from "../../../lib/client/socket";
import type { RunFrame } from "../../../lib/run/model";

type Handler = (...args: unknown[]) => void;

function fakeSocket(answers: Record<string, (payload: Record<string, unknown>) => unknown>) {
  const handlers = new Map<string, Handler[]>();
  const sent: { event: string; payload: Record<string, unknown> }[] = [];
  const socket = {
    on(event: string, handler: Handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
    timeout() {
      return {
        emit(event: string, payload: Record<string, unknown>, callback: (error: Error | null, response?: unknown) => void) {
          sent.push({ event, payload });
          const answer = answers[event];
          queueMicrotask(() => callback(null, answer ? answer(payload) : { data: null }));
        },
      };
    },
  };
  const fire = (event: string, ...args: unknown[]) => handlers.get(event)?.forEach((h) => h(...args));
  return { socket: socket as unknown as BrokerlabSocket, fire, sent };
}

const frame = (runId: string, at: number, extra: Partial<RunFrame> = {}): RunFrame => ({
  runId, at, status: "running", elapsedMs: at, producers: {}, consumers: {}, services: {}, queues: [], lag: [],
  ledger: { confirmed: at, consumed: at, lost: 0, duplicated: 0, recovered: 0 }, tail: [], droppedSpans: 0, ...extra,
});

const summary = (runId: string) => ({ runId, scenario: "s", status: "running", startedAt: 0 });

describe("the run store", () => {
  it("starts a run, keeps only its frames, and at most the last 600", async () => {
    const fake = fakeSocket({ "run:start": () => ({ data: { runId: "r1" } }) });
    const store = createRunStore(() => fake.socket);
    store.subscribe(() => {});
    const started = store.start("version: 1", 30);
    assert.equal(store.getSnapshot().phase, "starting");
    assert.equal(await started, "r1");
    assert.deepEqual(fake.sent[0], { event: "run:start", payload: { scenario: "version: 1", durationSeconds: 30 } });
    for (let i = 1; i <= maxFrames + 50; i++) fake.fire("run:frame", frame("r1", i, { tail: [{ id: `m${i}`, kind: "acked", at: i, service: "s", replica: 0, actor: "c" }] }));
    fake.fire("run:frame", frame("someone-else", 9999));
    const view = store.getSnapshot();
    assert.equal(view.frames.length, maxFrames);
    assert.equal(view.frames[0]!.at, 51);
    assert.equal(view.frames.at(-1)!.at, maxFrames + 50);
    assert.equal(view.events.at(-1)!.id, `m${maxFrames + 50}`);
  });

  it("keeps the last timeline it saw when a frame comes without one (the server sends it only when it changed)", async () => {
    const fake = fakeSocket({ "run:start": () => ({ data: { runId: "r1" } }) });
    const store = createRunStore(() => fake.socket);
    store.subscribe(() => {});
    await store.start("version: 1", 30);
    const timeline = [{ at: 1, kind: "fault" as const, target: "svc", detail: "kill svc" }];
    fake.fire("run:frame", frame("r1", 1, { timeline }));
    fake.fire("run:frame", frame("r1", 2));
    assert.deepEqual(store.getSnapshot().frames.at(-1)!.timeline, timeline);
    const later = [...timeline, { at: 3, kind: "replica" as const, target: "svc[0]", detail: "started" }];
    fake.fire("run:frame", frame("r1", 3, { timeline: later }));
    assert.deepEqual(store.getSnapshot().frames.at(-1)!.timeline, later);
  });

  it("shows the server's refusal and stays idle", async () => {
    const fake = fakeSocket({ "run:start": () => ({ error: { code: "INVALID_INPUT", message: "The scenario is not valid", retriable: false } }) });
    const store = createRunStore(() => fake.socket);
    store.subscribe(() => {});
    assert.equal(await store.start("x"), undefined);
    assert.equal(store.getSnapshot().phase, "idle");
    assert.equal(store.getSnapshot().error?.code, "INVALID_INPUT");
  });

  it("watches a run, and resubscribes after a reconnect, taking the server's newer frame", async () => {
    let latest = 10;
    const fake = fakeSocket({ "run:subscribe": ({ runId }) => ({ data: { summary: summary(String(runId)), frame: frame(String(runId), latest), scenario: { name: "s" } } }) });
    const store = createRunStore(() => fake.socket);
    store.subscribe(() => {});
    const watched = await store.watch("r2");
    assert.deepEqual(watched, { scenario: { name: "s" } });
    assert.equal(store.getSnapshot().frames.at(-1)!.at, 10);
    latest = 50;
    fake.fire("connect");
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(fake.sent.filter((s) => s.event === "run:subscribe").map((s) => s.payload), [{ runId: "r2" }, { runId: "r2" }]);
    assert.equal(store.getSnapshot().frames.at(-1)!.at, 50);
  });

  it("forgets everything on reset, stopping a run that is still going", async () => {
    const fake = fakeSocket({ "run:start": () => ({ data: { runId: "r3" } }) });
    const store = createRunStore(() => fake.socket);
    store.subscribe(() => {});
    await store.start("x");
    fake.fire("run:frame", frame("r3", 1));
    store.reset();
    assert.deepEqual(store.getSnapshot(), { phase: "idle", frames: [], events: [] });
    assert.ok(fake.sent.some((s) => s.event === "run:stop" && s.payload.runId === "r3"));
    fake.fire("run:frame", frame("r3", 2));
    assert.equal(store.getSnapshot().frames.length, 0);
  });
});
