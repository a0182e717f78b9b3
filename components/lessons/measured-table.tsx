// The lesson's comparison table: one row per broker, filled from the learner's latest finished run
// of that broker's step (the run history), re-read whenever a run of this lesson finishes.
"use client";
import { useEffect, useState } from "react";
import { getRun, listRuns } from "../../lib/client/runs-call";
import { latestRunPerStep, measuredRow, type ComparisonRow, type MeasuredRow } from "../../lib/lessons/measured-table";

interface Props {
  lessonId: string;
  rows: ComparisonRow[];
  /** Changes when a run of the lesson ends, so the table reads the history again. */
  refreshKey?: string;
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined ? "–" : value.toFixed(digits));

async function readRows(lessonId: string, rows: ComparisonRow[]): Promise<MeasuredRow[] | string> {
  const listed = await listRuns(new URLSearchParams({ lesson: lessonId, origin: "lesson", limit: "200" }));
  if (!listed.ok) return listed.error.message;
  const latest = latestRunPerStep(listed.data.runs, rows.map((r) => r.step));
  return Promise.all(rows.map(async (row) => {
    const summary = latest.get(row.step);
    const run = summary ? await getRun(summary.runId) : undefined;
    return measuredRow(row, run?.ok ? run.data : undefined);
  }));
}

export function MeasuredTable({ lessonId, rows, refreshKey }: Props) {
  const [measured, setMeasured] = useState<MeasuredRow[] | string>();
  useEffect(() => {
    let current = true;
    void readRows(lessonId, rows).then((read) => current && setMeasured(read));
    return () => { current = false; };
  }, [lessonId, rows, refreshKey]);
  const table = typeof measured === "string" ? undefined : measured;
  return (
    <section className="lesson-measured" aria-label="What your runs measured" data-testid="measured-table">
      <h3>What your runs measured</h3>
      <p className="lesson-run__note">Each row is your latest finished run of that broker&apos;s step, read from the run history; a broker you have not run yet shows dashes. Orders/s: orders handled per second from the run&apos;s start until it drained.</p>
      {typeof measured === "string" ? <p role="alert">The run history could not be read: {measured}</p> : null}
      <div className="lesson-measured__scroll">
        <table className="lesson-measured__table">
          <thead>
            <tr><th>Broker</th><th>Orders/s</th><th>p50 ms</th><th>p99 ms</th><th>Consumed</th><th>Lost</th><th>Duplicated</th><th>Redelivered</th></tr>
          </thead>
          <tbody>
            {(table ?? rows).map((row) => {
              const m = row as MeasuredRow;
              return (
                <tr key={row.step} data-step={row.step} data-measured={m.runId ? "yes" : "no"}>
                  <th scope="row">{row.broker}</th>
                  <td>{fixed(m.throughput)}</td>
                  <td>{fixed(m.p50)}</td>
                  <td>{fixed(m.p99)}</td>
                  <td>{m.consumed === undefined ? "–" : `${m.consumed} of ${m.confirmed}`}</td>
                  <td>{m.lost ?? "–"}</td>
                  <td>{m.duplicated ?? "–"}</td>
                  <td>{m.redelivered ?? "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h4>What each broker offers (properties, not measured)</h4>
      <table className="lesson-measured__table lesson-measured__table--words" data-testid="broker-properties">
        <thead>
          <tr><th>Broker</th><th>Replay after the ack</th><th>Order kept</th></tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.step}><th scope="row">{row.broker}</th><td>{row.replay}</td><td>{row.order}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
