// The run history over HTTP (issue 17): GET /api/runs lists recorded runs (filters: scenario,
// broker, lesson, origin, outcome, limit), GET /api/runs/<id> one run with its report and scenario,
// GET /api/runs/<id>/frames its recorded frames, PATCH /api/runs/<id> renames or pins it, DELETE
// removes it (refused while the run is still going). Every input is parsed first, with the field named.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../../lib/errors";
import { runEditSchema, runFilterSchema } from "../../lib/runs/history";
import { classroomOf, requesterOf } from "../classroom/request-identity";
import type { Engine } from "../engine/engine";
import { isActive } from "../engine/run-limits";
import type { RunStore } from "../runs/store";
import type { ApiHandler } from "./api";
import { sendJson } from "./healthz";
import { readBody, sendError, sendFailure } from "./respond";

const listPattern = /^\/api\/runs\/?$/;
const onePattern = /^\/api\/runs\/([A-Za-z0-9._-]{1,120})(\/frames)?\/?$/;

/** The learner whose runs alone this request may see (classroom mode); undefined for the teacher and outside a class. */
function learnerOf(request: IncomingMessage): string | undefined {
  const identity = requesterOf(request);
  return classroomOf(request)?.mode === "classroom" && identity?.role === "learner" ? identity.learnerId : undefined;
}

function problemText(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

export function createRunsApi(options: { store?: RunStore; engine?: Engine; log: (message: string, error?: unknown) => void }): ApiHandler {
  const { store, engine, log } = options;

  async function handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (!store) throw new AppError("NOT_FOUND", "The run history is off on this server (BROKERLAB_RUN_STORE_MB=0); set it to a size in MB to record runs.");
    const method = request.method ?? "GET";
    if (listPattern.test(url.pathname)) {
      if (method !== "GET") throw new AppError("INVALID_INPUT", `Use GET ${url.pathname}.`);
      const parsed = runFilterSchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) throw new AppError("INVALID_INPUT", `Bad run filter: ${problemText(parsed.error.issues)}. Filters: scenario, broker, lesson, origin, outcome (lost, duplicates, errors, clean), limit.`);
      sendJson(response, 200, { data: { runs: store.list(parsed.data, learnerOf(request)), usage: store.usage() } });
      return;
    }
    const match = onePattern.exec(url.pathname);
    if (!match) throw new AppError("NOT_FOUND", `There is no run at ${url.pathname}; GET /api/runs lists them.`);
    const runId = match[1]!;
    const found = store.get(runId);
    if (!found) throw new AppError("NOT_FOUND", `There is no recorded run "${runId}" (it may have been deleted or pruned); GET /api/runs lists them.`);
    // A learner's own runs only, as the classroom's run commands answer (FORBIDDEN, not NOT_FOUND).
    const learner = learnerOf(request);
    if (learner !== undefined && found.owner !== learner && classroomOf(request)?.ownerOf(runId) !== learner) {
      throw new AppError("FORBIDDEN", `Run "${runId}" is not yours: in a class each learner may open only the runs they started.`);
    }
    if (match[2]) {
      if (method !== "GET") throw new AppError("INVALID_INPUT", `Use GET ${url.pathname}.`);
      sendJson(response, 200, { data: store.frames(runId) });
      return;
    }
    if (method === "GET") {
      sendJson(response, 200, { data: found });
    } else if (method === "PATCH") {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request, 10_000));
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError("INVALID_INPUT", "Send a JSON object: { \"title\": \"…\" } to rename, { \"pinned\": true } to pin.");
      }
      const edit = runEditSchema.safeParse(body);
      if (!edit.success) throw new AppError("INVALID_INPUT", `Bad run edit: ${problemText(edit.error.issues)}.`);
      store.edit(runId, edit.data);
      sendJson(response, 200, { data: store.get(runId) });
    } else if (method === "DELETE") {
      const live = engine?.get(runId);
      if (live && isActive(live.status())) throw new AppError("CONFLICT", `Run "${runId}" is still ${live.status()}; stop it before deleting it from the history.`);
      store.remove(runId);
      sendJson(response, 200, { data: { runId, deleted: true } });
    } else {
      throw new AppError("INVALID_INPUT", `Use GET, PATCH or DELETE on ${url.pathname}.`);
    }
  }

  return (request, response, url) => {
    if (!listPattern.test(url.pathname) && !url.pathname.startsWith("/api/runs/")) return false;
    handle(request, response, url).catch((error: unknown) => {
      if (error instanceof AppError) sendError(response, error.code, error.message);
      else sendFailure(response, error, log, "answer a run history request");
    });
    return true;
  };
}
