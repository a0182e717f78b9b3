// Classroom mode from the browser: join the class (the server sets the session cookie, which no
// script can read) and ask who this browser is, for the header.
import type { ErrorPayload } from "../errors";

export type JoinResult = { ok: true; learnerId: string; name: string } | { ok: false; status: number; error: ErrorPayload; field?: "code" | "name" };
export type WhoAmI = { mode: "lab" | "classroom"; role: "teacher" | "learner" | "visitor"; name?: string };

const unreachable: ErrorPayload = { code: "INTERNAL", message: "Brokerlab's server does not answer; is it running? Try again in a moment.", retriable: true };

export async function joinClass(code: string, name: string): Promise<JoinResult> {
  let response: Response;
  try {
    response = await fetch("/api/classroom/join", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, name }), credentials: "same-origin" });
  } catch {
    return { ok: false, status: 0, error: unreachable };
  }
  const body = (await response.json().catch(() => undefined)) as { data?: { learnerId: string; name: string }; error?: ErrorPayload } | undefined;
  if (response.ok && body?.data) return { ok: true, ...body.data };
  const error = body?.error ?? unreachable;
  // Which field to put the message beside: a refused code, or the field the server named.
  const field = error.code === "FORBIDDEN" ? "code" : error.problems?.[0]?.path === "name" ? "name" : undefined;
  return { ok: false, status: response.status, error, ...(field ? { field } : {}) };
}

export async function whoAmI(): Promise<WhoAmI | undefined> {
  try {
    const response = await fetch("/api/classroom/me", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return undefined;
    return ((await response.json()) as { data: WhoAmI }).data;
  } catch {
    return undefined;
  }
}

/** Where to go after joining: a path on this site only (never another site through ?next=). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && !next.startsWith("/join") ? next : "/lessons";
}
