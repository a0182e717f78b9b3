// Two runs' flight-recorder timelines (faults, kills and restarts, connections, broker outages,
// errors) on one time axis: each entry's moment from its run's start, shifted by the same
// alignment as the comparison's charts, so "B's consumer died 3 s after the fault" reads in place.
import type { TimelineEntry, TimelineKind } from "../run/model";

export interface TimelineSide {
  timeline: readonly TimelineEntry[] | undefined;
  /** The wall-clock moment the run's elapsed time counts from; no moment, no entries. */
  startAt: number | undefined;
  /** Milliseconds subtracted so the chosen moment (start or first fault) sits at 0. */
  offsetMs: number;
}

export interface AlignedEntry {
  /** Milliseconds from the alignment moment (negative before it). */
  atMs: number;
  side: "A" | "B";
  kind: TimelineKind;
  target: string;
  detail: string;
}

/** The most entries shown; a run of a thousand reconnects is summed up by its first ones. */
export const maxAlignedEntries = 300;

function sideEntries(side: TimelineSide, name: "A" | "B"): AlignedEntry[] {
  const { timeline, startAt, offsetMs } = side;
  if (!timeline || startAt === undefined) return [];
  return timeline.map((entry) => ({ atMs: entry.at - startAt - offsetMs, side: name, kind: entry.kind, target: entry.target, detail: entry.detail }));
}

/** Both timelines merged in time order (A before B at the same moment), at most `max` entries. */
export function alignedTimeline(a: TimelineSide, b: TimelineSide, max = maxAlignedEntries): AlignedEntry[] {
  return [...sideEntries(a, "A"), ...sideEntries(b, "B")]
    .sort((x, y) => x.atMs - y.atMs || x.side.localeCompare(y.side))
    .slice(0, max);
}

/** The time span both lanes are drawn over, from the earliest entry (or 0) to the latest end. */
export function timelineSpan(entries: readonly AlignedEntry[], ends: readonly number[]): { from: number; to: number } {
  const from = Math.min(0, ...entries.map((e) => e.atMs));
  const to = Math.max(from + 1, ...ends, ...entries.map((e) => e.atMs));
  return { from, to };
}
