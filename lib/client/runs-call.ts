// The run history from the browser: list, open, rename, pin and delete recorded runs over
// /api/runs. Errors come back as values carrying the server's message, which names a bad field.
import type { ErrorPayload } from "../errors";
import type { RunFrame } from "../run/model";
import type { StoredRun, StoredRunSummary } from "../runs/history";

export interface RunStoreUsage {
  runs: number;
  bytes: number;
  maxBytes: number;
  pruned: number;
}

export type RunsResult<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

const unreachable: ErrorPayload = { code: "INTERNAL", message: "Brokerlab's server does not answer; is it running?", retriable: true };

async function request<T>(path: string, init?: RequestInit): Promise<RunsResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}) } });
  } catch {
    return { ok: false, error: unreachable };
  }
  const body = (await response.json().catch(() => undefined)) as { data?: T; error?: ErrorPayload } | undefined;
  if (response.ok && body && "data" in body) return { ok: true, data: body.data as T };
  return { ok: false, error: body?.error ?? { code: "INTERNAL", message: `The server answered ${response.status} without an explanation.`, retriable: true } };
}

export const listRuns = (query: URLSearchParams) => request<{ runs: StoredRunSummary[]; usage: RunStoreUsage }>(`/api/runs?${query.toString()}`);
export const getRun = (runId: string) => request<StoredRun>(`/api/runs/${encodeURIComponent(runId)}`);
export const getRunFrames = (runId: string) => request<RunFrame[]>(`/api/runs/${encodeURIComponent(runId)}/frames`);
export const editRun = (runId: string, edit: { title?: string; pinned?: boolean }) =>
  request<StoredRun>(`/api/runs/${encodeURIComponent(runId)}`, { method: "PATCH", body: JSON.stringify(edit) });
export const deleteRun = (runId: string) => request<{ runId: string; deleted: boolean }>(`/api/runs/${encodeURIComponent(runId)}`, { method: "DELETE" });

/** A run's recording in one go: its summary, scenario and report, and its frames. */
export async function loadRecording(runId: string): Promise<RunsResult<{ run: StoredRun; frames: RunFrame[] }>> {
  const [run, frames] = await Promise.all([getRun(runId), getRunFrames(runId)]);
  if (!run.ok) return run;
  if (!frames.ok) return frames;
  return { ok: true, data: { run: run.data, frames: frames.data } };
}
