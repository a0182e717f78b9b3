// The browser's store for the one run the lab shows: start, watch, stop and reset it, keep its
// last frames (bounded) and a bounded tail of message events, and resubscribe after a reconnect so
// a dropped connection resynchronises from the server's latest frame.
import type { ErrorPayload } from "../errors";
import type { AckResponse } from "../events";
import type { MessageEvent } from "../run/ipc";
import type { RunFrame, RunReport, RunStatus } from "../run/model";
import type { RunSummary } from "../run/events";
import type { ReplayFrom } from "../run/patterns";
import type { BrokerlabSocket } from "./socket";

export const maxFrames = 600;
export const maxEvents = 2000;

export interface RunView {
  runId?: string;
  /** starting: waiting for run:start's answer (resources declared, processes spawned). */
  phase: "idle" | "starting" | "watching";
  status?: RunStatus;
  startingSince?: number;
  summary?: RunSummary;
  frames: RunFrame[];
  events: MessageEvent[];
  report?: RunReport;
  error?: ErrorPayload;
}

export interface RunStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): RunView;
  getServerSnapshot(): RunView;
  start(scenario: string, durationSeconds?: number): Promise<string | undefined>;
  /** Follows an existing run; answers with the run's scenario (as the server validated it). */
  watch(runId: string): Promise<{ scenario: unknown } | undefined>;
  stop(): Promise<void>;
  reset(): void;
  send(payload: { service: string; producer: string; count: number; payload?: unknown }): Promise<AckResponse<{ sent: number }>>;
  /** Wipes a projection's state and replays its event log (from offset 0 unless told). */
  replay(payload: { service: string; projection: string; from?: ReplayFrom }): Promise<AckResponse<{ replaying: number }>>;
  clearError(): void;
}

const initialView: RunView = { phase: "idle", frames: [], events: [] };
const startTimeoutMs = 120_000;
const commandTimeoutMs = 20_000;
const noAnswer = (what: string): ErrorPayload => ({ code: "INTERNAL", message: `The server did not answer ${what} in time.`, retriable: true });

/** socket.io's timeout emitter, seen without the per-event typing (the contract types each call below). */
type TimedEmitter = { emit(event: string, payload: unknown, callback: (timeout: Error | null, response?: unknown) => void): void };

export function createRunStore(getSocket: () => BrokerlabSocket): RunStore {
  let view = initialView;
  let socket: BrokerlabSocket | undefined;
  /** Frames that arrive between run:start and its answer, before the run's id is known. */
  let early: RunFrame[] = [];
  /** Bumped by every start, watch and reset, so a late answer for an abandoned run is ignored. */
  let generation = 0;
  const listeners = new Set<() => void>();

  function update(change: Partial<RunView>): void {
    view = { ...view, ...change };
    for (const listener of listeners) listener();
  }

  function addFrame(incoming: RunFrame): void {
    // A frame carries the timeline only when it changed: keep the last one seen.
    const previous = view.frames[view.frames.length - 1];
    const frame = incoming.timeline || !previous?.timeline ? incoming : { ...incoming, timeline: previous.timeline };
    const frames = view.frames.length >= maxFrames ? [...view.frames.slice(-(maxFrames - 1)), frame] : [...view.frames, frame];
    const events = frame.tail.length === 0 ? view.events : [...view.events, ...frame.tail].slice(-maxEvents);
    update({ frames, events, status: frame.status });
  }

  function emit<T>(event: string, payload: unknown, timeoutMs: number): Promise<AckResponse<T>> {
    return new Promise((resolve) => {
      const timed = connect().timeout(timeoutMs) as unknown as TimedEmitter;
      timed.emit(event, payload, (timeout, response) => resolve(timeout || !response ? { error: noAnswer(event) } : (response as AckResponse<T>)));
    });
  }

  async function resubscribe(runId: string): Promise<{ scenario: unknown } | undefined> {
    const response = await emit<{ summary: RunSummary; frame: RunFrame; scenario: unknown }>("run:subscribe", { runId }, commandTimeoutMs);
    if (view.runId !== runId) return undefined;
    if ("error" in response) {
      update({ error: response.error });
      return undefined;
    }
    const { summary, frame, scenario } = response.data;
    // The answer's frame is the server's latest: it replaces whatever this tab missed.
    const last = view.frames[view.frames.length - 1];
    if (!last || last.at < frame.at) addFrame({ ...frame, tail: [] });
    update({ summary, status: summary.status, phase: "watching" });
    return { scenario };
  }

  function connect(): BrokerlabSocket {
    if (socket) return socket;
    socket = getSocket();
    socket.on("connect", () => {
      if (view.runId && view.phase === "watching") void resubscribe(view.runId);
    });
    socket.on("run:frame", (frame) => {
      if (frame.runId === view.runId) addFrame(frame);
      else if (view.phase === "starting" && !view.runId) early = [...early.slice(-20), frame];
    });
    socket.on("run:status", ({ runId, status }) => {
      if (runId === view.runId) update({ status });
    });
    socket.on("run:report", (report) => {
      if (report.runId === view.runId) update({ report, status: report.status });
    });
    return socket;
  }

  function leave(runId: string | undefined): void {
    if (runId) void emit("run:unsubscribe", { runId }, commandTimeoutMs);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => listeners.delete(listener);
    },
    getSnapshot: () => view,
    getServerSnapshot: () => initialView,

    async start(scenario, durationSeconds) {
      if (view.phase === "starting") return undefined;
      leave(view.runId);
      early = [];
      const mine = ++generation;
      view = { ...initialView, phase: "starting", startingSince: Date.now() };
      update({});
      const response = await emit<{ runId: string }>("run:start", { scenario, ...(durationSeconds ? { durationSeconds } : {}) }, startTimeoutMs);
      if (mine !== generation) {
        // Reset while starting: the run exists now, so stop it rather than leave it running unseen.
        if ("data" in response) void emit("run:stop", { runId: response.data.runId }, startTimeoutMs);
        return undefined;
      }
      if ("error" in response) {
        update({ phase: "idle", startingSince: undefined, error: response.error });
        return undefined;
      }
      const { runId } = response.data;
      const buffered = early.filter((f) => f.runId === runId);
      early = [];
      update({ runId, phase: "watching", startingSince: undefined, status: "running" });
      for (const frame of buffered) addFrame(frame);
      return runId;
    },

    async watch(runId) {
      if (view.runId === runId && view.phase !== "idle") return undefined;
      leave(view.runId);
      generation += 1;
      view = { ...initialView, runId, phase: "watching" };
      update({});
      return resubscribe(runId);
    },

    async stop() {
      const runId = view.runId;
      if (!runId) return;
      update({ status: "stopping" });
      const response = await emit<RunReport>("run:stop", { runId }, startTimeoutMs);
      if (view.runId !== runId) return;
      if ("error" in response) update({ error: response.error });
      else update({ report: response.data, status: response.data.status });
    },

    reset() {
      const { runId, status } = view;
      if (runId && (status === "running" || status === "starting")) void emit("run:stop", { runId }, startTimeoutMs);
      leave(runId);
      early = [];
      generation += 1;
      view = initialView;
      update({});
    },

    send(payload) {
      if (!view.runId) return Promise.resolve({ error: { code: "CONFLICT", message: "Start a run first.", retriable: false } });
      return emit<{ sent: number }>("run:send", { runId: view.runId, ...payload }, commandTimeoutMs);
    },

    replay(payload) {
      if (!view.runId) return Promise.resolve({ error: { code: "CONFLICT", message: "Start a run first.", retriable: false } });
      return emit<{ replaying: number }>("run:replay", { runId: view.runId, ...payload }, commandTimeoutMs);
    },

    clearError() {
      update({ error: undefined });
    },
  };
}
