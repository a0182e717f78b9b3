"use client";
// One recorded run in the history: its title (renamed inline), where it came from, its brokers,
// when it started and for how long, its outcome badges; pin, delete (after a confirm), and a
// checkbox to pick it for the comparison.
import Link from "next/link";
import { useState } from "react";
import { deleteRun, editRun } from "../../lib/client/runs-call";
import type { StoredRunSummary } from "../../lib/runs/history";
import { durationText } from "../run/event-kinds";

const outcomeLabels = { lost: "lost", duplicates: "duplicates", errors: "errors" } as const;

function originText(run: StoredRunSummary): string {
  if (run.origin !== "lesson") return run.origin;
  return run.lessonId ? `lesson ${run.lessonId}${run.stepId ? ` · ${run.stepId}` : ""}` : "lesson";
}

export function RunRow(props: { run: StoredRunSummary; picked: boolean; onPick(): void; onChanged(): void; onError(message: string): void }) {
  const { run } = props;
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(run.title ?? run.scenario);
  const name = run.title ?? run.scenario;

  async function act(change: Promise<{ ok: boolean; error?: { message: string } }>) {
    const answer = await change;
    if (!answer.ok) props.onError(answer.error?.message ?? "The change was refused.");
    props.onChanged();
  }
  const rename = () => {
    setRenaming(false);
    if (draft.trim() && draft.trim() !== name) void act(editRun(run.runId, { title: draft }));
  };
  const remove = () => {
    if (window.confirm(`Delete the run "${name}" from the history? Its recording cannot be brought back.`)) void act(deleteRun(run.runId));
  };

  return (
    <tr data-testid="run-row" data-run={run.runId} className={props.picked ? "is-picked" : undefined}>
      <td><input type="checkbox" checked={props.picked} onChange={props.onPick} aria-label={`Pick ${name} to compare`} data-testid="pick-run" /></td>
      <td className="runs-table__name">
        {renaming ? (
          <form onSubmit={(e) => (e.preventDefault(), rename())}>
            <input autoFocus value={draft} maxLength={120} onChange={(e) => setDraft(e.target.value)} onBlur={rename}
              onKeyDown={(e) => {
              if (e.key !== "Escape") return;
              setDraft(name);
              setRenaming(false);
            }} aria-label="New title" data-testid="rename-input" />
          </form>
        ) : (
          <>
            {run.pinned ? <span className="runs-pin" title="Pinned: kept when old runs are pruned">📌 </span> : null}
            <Link href={`/runs/${encodeURIComponent(run.runId)}`} data-testid="open-run">{name}</Link>
            {run.title ? <span className="muted"> · {run.scenario}</span> : null}
          </>
        )}
      </td>
      <td>{originText(run)}</td>
      <td>{run.brokers.join(", ")}</td>
      <td>{new Date(run.startedAt).toLocaleString()}</td>
      <td>{run.durationMs === undefined ? run.status : durationText(run.durationMs)}</td>
      <td data-testid="run-outcomes">
        {run.outcomes.length === 0 && run.durationMs !== undefined ? <span className="runs-badge runs-badge--clean">clean</span> : null}
        {run.outcomes.map((o) => <span key={o} className={`runs-badge runs-badge--${o}`}>{outcomeLabels[o]}{o === "lost" && run.ledger ? ` ${run.ledger.lost}` : ""}</span>)}
      </td>
      <td className="runs-table__actions">
        <button type="button" className="button button--small" onClick={() => (setDraft(name), setRenaming(true))} data-testid="rename-run">Rename</button>
        <button type="button" className="button button--small" aria-pressed={run.pinned} onClick={() => void act(editRun(run.runId, { pinned: !run.pinned }))} data-testid="pin-run">
          {run.pinned ? "Unpin" : "Pin"}
        </button>
        <button type="button" className="button button--small" onClick={remove} data-testid="delete-run">Delete</button>
      </td>
    </tr>
  );
}
