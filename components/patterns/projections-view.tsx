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
  const [mode, setMode] = useState<"start" | "offset" | "time">("start");
  const [offset, setOffset] = useState("0");
  const [time, setTime] = useState("");
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === "start") return onReplay(projection.service, projection.name, { offset: 0 });
    if (mode === "offset") {
      const value = Number(offset);
      if (!Number.isInteger(value) || value < 0) return setProblem("Offset: write a whole number, 0 or more.");
      setProblem(undefined);
      return onReplay(projection.service, projection.name, { offset: value });
    }
    const at = Date.parse(time);
    if (Number.isNaN(at)) return setProblem("Time: choose a date and time.");
    setProblem(undefined);
    onReplay(projection.service, projection.name, { time: at });
  };
  return (
    <form className="pattern-replay" onSubmit={submit} aria-label={`Replay ${key}`}>
      <label>
        Replay from{" "}
        <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          <option value="start">offset 0</option>
          <option value="offset">an offset…</option>
          <option value="time">a time…</option>
        </select>
      </label>
      {mode === "offset" ? <label>Offset <input inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} size={8} aria-invalid={Boolean(problem)} /></label> : null}
      {mode === "time" ? <label>Time <input type="datetime-local" step={1} value={time} onChange={(e) => setTime(e.target.value)} aria-invalid={Boolean(problem)} /></label> : null}
      <button type="submit" className="button button--small">Wipe and replay</button>
      {problem ? <span className="pattern-error" role="alert">{problem}</span> : null}
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
              <thead><tr><th scope="col">Projection</th><th scope="col">Applied</th><th scope="col">Keys</th><th scope="col">Skipped</th><th scope="col">Replayed</th><th scope="col" aria-label="Replay" /></tr></thead>
              <tbody>
                <tr data-testid={`projection-${key}`}>
                  <th scope="row">{p.name}</th>
                  <td>{count(p.applied)}</td>
                  <td>{count(p.keys)}</td>
                  <td>{count(p.skipped)}</td>
                  <td>{replay && !replay.done ? `${Math.round(replay.progress * 100)} %` : count(p.replayed)}</td>
                  <td>
                    {onReplay ? (
                      <button type="button" className="button button--small" aria-label={`Replay ${key} from offset 0`} onClick={() => onReplay(p.service, p.name, { offset: 0 })}>
                        Replay from 0
                      </button>
                    ) : null}
                  </td>
                </tr>
              </tbody>
            </table>
            <div className="pattern-log" aria-label="The event log per partition">
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
