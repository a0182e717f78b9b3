// Replay and comparison of recorded runs (issue 17): which recorded frame stands for a moment, the
// message events seen up to it, the faults to mark on a scrubber, how two runs line up on one time
// axis, and how their ledgers and percentiles differ. Pure, so the pages and the tests share it.
import type { MessageEvent } from "../run/ipc";
import type { Ledger, RunFrame, RunReport, TimelineEntry } from "../run/model";

/** The index of the last frame at or before `elapsedMs` (0 before the first; -1 with no frames). */
export function frameIndexAt(frames: readonly RunFrame[], elapsedMs: number): number {
  if (frames.length === 0) return -1;
  let low = 0;
  let high = frames.length - 1;
  // Binary search: recordings of long runs hold thousands of frames and the scrubber moves often.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (frames[middle]!.elapsedMs <= elapsedMs) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The message events recorded up to frame `index`, newest last, at most `max` of them. */
export function eventsUntil(frames: readonly RunFrame[], index: number, max = 2000): MessageEvent[] {
  const events: MessageEvent[] = [];
  for (let i = index; i >= 0 && events.length < max; i -= 1) events.unshift(...frames[i]!.tail);
  return events.slice(-max);
}

/** Frames carry the timeline only when it changed: the frame at `index` with the last one seen. */
export function frameWithTimeline(frames: readonly RunFrame[], index: number): RunFrame | undefined {
  const frame = frames[index];
  if (!frame || frame.timeline) return frame;
  for (let i = index - 1; i >= 0; i -= 1) {
    const timeline = frames[i]!.timeline;
    if (timeline) return { ...frame, timeline };
  }
  return frame;
}

/** The wall-clock moment a recording's elapsed time counts from. */
export function runStartAt(frames: readonly RunFrame[]): number | undefined {
  const first = frames[0];
  return first ? first.at - first.elapsedMs : undefined;
}

export interface FaultMark {
  elapsedMs: number;
  kind: TimelineEntry["kind"];
  label: string;
}

/** The report's timeline as marks on the scrubber, in elapsed milliseconds, inside [0, duration]. */
export function faultMarks(timeline: readonly TimelineEntry[] | undefined, startAt: number | undefined, durationMs: number): FaultMark[] {
  if (!timeline || startAt === undefined) return [];
  return timeline
    .filter((entry) => entry.kind === "fault" || entry.kind === "fault-ended" || entry.kind === "broker")
    .map((entry) => ({ elapsedMs: Math.min(Math.max(entry.at - startAt, 0), durationMs), kind: entry.kind, label: `${entry.target}: ${entry.detail}` }));
}

/** Playback speeds the replay offers. */
export const playSpeeds = [1, 4, 16] as const;
export type PlaySpeed = (typeof playSpeeds)[number];

/** Where playback is after `realMs` of wall time at `speed`, stopping at the end. */
export function advance(elapsedMs: number, realMs: number, speed: PlaySpeed, durationMs: number): number {
  return Math.min(elapsedMs + realMs * speed, durationMs);
}

/** What two runs are aligned on: their starts, or the first fault of each. */
export type Alignment = "start" | "fault";

/** Milliseconds to subtract from a run's elapsed time so the chosen moment sits at 0. */
export function alignmentOffset(marks: readonly FaultMark[], alignment: Alignment): number {
  if (alignment === "start") return 0;
  return marks.find((mark) => mark.kind === "fault")?.elapsedMs ?? 0;
}

/** Two series on one x axis: the union of both runs' times, each run's values where it has one. */
export function overlay(a: { x: number[]; y: (number | null)[] }, b: { x: number[]; y: (number | null)[] }): { x: number[]; a: (number | null)[]; b: (number | null)[] } {
  const points = new Map<number, { a: number | null; b: number | null }>();
  a.x.forEach((x, i) => points.set(x, { a: a.y[i] ?? null, b: points.get(x)?.b ?? null }));
  b.x.forEach((x, i) => points.set(x, { a: points.get(x)?.a ?? null, b: b.y[i] ?? null }));
  const x = [...points.keys()].sort((p, q) => p - q);
  return { x, a: x.map((t) => points.get(t)!.a), b: x.map((t) => points.get(t)!.b) };
}

export interface Difference {
  key: string;
  a: number | undefined;
  b: number | undefined;
  /** b − a, when both are known. */
  delta: number | undefined;
}

const differ = (key: string, a: number | undefined, b: number | undefined): Difference => ({ key, a, b, delta: a === undefined || b === undefined ? undefined : b - a });

const ledgerKeys = ["confirmed", "consumed", "lost", "duplicated", "recovered"] as const;

/** The two ledgers row by row, with B − A. */
export function ledgerDiff(a: Ledger | undefined, b: Ledger | undefined): Difference[] {
  return ledgerKeys.map((key) => differ(key, a?.[key], b?.[key]));
}

/** End-to-end percentiles of the two reports, with B − A. */
export function percentileDiff(a: RunReport | undefined, b: RunReport | undefined): Difference[] {
  return (["p50", "p90", "p99", "max"] as const).map((key) => differ(key, a?.latencyMs[key], b?.latencyMs[key]));
}
