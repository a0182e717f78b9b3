// The teacher's dashboard from the browser: the class grid, the CSV export and drills over
// /api/classroom/*, with the teacher token (kept for this tab in sessionStorage) as a bearer header.
import type { DrillResult } from "../classroom/drill";
import type { ClassGrid } from "../classroom/grid";
import type { ErrorPayload } from "../errors";

export type ServerMode = "lab" | "classroom";
export type TeacherResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ErrorPayload };

const tokenKey = "brokerlab.teacherToken";
const unreachable: ErrorPayload = { code: "INTERNAL", message: "Brokerlab's server does not answer; is it running?", retriable: true };

export function savedTeacherToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(tokenKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveTeacherToken(token: string | undefined): void {
  try {
    if (token) window.sessionStorage.setItem(tokenKey, token);
    else window.sessionStorage.removeItem(tokenKey);
  } catch {
    // Storage disabled: the token lasts as long as the page.
  }
}

function headers(token: string | undefined, json: boolean): Record<string, string> {
  return { accept: json ? "application/json" : "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

async function failure(response: Response): Promise<TeacherResult<never>> {
  const body = (await response.json().catch(() => undefined)) as { error?: ErrorPayload } | undefined;
  return { ok: false, status: response.status, error: body?.error ?? { code: "INTERNAL", message: `The server answered ${response.status} without an explanation.`, retriable: true } };
}

async function call<T>(path: string, token: string | undefined, init?: RequestInit): Promise<TeacherResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { ...headers(token, true), ...(init?.body ? { "content-type": "application/json" } : {}) } });
  } catch {
    return { ok: false, status: 0, error: unreachable };
  }
  if (!response.ok) return failure(response);
  const body = (await response.json().catch(() => undefined)) as { data?: T } | undefined;
  return body && "data" in body ? { ok: true, data: body.data as T } : { ok: false, status: response.status, error: unreachable };
}

export interface GridQuery {
  stuckMinutes: number;
  /** Only this learner (this browser's, outside classroom mode). */
  learner?: string;
}

const gridParams = (query: GridQuery, format?: "csv") =>
  new URLSearchParams({ stuckMinutes: String(query.stuckMinutes), ...(query.learner ? { learner: query.learner } : {}), ...(format ? { format } : {}) }).toString();

export const fetchClassGrid = (query: GridQuery, token: string | undefined) =>
  call<{ mode: ServerMode; grid: ClassGrid }>(`/api/classroom/grid?${gridParams(query)}`, token);

export const runDrill = (fault: Record<string, string | number>, token: string | undefined) =>
  call<DrillResult>("/api/classroom/drill", token, { method: "POST", body: JSON.stringify({ fault }) });

/** Fetches the CSV (a plain link could not carry the bearer header) and hands it to the browser as a download. */
export async function downloadClassCsv(query: GridQuery, token: string | undefined): Promise<TeacherResult<{ fileName: string; bytes: number }>> {
  let response: Response;
  try {
    response = await fetch(`/api/classroom/grid?${gridParams(query, "csv")}`, { headers: headers(token, false) });
  } catch {
    return { ok: false, status: 0, error: unreachable };
  }
  if (!response.ok) return failure(response);
  const fileName = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "brokerlab-class-progress.csv";
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true, data: { fileName, bytes: blob.size } };
}
