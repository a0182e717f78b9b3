"use client";
// The run history (/runs): every recorded run matching the filters in the address, pinned first,
// kept up to date while the tab is visible, the store's size and how many old runs were pruned to
// stay under it, and two picked runs opened side by side.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { listRuns } from "../../lib/client/runs-call";
import { useVisibleInterval } from "../../lib/client/use-visible-interval";
import type { RunStoreUsage } from "../../lib/client/runs-call";
import type { StoredRunSummary } from "../../lib/runs/history";
import { filterQuery, RunFilters } from "./run-filters";
import type { RunFilterFields } from "./run-filters";
import { RunRow } from "./run-row";

/** How often the list asks for new and finished runs while the tab is visible. */
const defaultRefreshMs = 3_000;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function UsageLine({ usage, refreshMs }: { usage: RunStoreUsage; refreshMs: number }) {
  return (
    <p className="muted" data-testid="runs-usage">
      {usage.runs} run{usage.runs === 1 ? "" : "s"} recorded, {megabytes(usage.bytes)} of {megabytes(usage.maxBytes)}.
      {usage.pruned > 0 ? ` ${usage.pruned} old run${usage.pruned === 1 ? " was" : "s were"} pruned (limit ${megabytes(usage.maxBytes)}); pin a run to keep it.` : ""}
      {` The list updates itself every ${refreshMs / 1000} s.`}
    </p>
  );
}

export function RunHistory({ fields, refreshMs = defaultRefreshMs }: { fields: RunFilterFields; refreshMs?: number }) {
  const [runs, setRuns] = useState<StoredRunSummary[]>();
  const [usage, setUsage] = useState<RunStoreUsage>();
  const [error, setError] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const query = useMemo(() => filterQuery(fields).toString(), [fields]);

  const [listError, setListError] = useState<string>();
  const latestQuery = useRef(query);
  latestQuery.current = query;
  const loadingQuery = useRef<string>(undefined);
  const askAgain = useRef(false);

  const load = useCallback(async (polled = false) => {
    // One request per filter at a time. A poll meanwhile is skipped; a change (a rename) asks once more after.
    if (loadingQuery.current === query) return void (askAgain.current ||= !polled);
    loadingQuery.current = query;
    askAgain.current = false;
    const answer = await listRuns(new URLSearchParams(query)).finally(() => {
      if (loadingQuery.current === query) loadingQuery.current = undefined;
    });
    if (askAgain.current) return void load();
    // The filters changed while this was on its way: its list is not the one asked for now.
    if (query !== latestQuery.current) return;
    if (!answer.ok) return setListError(answer.error.message);
    setListError(undefined);
    // Pinned first, then the newest: the list a teacher comes back to.
    setRuns([...answer.data.runs].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.startedAt.localeCompare(a.startedAt)));
    setUsage(answer.data.usage);
    // A picked run deleted meanwhile (here or in another tab) cannot be compared any more.
    const present = new Set(answer.data.runs.map((run) => run.runId));
    setPicked((now) => (now.every((id) => present.has(id)) ? now : now.filter((id) => present.has(id))));
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);
  // New runs and runs that end show up without a reload; filters (in the address) and picks stay.
  useVisibleInterval(() => void load(true), refreshMs);

  const toggle = (id: string) => setPicked((now) => (now.includes(id) ? now.filter((p) => p !== id) : [...now, id].slice(-2)));
  const [a, b] = picked;
  return (
    <main className="page runs-page" data-testid="runs-page">
      <h2 className="runs-page__title">Run history</h2>
      <RunFilters fields={fields} />
      {error ?? listError ? <p className="runs-error" role="alert" data-testid="runs-error">{error ?? listError}</p> : null}
      {usage ? <UsageLine usage={usage} refreshMs={refreshMs} /> : null}
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
