"use client";
// Event sourcing: each projection's current state (keys × fields), where it stands in the event
// log per partition, and a replay: wipe the state and rebuild it from offset 0, a chosen offset or
// a time, with its progress.
import { memo, useState } from "react";
import type { FormEvent } from "react";
import type { ProjectionView, ReplayFrom } from "../../lib/run/patterns";
import { count } from "./format";

export type ReplayHandler = (service: string, projection: string, from?: ReplayFrom) => void;

const maxRows = 12;

const rebuilding = (projection: ProjectionView) => Boolean(projection.replay && !projection.replay.done);

// Up to 500 keys arrive in every frame: sort and draw them again only when the state changed.
const StateTable = memo(function StateTable({ projection }: { projection: ProjectionView }) {
  const keys = Object.keys(projection.state).sort();
  const fields = [...new Set(keys.flatMap((key) => Object.keys(projection.state[key]!)))].sort();
  if (keys.length === 0) return <p className="muted">{rebuilding(projection) ? "The state is empty while the replay rebuilds it." : <>The state is empty: events on <code>{projection.topic}</code> fill it as the projection applies them.</>}</p>;
  return (
    <table className="pattern-table" data-testid={`projection-state-${projection.service}/${projection.name}`}>
      <caption>State ({count(projection.keys)} keys{projection.keys > maxRows ? `, first ${maxRows} shown` : ""})</caption>
      <thead><tr><th scope="col">Key</th>{fields.map((f) => <th key={f} scope="col">{f}</th>)}</tr></thead>
      <tbody>
        {keys.slice(0, maxRows).map((key) => (
          <tr key={key}><th scope="row">{key}</th>{fields.map((f) => <td key={f}>{String(projection.state[key]![f] ?? "–")}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}, (before, after) => before.projection.version === after.projection.version && before.projection.keys === after.projection.keys && rebuilding(before.projection) === rebuilding(after.projection));

function ReplayForm({ projection, onReplay }: { projection: ProjectionView; onReplay: ReplayHandler }) {
  const key = `${projection.service}/${projection.name}`;
  const [mode, setMode] = useState<"offset" | "time">("offset");
  const [offset, setOffset] = useState("0");
  const [time, setTime] = useState("");
  const [problem, setProblem] = useState<string>();
  const replay = (from: ReplayFrom) => (setProblem(undefined), onReplay(projection.service, projection.name, from));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === "offset") {
      const value = Number(offset);
      return Number.isInteger(value) && value >= 0 ? replay({ offset: value }) : setProblem("Offset: write a whole number, 0 or more.");
    }
    const at = Date.parse(time);
    return Number.isNaN(at) ? setProblem("Time: choose a date and time.") : replay({ time: at });
  };
  return (
    <form className="pattern-replay" onSubmit={submit} aria-label={`Replay ${key}`}>
      <button type="button" className="button button--small button--primary" aria-label={`Replay ${key} from offset 0`} onClick={() => replay({ offset: 0 })}>
        Replay from offset 0
      </button>
      <span className="muted">or from</span>
      <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} aria-label="Replay from">
        <option value="offset">an offset</option>
        <option value="time">a time</option>
      </select>
      {mode === "offset" ? <input inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} size={8} aria-label="Offset" aria-invalid={Boolean(problem)} /> : null}
      {mode === "time" ? <input type="datetime-local" step={1} value={time} onChange={(e) => setTime(e.target.value)} aria-label="Time" aria-invalid={Boolean(problem)} /> : null}
      <button type="submit" className="button button--small">Wipe and replay</button>
      {problem ? <span className="pattern-error" role="alert">{problem}</span> : <span className="muted">A replay wipes the state and rebuilds it from the log.</span>}
    </form>
  );
}

export function ProjectionsView({ projections, onReplay }: { projections: Record<string, ProjectionView>; onReplay?: ReplayHandler }) {
  return (
    <div className="pattern-view" data-testid="pattern-projections">
      {Object.entries(projections).map(([key, p]) => {
        const replay = p.replay;
        return (
          <section key={key} className="pattern-part" aria-label={`Projection ${key}`}>
            <h4 className="pattern-part__title">{key} <span className="muted">· topic <code>{p.topic}</code></span></h4>
            <table className="pattern-table">
              <caption className="visually-hidden">Projection {key}</caption>
              <thead><tr><th scope="col">Projection</th><th scope="col">Applied</th><th scope="col">Keys</th><th scope="col">Skipped</th><th scope="col">Replayed</th></tr></thead>
              <tbody>
                <tr data-testid={`projection-${key}`}>
                  <th scope="row">{p.name}</th>
                  <td>{count(p.applied)}</td>
                  <td>{count(p.keys)}</td>
                  <td>{count(p.skipped)}</td>
                  <td>{replay && !replay.done ? `${Math.round(replay.progress * 100)} %` : count(p.replayed)}</td>
                </tr>
              </tbody>
            </table>
            <div className="pattern-log" role="group" aria-label="The event log per partition">
              <span className="pattern-log__head muted">Per partition: the next offset to apply / the log's end (high watermark), and its start (low)</span>
              {p.partitions.map((part) => {
                const span = Math.max(1, part.high - part.low);
                const done = Math.min(1, Math.max(0, (part.position - part.low) / span));
                return (
                  <div key={part.partition} className="pattern-log__row">
                    <span className="pattern-log__label">partition {part.partition}</span>
                    <span className="pattern-log__bar" role="progressbar" aria-valuemin={part.low} aria-valuemax={part.high} aria-valuenow={part.position} aria-label={`Partition ${part.partition}: at offset ${part.position} of ${part.low}–${part.high}`}>
                      <span style={{ width: `${done * 100}%` }} />
                    </span>
                    <span className="pattern-log__offsets">{count(part.position)} / {count(part.high)} <span className="muted">(low {count(part.low)})</span></span>
                  </div>
                );
              })}
            </div>
            {replay ? (
              <div className="pattern-replay-status" data-testid={`replay-${key}`} data-done={replay.done}>
                <span>Replay from {replay.from}: {replay.done ? "done" : "rebuilding"} · {count(replay.applied)} events applied</span>
                <progress max={1} value={replay.progress} aria-label={`Replay of ${key}`} />
                <span>{Math.round(replay.progress * 100)} %{replay.finishedAt ? ` in ${((replay.finishedAt - replay.startedAt) / 1000).toFixed(1)} s` : ""}</span>
              </div>
            ) : null}
            {onReplay ? <ReplayForm projection={p} onReplay={onReplay} /> : <p className="muted">Replay is available while the run is on: start a run to wipe the state and rebuild it from the log.</p>}
            <StateTable projection={p} />
          </section>
        );
      })}
    </div>
  );
}
