"use client";
// Two recorded runs side by side (/runs/compare?a=&b=): throughput and latency of both on one time
// axis, aligned at their starts or at each run's first fault, their ledgers and end-to-end
// percentiles with B − A, their flight-recorder timelines on the same axis, the same message's
// flight recorder in both (compare-flights.tsx), and their traces, so
// "what changed when we killed the consumer?" reads off one page.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { loadRecording } from "../../lib/client/runs-call";
import type { RunFrame } from "../../lib/run/model";
import { alignedTimeline } from "../../lib/runs/aligned-timeline";
import type { StoredRun } from "../../lib/runs/history";
import { alignmentOffset, faultMarks, ledgerDiff, overlay, percentileDiff, runStartAt } from "../../lib/runs/replay";
import type { Alignment } from "../../lib/runs/replay";
import { latencyData, throughputData } from "../run/chart-data";
import type { ChartData } from "../run/chart-data";
import { durationText } from "../run/event-kinds";
import { UplotChart } from "../run/uplot-chart";
import { TraceTimeline } from "../run/trace-timeline";
import { CompareFlights } from "./compare-flights";
import { CompareTimeline } from "./compare-timeline";
import { CompareTraces } from "./compare-traces";
import { DiffTable } from "./diff-table";

type Recording = { run: StoredRun; frames: RunFrame[] };
const styles = [{ color: "#4f6bed" }, { color: "#c0262d", dash: [6, 4] }];
const rate = (value: number) => value.toFixed(value >= 10 ? 0 : 1);

const durationOf = (recording: Recording) => recording.frames[recording.frames.length - 1]?.elapsedMs ?? 0;

function offsetOf(recording: Recording, alignment: Alignment): number {
  return alignmentOffset(faultMarks(recording.run.report?.timeline, runStartAt(recording.frames), durationOf(recording)), alignment);
}

/** A run's timeline entries for the aligned lanes, and where the run ends on their axis. */
const timelineSide = (recording: Recording, alignment: Alignment) => ({ timeline: recording.run.report?.timeline, startAt: runStartAt(recording.frames), offsetMs: offsetOf(recording, alignment) });
const endOf = (recording: Recording, alignment: Alignment) => durationOf(recording) - offsetOf(recording, alignment);

/** One series of each run, shifted by its alignment, on a shared x axis in seconds. */
function overlaid(a: Recording, b: Recording, alignment: Alignment, pick: (frames: RunFrame[]) => ChartData, column: number, label: string): ChartData {
  const side = (r: Recording) => {
    const data = pick(r.frames);
    const offset = offsetOf(r, alignment) / 1000;
    return { x: data.x.map((x) => x - offset), y: data.columns[column] ?? [] };
  };
  const both = overlay(side(a), side(b));
  return { labels: [`A ${label}`, `B ${label}`], x: both.x, columns: [both.a, both.b] };
}

function RunHeading({ side, recording }: { side: "A" | "B"; recording: Recording }) {
  const { run } = recording;
  return (
    <div data-testid={`compare-run-${side}`}>
      <h3>{side}: <Link href={`/runs/${encodeURIComponent(run.runId)}`}>{run.title ?? run.scenario}</Link></h3>
      <p className="muted">{run.brokers.join(", ")} · {new Date(run.startedAt).toLocaleString()} · {run.durationMs === undefined ? run.status : durationText(run.durationMs)}</p>
    </div>
  );
}

export function RunCompare({ a, b }: { a: string; b: string }) {
  const [recordings, setRecordings] = useState<[Recording, Recording]>();
  const [error, setError] = useState<string>();
  const [alignment, setAlignment] = useState<Alignment>("start");
  const [traceId, setTraceId] = useState<string>();

  useEffect(() => {
    void Promise.all([loadRecording(a), loadRecording(b)]).then(([left, right]) => {
      if (!left.ok) return setError(`Run A (${a}): ${left.error.message}`);
      if (!right.ok) return setError(`Run B (${b}): ${right.error.message}`);
      setRecordings([left.data, right.data]);
    });
  }, [a, b]);

  const charts = useMemo(() => {
    if (!recordings) return undefined;
    const [left, right] = recordings;
    return {
      throughput: overlaid(left, right, alignment, throughputData, 1, "consumed/s"),
      latency: overlaid(left, right, alignment, (frames) => latencyData(frames, "all"), 0, "end to end p50"),
      timeline: alignedTimeline(timelineSide(left, alignment), timelineSide(right, alignment)),
      ends: [endOf(left, alignment), endOf(right, alignment)] as [number, number],
    };
  }, [recordings, alignment]);

  if (error) return <main className="page runs-page"><p className="runs-error" role="alert" data-testid="compare-error">{error} <Link href="/runs">Back to the run history</Link></p></main>;
  if (!recordings || !charts) return <main className="page runs-page"><p className="muted">Loading both recordings…</p></main>;
  const [left, right] = recordings;
  return (
    <main className="page runs-page" data-testid="compare-page">
      <h2 className="runs-page__title">Compare two runs</h2>
      <div className="compare-grid">
        <RunHeading side="A" recording={left} />
        <RunHeading side="B" recording={right} />
      </div>
      <label className="runs-form__field compare-align">
        Line the runs up at
        <select value={alignment} onChange={(e) => setAlignment(e.target.value as Alignment)} data-testid="compare-align">
          <option value="start">their starts</option>
          <option value="fault">each run's first fault (0 s is the fault)</option>
        </select>
      </label>
      <p className="muted compare-legend">
        <span className="run-chart__swatch" style={{ background: styles[0]!.color }} aria-hidden="true" /> A, solid ·{" "}
        <span className="run-chart__swatch" style={{ background: styles[1]!.color }} aria-hidden="true" /> B, dashed
      </p>
      <div className="compare-grid">
        <article className="run-chart">
          <h3 className="run-heading">Consumed per second</h3>
          <UplotChart data={charts.throughput} styles={styles} format={rate} label="Consumed per second over time, run A and run B" />
        </article>
        <article className="run-chart">
          <h3 className="run-heading">End-to-end latency p50</h3>
          <UplotChart data={charts.latency} styles={styles} format={durationText} label="End-to-end latency p50 over time, run A and run B" />
        </article>
      </div>
      <div className="compare-grid">
        <DiffTable caption="Ledger" rows={ledgerDiff(left.run.report?.ledger ?? left.run.ledger, right.run.report?.ledger ?? right.run.ledger)} format={String} worseWhenHigher={["lost", "duplicated"]} testId="compare-ledger" />
        <DiffTable caption="End-to-end latency" rows={percentileDiff(left.run.report, right.run.report)} format={durationText} worseWhenHigher={["p50", "p90", "p99", "max"]} testId="compare-percentiles" />
      </div>
      <CompareTimeline entries={charts.timeline} ends={charts.ends} aligned={alignment} />
      <CompareFlights a={{ runId: left.run.runId, frames: left.frames }} b={{ runId: right.run.runId, frames: right.frames }} onOpenTrace={setTraceId} />
      {traceId ? <TraceTimeline traceId={traceId} /> : null}
      <CompareTraces a={left.run} b={right.run} />
    </main>
  );
}
