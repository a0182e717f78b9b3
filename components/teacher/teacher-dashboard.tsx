"use client";
// The teacher's dashboard (/teacher): the class grid, refreshed every 3 s while the tab is visible,
// the predictions, the drill and the CSV export. Asks for the teacher token when the server wants
// one; outside classroom mode it shows this browser's learner (or every learner of the server).
import { useCallback, useEffect, useRef, useState } from "react";
import type { ClassGrid } from "../../lib/classroom/grid";
import { learnerId } from "../../lib/client/lessons-learner";
import { downloadClassCsv, fetchClassGrid, savedTeacherToken, saveTeacherToken, type GridQuery, type ServerMode } from "../../lib/client/teacher-call";
import { useVisibleInterval } from "../../lib/client/use-visible-interval";
import { ClassGridTable, Legend } from "./class-grid-table";
import { DrillForm } from "./drill-form";
import { PredictionsPanel } from "./predictions-panel";
import { TokenForm } from "./token-form";

const refreshMs = 3_000;

export function TeacherDashboard() {
  const [token, setToken] = useState<string>();
  const [needsToken, setNeedsToken] = useState(false);
  const [mode, setMode] = useState<ServerMode>();
  const [everyone, setEveryone] = useState(false);
  const [stuckMinutes, setStuckMinutes] = useState(10);
  const [grid, setGrid] = useState<ClassGrid>();
  const [error, setError] = useState<string>();
  const [exported, setExported] = useState<string>();
  const asking = useRef(false);

  useEffect(() => setToken(savedTeacherToken()), []);

  const query = useCallback((m: ServerMode | undefined): GridQuery => ({ stuckMinutes, ...(m === "lab" && !everyone ? { learner: learnerId() } : {}) }), [stuckMinutes, everyone]);

  const load = useCallback(async () => {
    if (asking.current) return;
    asking.current = true;
    try {
      let answer = await fetchClassGrid(query(mode), token);
      // The first answer says the mode; outside a class, ask again for this browser's learner.
      if (answer.ok && mode === undefined && answer.data.mode === "lab" && !everyone) answer = await fetchClassGrid(query("lab"), token);
      if (!answer.ok) {
        setNeedsToken(answer.status === 401);
        return setError(answer.status === 401 ? undefined : answer.error.message);
      }
      setNeedsToken(false);
      setError(undefined);
      setMode(answer.data.mode);
      setGrid(answer.data.grid);
    } finally {
      asking.current = false;
    }
  }, [query, mode, token, everyone]);

  useEffect(() => void load(), [load]);
  useVisibleInterval(() => void load(), refreshMs);

  function acceptToken(value: string) {
    saveTeacherToken(value);
    setToken(value);
  }

  async function exportCsv() {
    const answer = await downloadClassCsv(query(mode), token);
    if (!answer.ok) return setError(answer.error.message);
    setExported(`Saved ${answer.data.fileName} (${answer.data.bytes} bytes).`);
  }

  const names = new Map(grid?.learners.map((l) => [l.learnerId, l.name]));
  if (needsToken) return <main className="page teacher-page"><TokenForm rejected={token !== undefined} onToken={acceptToken} /></main>;
  return (
    <main className="page teacher-page" data-testid="teacher-page">
      <div className="teacher-head">
        <h2>Teacher&apos;s dashboard</h2>
        <div className="teacher-head__actions">
          <label className="teacher-stuck">Stuck after
            <select value={stuckMinutes} onChange={(e) => setStuckMinutes(Number(e.target.value))} data-testid="stuck-minutes">
              {[5, 10, 15, 20, 30].map((m) => <option key={m} value={m}>{m} min</option>)}
            </select>
          </label>
          <button className="button" type="button" onClick={() => void exportCsv()} disabled={!grid} data-testid="export-csv">Export CSV</button>
        </div>
      </div>
      {mode === "lab" ? (
        <p className="notice teacher-mode" data-testid="lab-mode-notice">
          This server is not in classroom mode, so there is no class and no join code: {everyone ? "these are all the learners whose progress this server keeps." : "this is this browser's own progress."}{" "}
          Start a class with <code>npm run classroom</code>.{" "}
          <label><input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} data-testid="show-everyone" /> Show every learner of this server</label>
        </p>
      ) : null}
      {error ? <p className="teacher-error" role="alert" data-testid="teacher-error">{error}</p> : null}
      {exported ? <p className="muted" role="status">{exported}</p> : null}
      {!grid ? <p className="muted">Loading the class…</p> : grid.learners.length === 0 ? (
        <div className="teacher-card teacher-empty" data-testid="teacher-empty">
          <h3>No learners yet</h3>
          <p>{mode === "classroom" ? "Give them the join code: they open this Brokerlab, type the code and their name at /join, and appear here at once." : everyone ? "Nobody has opened a lesson on this server yet. Open one at /lessons, or start a class with npm run classroom and give learners the join code." : "This browser has not opened a lesson yet: open one at /lessons, or show every learner of this server."}</p>
        </div>
      ) : (
        <section className="teacher-card" aria-labelledby="grid-heading">
          <div className="teacher-card__head">
            <h3 id="grid-heading">{grid.learners.length} learner{grid.learners.length === 1 ? "" : "s"}</h3>
            <Legend />
          </div>
          {grid.lessons.length === 0 ? <p className="muted">No lesson opened yet.</p> : <ClassGridTable grid={grid} />}
          <p className="muted teacher-foot">Updated every {refreshMs / 1000} s while this tab is visible.</p>
        </section>
      )}
      {grid && grid.learners.length > 0 ? <PredictionsPanel grid={grid} /> : null}
      <DrillForm token={token} nameOf={(id) => names.get(id) ?? id} />
    </main>
  );
}
