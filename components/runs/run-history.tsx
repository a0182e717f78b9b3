"use client";
// The run history (/runs): every recorded run matching the filters in the address, pinned first,
// the store's size and how many old runs were pruned to stay under it, and two picked runs opened
// side by side.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { listRuns } from "../../lib/client/runs-call";
import type { RunStoreUsage } from "../../lib/client/runs-call";
import type { StoredRunSummary } from "../../lib/runs/history";
import { filterQuery, RunFilters } from "./run-filters";
import type { RunFilterFields } from "./run-filters";
import { RunRow } from "./run-row";

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function UsageLine({ usage }: { usage: RunStoreUsage }) {
  return (
    <p className="muted" data-testid="runs-usage">
      {usage.runs} run{usage.runs === 1 ? "" : "s"} recorded, {megabytes(usage.bytes)} of {megabytes(usage.maxBytes)}.
      {usage.pruned > 0 ? ` ${usage.pruned} old run${usage.pruned === 1 ? " was" : "s were"} pruned (limit ${megabytes(usage.maxBytes)}); pin a run to keep it.` : ""}
    </p>
  );
}

export function RunHistory({ fields }: { fields: RunFilterFields }) {
  const [runs, setRuns] = useState<StoredRunSummary[]>();
  const [usage, setUsage] = useState<RunStoreUsage>();
  const [error, setError] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const query = useMemo(() => filterQuery(fields).toString(), [fields]);

  const load = useCallback(async () => {
    const answer = await listRuns(new URLSearchParams(query));
    if (!answer.ok) return setError(answer.error.message);
    // Pinned first, then the newest: the list a teacher comes back to.
    setRuns([...answer.data.runs].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.startedAt.localeCompare(a.startedAt)));
    setUsage(answer.data.usage);
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (id: string) => setPicked((now) => (now.includes(id) ? now.filter((p) => p !== id) : [...now, id].slice(-2)));
  const [a, b] = picked;
  return (
    <main className="page runs-page" data-testid="runs-page">
      <h2 className="runs-page__title">Run history</h2>
      <RunFilters fields={fields} />
      {error ? <p className="runs-error" role="alert" data-testid="runs-error">{error}</p> : null}
      {usage ? <UsageLine usage={usage} /> : null}
      <div className="runs-list__head">
        <h3>{runs === undefined ? "Loading runs…" : `${runs.length} run${runs.length === 1 ? "" : "s"}`}</h3>
        {a && b ? (
          <Link className="button button--primary" href={`/runs/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`} data-testid="compare-runs">Compare the two picked</Link>
        ) : (
          <span className="muted">Pick two runs to compare them ({picked.length} of 2).</span>
        )}
      </div>
      {runs && runs.length === 0 ? <p className="muted" data-testid="runs-empty">No recorded run matches. Start one in the <Link href="/lab">lab</Link> or a lesson; every run is recorded.</p> : null}
      {runs && runs.length > 0 ? (
        <table className="runs-table">
          <thead>
            <tr>
              <th scope="col">Pick</th><th scope="col">Run</th><th scope="col">From</th><th scope="col">Brokers</th>
              <th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Outcome</th><th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <RunRow key={run.runId} run={run} picked={picked.includes(run.runId)} onPick={() => toggle(run.runId)}
                onChanged={() => void load()} onError={setError} />
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
