// The lesson page's run: start a scenario, follow its frames, stop it, and kill or start a service
// replica, over the run commands of the socket contract. One store per page; React reads it with useLessonRun.
import { useSyncExternalStore } from "react";
import type { ErrorPayload } from "../errors";
import type { RunFrame, RunReport, RunStatus } from "../run/model";
import type { ReplayFrom } from "../run/patterns";
import { nameSuffixPattern, newNameSuffix } from "../scenario/isolate";
import { call } from "./lessons-call";
import { getSocket, type BrokerlabSocket } from "./socket";

export interface LessonRunView {
  runId?: string;
  status?: RunStatus;
  frame?: RunFrame;
  report?: RunReport;
  /** run:start is on its way: resources are being declared and processes started. */
  starting: boolean;
  error?: ErrorPayload;
}

export type StartOutcome = { runId: string } | { error: ErrorPayload };

const initial: LessonRunView = { starting: false };
const suffixKey = "brokerlab.lesson-run-names";

/** This tab's suffix for its lesson runs' names: kept across reloads (sessionStorage); another tab gets its own. */
function tabNameSuffix(): string {
  try {
    const saved = window.sessionStorage.getItem(suffixKey);
    if (saved && nameSuffixPattern.test(saved)) return saved;
    const fresh = newNameSuffix();
    window.sessionStorage.setItem(suffixKey, fresh);
    return fresh;
  } catch {
    return newNameSuffix();
  }
}

export function createLessonRunStore(socketOf: () => BrokerlabSocket = getSocket) {
  let view = initial;
  let socket: BrokerlabSocket | undefined;
  const listeners = new Set<() => void>();

  const update = (change: Partial<LessonRunView>) => {
    view = { ...view, ...change };
    for (const listener of listeners) listener();
  };

  function connect() {
    if (socket) return;
    socket = socketOf();
    socket.on("run:frame", (frame) => {
      if (frame.runId === view.runId) update({ frame, status: frame.status });
    });
    socket.on("run:status", ({ runId, status }) => {
      if (runId === view.runId) update({ status });
    });
    socket.on("run:report", (report) => {
      if (report.runId === view.runId) update({ report, status: report.status });
    });
    // After a reconnect the server no longer has this socket in the run's room.
    socket.on("connect", () => {
      if (view.runId && socket?.recovered !== true) void follow(view.runId);
    });
  }

  async function follow(runId: string): Promise<boolean> {
    connect();
    if (view.runId !== runId) update({ runId, frame: undefined, report: undefined, status: undefined, error: undefined });
    const answer = await call("run:subscribe", { runId });
    if ("error" in answer) {
      if (view.runId === runId) update({ runId: undefined, status: undefined });
      return false;
    }
    if (view.runId === runId) update({ frame: answer.data.frame, status: answer.data.summary.status });
    return true;
  }

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      connect();
      return () => void listeners.delete(listener);
    },
    getSnapshot: () => view,
    getServerSnapshot: () => initial,
    follow,
    async start(scenario: string, durationSeconds?: number, lesson?: { lessonId: string; stepId: string }): Promise<StartOutcome> {
      connect();
      update({ starting: true, error: undefined });
      // Names of its own (order_queue-k3f9): two learners, or two tabs, running one lesson never share a queue.
      const answer = await call("run:start", { scenario, ownNames: tabNameSuffix(), ...(durationSeconds ? { durationSeconds } : {}), ...(lesson ? { lesson } : {}) });
      if ("error" in answer) {
        update({ starting: false, error: answer.error });
        return { error: answer.error };
      }
      update({ starting: false, runId: answer.data.runId, frame: undefined, report: undefined, status: "running" });
      void follow(answer.data.runId);
      return { runId: answer.data.runId };
    },
    async stop(): Promise<void> {
      if (!view.runId) return;
      const answer = await call("run:stop", { runId: view.runId });
      if ("error" in answer) update({ error: answer.error });
      else update({ report: answer.data, status: answer.data.status });
    },
    async fault(action: "kill" | "start", service: string, replica?: number): Promise<void> {
      if (!view.runId) return;
      const answer = await call("run:fault", { runId: view.runId, action, service, ...(replica === undefined ? {} : { replica }) });
      if ("error" in answer) update({ error: answer.error });
    },
    /** Wipes a projection's state and replays its event log (from offset 0 unless told). */
    async replay(service: string, projection: string, from?: ReplayFrom): Promise<void> {
      if (!view.runId) return;
      const answer = await call("run:replay", { runId: view.runId, service, projection, ...(from ? { from } : {}) });
      if ("error" in answer) update({ error: answer.error });
    },
    clearError: () => update({ error: undefined }),
  };
}

export type LessonRunStore = ReturnType<typeof createLessonRunStore>;

export function useLessonRun(store: LessonRunStore): LessonRunView {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
}
