// The classroom check every HTTP request passes after the Host/Origin check: who asks, and whether a
// learner may use this path. Public: the join page and what it needs. Teacher-only: /metrics and the
// class list. A learner's run history (the list answers only their runs: server/http/runs-api.ts) and
// trace search are limited to their own runs.
import type { IncomingMessage } from "node:http";
import type { ErrorCode } from "../../lib/errors";
import type { Classroom, Identity } from "./classroom";
import { createCommandLimit, rateLimitedPayload, type CommandLimit } from "./command-limit";
import { rememberRequester } from "./request-identity";

export type GateVerdict =
  | { kind: "pass"; identity: Identity | undefined }
  | { kind: "refuse"; code: ErrorCode; message: string; retryAfterSeconds?: number }
  | { kind: "redirect"; location: string };

const publicPath = (pathname: string) =>
  pathname === "/join" || pathname.startsWith("/_next/") || pathname === "/icon.svg" || pathname === "/favicon.ico" || pathname === "/api/classroom/join" || pathname === "/api/classroom/me";

const runPath = /^\/api\/runs\/([^/]+)(\/frames)?\/?$/;
const teacherOnly = "is for the teacher only (send Authorization: Bearer <BROKERLAB_TOKEN>)";

/** Why a learner may not use this path; undefined when they may. */
function learnerRefusal(classroom: Classroom, identity: Identity, url: URL): string | undefined {
  const { pathname } = url;
  if (pathname === "/metrics" || pathname.startsWith("/metrics/")) return `${pathname} ${teacherOnly}.`;
  if (pathname === "/api/classroom/learners" || pathname === "/api/classroom/learners/") return `The class list ${teacherOnly}.`;
  // A learner is known but not allowed: 403, as for the class list; 401 is for no session or token at all.
  if (/^\/api\/classroom\/(grid|drill)\/?$/.test(pathname)) return `The teacher's dashboard and drills are ${teacherOnly.slice(3)}.`;
  const run = runPath.exec(pathname);
  if (run && !classroom.mayUseRun(identity, decodeURIComponent(run[1]!))) return `That run is not yours: in a class each learner may open only the runs they started.`;
  if (/^\/api\/traces\/?$/.test(pathname)) {
    const runId = url.searchParams.get("run");
    if (!runId) return "In a class, search traces of one of your runs: add ?run=<your run id>.";
    if (!classroom.mayUseRun(identity, runId)) return `Run "${runId.slice(0, 120)}" is not yours: search the traces of a run you started.`;
  }
  return undefined;
}

// The classroom's own routes (the join route has its stricter limit per address): per learner, the
// teacher, or a visitor's address, so a script polling the class list cannot slow the class down.
const classroomRouteLimits = new WeakMap<Classroom, CommandLimit>();
const limitedRoute = (pathname: string) => pathname.startsWith("/api/classroom/") && !/^\/api\/classroom\/join\/?$/.test(pathname);

function rateLimited(classroom: Classroom, request: IncomingMessage, identity: Identity | undefined): GateVerdict | undefined {
  let limit = classroomRouteLimits.get(classroom);
  if (!limit) classroomRouteLimits.set(classroom, (limit = createCommandLimit()));
  const key = identity?.role === "learner" ? `learner:${identity.learnerId}` : identity ? "teacher" : `address:${request.socket.remoteAddress ?? "unknown"}`;
  const wait = limit.take(key);
  if (wait === undefined) return undefined;
  return { kind: "refuse", code: "RATE_LIMITED", message: rateLimitedPayload("requests", wait).message, retryAfterSeconds: wait };
}

export function gateRequest(classroom: Classroom, request: IncomingMessage, url: URL, api: boolean): GateVerdict {
  const identified = classroom.identify(request.headers, url);
  const identity = identified.ok ? identified.identity : undefined;
  rememberRequester(request, identity, classroom);
  const flood = limitedRoute(url.pathname) ? rateLimited(classroom, request, identity) : undefined;
  if (flood) return flood;
  if (classroom.mode === "lab" || publicPath(url.pathname)) return { kind: "pass", identity };
  if (!identified.ok) {
    // A bearer token that is not the teacher's is named as such, not taken for a missing session.
    const why = /^Bearer\s+\S/i.test(request.headers.authorization ?? "") ? "That bearer token is not this server's teacher token." : identified.message;
    if (api) return { kind: "refuse", code: "UNAUTHORIZED", message: `${why} Scripts: POST /api/classroom/join with { "code", "name" }, or the teacher's Authorization: Bearer <BROKERLAB_TOKEN>.` };
    return { kind: "redirect", location: `/join?next=${encodeURIComponent(`${url.pathname}${url.search}`)}` };
  }
  if (identified.identity.role === "learner") {
    let refusal: string | undefined;
    try {
      refusal = learnerRefusal(classroom, identified.identity, url);
    } catch {
      refusal = "The path has a malformed %-escape.";
    }
    if (refusal) return { kind: "refuse", code: "FORBIDDEN", message: refusal };
  }
  return { kind: "pass", identity: identified.identity };
}
