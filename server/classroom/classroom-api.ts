// The classroom's HTTP routes: POST /api/classroom/join { code, name } → { data: { learnerId } } and
// the session cookie; GET /api/classroom/learners (teacher) → the class with its progress;
// GET /api/classroom/me → the mode and, for a learner, their name (the page header shows it).
// Other /api/classroom/* paths are left to the handlers after this one.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../../lib/errors";
import { isSecureRequest } from "../http/auth";
import type { ApiHandler } from "../http/api";
import { sendJson } from "../http/healthz";
import { readBody, sendFailure } from "../http/respond";
import type { Classroom } from "./classroom";
import { requesterOf } from "./request-identity";

const joinBodyLimitBytes = 4_000;

function requireMethod(request: IncomingMessage, method: "GET" | "POST", pathname: string): void {
  const asked = request.method === "HEAD" ? "GET" : request.method;
  if (asked !== method) throw new AppError("INVALID_INPUT", `Use ${method} ${pathname}.`);
}

export function createClassroomApi(classroom: Classroom, log: (message: string, error?: unknown) => void): ApiHandler {
  async function join(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request, joinBodyLimitBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("INVALID_INPUT", 'Send a JSON object: { "code": "<class code>", "name": "<your name>" }.');
    }
    const joined = await classroom.join({ body, address: request.socket.remoteAddress ?? "unknown", cookieHeader: request.headers.cookie, secure: isSecureRequest(request) });
    response.setHeader("set-cookie", joined.setCookie);
    sendJson(response, 200, { data: { learnerId: joined.learnerId, name: joined.name } });
  }

  async function learners(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (requesterOf(request)?.role !== "teacher") throw new AppError("FORBIDDEN", "The class list is for the teacher only (send Authorization: Bearer <BROKERLAB_TOKEN>).");
    sendJson(response, 200, { data: { learners: await classroom.learners() } });
  }

  function me(request: IncomingMessage, response: ServerResponse): void {
    const identity = requesterOf(request);
    const who = identity?.role === "learner" ? { role: "learner", learnerId: identity.learnerId, name: identity.name } : identity ? { role: "teacher" } : { role: "visitor" };
    sendJson(response, 200, { data: { mode: classroom.mode, ...who } });
  }

  return (request, response, url) => {
    const route = /^\/api\/classroom\/(join|learners|me)\/?$/.exec(url.pathname)?.[1];
    if (!route) return false;
    const answer = async () => {
      if (route === "join") {
        requireMethod(request, "POST", url.pathname);
        await join(request, response);
      } else {
        requireMethod(request, "GET", url.pathname);
        if (route === "learners") await learners(request, response);
        else me(request, response);
      }
    };
    answer().catch((error: unknown) => sendFailure(response, error, log, `${request.method} ${url.pathname}`));
    return true;
  };
}
