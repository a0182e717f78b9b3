"use client";
// The drill: pick a fault and the service it hits, confirm, and it reaches every learner's running
// run at once; the answer lists the runs it reached and those it skipped, with why.
import { useState } from "react";
import type { DrillResult } from "../../lib/classroom/drill";
import { runDrill } from "../../lib/client/teacher-call";

const kinds = [
  { kind: "kill", label: "Kill the service's processes", lasting: true, ms: false },
  { kind: "pause", label: "Pause them (SIGSTOP)", lasting: true, ms: false },
  { kind: "resume", label: "Resume paused processes", lasting: false, ms: false },
  { kind: "start", label: "Start killed processes again", lasting: false, ms: false },
  { kind: "restart", label: "Restart them", lasting: false, ms: false },
  { kind: "slow", label: "Slow each message by", lasting: true, ms: true },
  { kind: "latency", label: "Add network latency of", lasting: true, ms: true },
  { kind: "cut", label: "Cut the link to the broker", lasting: true, ms: false },
] as const;

type Kind = (typeof kinds)[number]["kind"];

export function DrillForm({ token, nameOf }: { token: string | undefined; nameOf: (learnerId: string) => string }) {
  const [kind, setKind] = useState<Kind>("kill");
  const [service, setService] = useState("");
  const [ms, setMs] = useState("500");
  const [seconds, setSeconds] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<DrillResult>();
  const chosen = kinds.find((k) => k.kind === kind)!;

  const fault = (): Record<string, string | number> => ({
    kind,
    service: service.trim(),
    ...(chosen.ms ? { ms: Number(ms) } : {}),
    ...(chosen.lasting && seconds.trim() !== "" ? { forMs: Number(seconds) * 1000 } : {}),
  });

  async function apply() {
    setBusy(true);
    setError(undefined);
    const answer = await runDrill(fault(), token);
    setBusy(false);
    setConfirming(false);
    if (!answer.ok) return setError(answer.error.message);
    setResult(answer.data);
  }

  const who = (run: { runId: string; learnerId?: string; scenario: string }) => `${run.learnerId ? `${nameOf(run.learnerId)}: ` : ""}${run.scenario} (${run.runId})`;
  return (
    <section className="teacher-card" aria-labelledby="drill-heading" data-testid="drill">
      <h3 id="drill-heading">Drill</h3>
      <p className="muted">One fault on every running run that has the service, at once: the whole class sees the same failure and what their design does with it.</p>
      <form className="drill-form" onSubmit={(event) => { event.preventDefault(); setConfirming(true); setResult(undefined); setError(undefined); }}>
        <label>Fault
          <select value={kind} onChange={(e) => { setKind(e.target.value as Kind); setConfirming(false); }} data-testid="drill-kind">
            {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
          </select>
        </label>
        {chosen.ms ? (
          <label>Milliseconds
            <input type="number" min={1} max={60000} required value={ms} onChange={(e) => setMs(e.target.value)} />
          </label>
        ) : null}
        <label>Service
          <input required pattern="[a-z0-9][a-z0-9-]*" placeholder="e.g. worker" value={service} onChange={(e) => { setService(e.target.value); setConfirming(false); }} data-testid="drill-service" />
        </label>
        {chosen.lasting ? (
          <label>For seconds (optional)
            <input type="number" min={1} max={3600} value={seconds} onChange={(e) => setSeconds(e.target.value)} placeholder="until ended" />
          </label>
        ) : null}
        <button className="button" type="submit" disabled={busy}>Drill…</button>
      </form>
      {confirming ? (
        <div className="drill-confirm" role="alertdialog" aria-labelledby="drill-confirm-text">
          <p id="drill-confirm-text"><strong>{chosen.label}{chosen.ms ? ` ${ms} ms` : ""}</strong> on <code>{service.trim()}</code> in every learner&apos;s running run{chosen.lasting && seconds ? ` for ${seconds} s` : ""}?</p>
          <button className="button drill-confirm__go" type="button" onClick={() => void apply()} disabled={busy} data-testid="drill-confirm">{busy ? "Applying…" : "Yes, run the drill"}</button>
          <button className="button" type="button" onClick={() => setConfirming(false)} disabled={busy}>Cancel</button>
        </div>
      ) : null}
      {error ? <p className="teacher-error" role="alert" data-testid="drill-error">{error}</p> : null}
      {result ? (
        <div className="drill-result" data-testid="drill-result" role="status">
          <p><strong>{result.fault}</strong>: reached {result.reached.length} run{result.reached.length === 1 ? "" : "s"}, skipped {result.skipped.length}.</p>
          {result.reached.length + result.skipped.length === 0 ? <p className="muted">No run is active right now.</p> : null}
          <ul>
            {result.reached.map((r) => <li key={r.runId}>✓ {who(r)}: applied ({r.affected} affected)</li>)}
            {result.skipped.map((r) => <li key={r.runId}>– {who(r)}: skipped, {r.why}</li>)}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
