// GET /api/lessons: the lesson catalogue (ids, titles, steps with their check ids), and
// GET /api/lessons/<id>: one lesson as data (steps, checks, hints, quizzes). Read-only.
import type { IncomingMessage, ServerResponse } from "node:http";
import { catalogueSummary, lessonById } from "../../lib/lessons/catalogue";
import { sendJson } from "./healthz";
import { sendError } from "./respond";

const listPattern = /^\/api\/lessons\/?$/;
const onePattern = /^\/api\/lessons\/([a-z0-9][a-z0-9-]*)\/?$/;

/** Answers the request when its path is a lesson route; false lets the caller pass it on. */
export function handleLessonsApi(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
  const list = listPattern.test(url.pathname);
  const one = onePattern.exec(url.pathname);
  if (!list && !one && !url.pathname.startsWith("/api/lessons/")) return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("allow", "GET");
    sendError(response, "INVALID_INPUT", `Use GET ${url.pathname}.`, 405);
    return true;
  }
  if (list) {
    sendJson(response, 200, { data: catalogueSummary() });
    return true;
  }
  const lesson = one ? lessonById(one[1]!) : undefined;
  if (!lesson) {
    sendError(response, "NOT_FOUND", `There is no lesson at ${url.pathname}; GET /api/lessons lists them.`);
    return true;
  }
  sendJson(response, 200, { data: lesson });
  return true;
}
