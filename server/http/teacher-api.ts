// The teacher's dashboard over HTTP: GET /api/classroom/grid (the class grid as JSON, or CSV with
// ?format=csv) and POST /api/classroom/drill (one fault on every running run). Teacher only; every
// input is parsed before anything is read or touched.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { parseDrillBody } from "../../lib/classroom/drill";
import { classGrid, type GridLearner } from "../../lib/classroom/grid";
import { gridCsv, gridCsvFileName } from "../../lib/classroom/grid-csv";
import { AppError } from "../../lib/errors";
import { lessons as catalogue } from "../../lib/lessons/catalogue";
import { learnerIdSchema, type LearnerProgress } from "../../lib/lessons/progress";
import type { Engine } from "../engine/engine";
import { applyDrill } from "../teacher/drill";
import type { ApiHandler } from "./api";
import { sendJson } from "./healthz";
import { readBody, sendError, sendFailure } from "./respond";

export type ServerMode = "lab" | "classroom";

export interface TeacherApiOptions {
  /** Every learner's progress by learner id: the rows outside classroom mode. */
  everyone: () => Promise<Record<string, LearnerProgress>>;
  /** In classroom mode, the class (display names and progress); undefined outside it. */
  classList?: (request: IncomingMessage) => Promise<GridLearner[] | undefined>;
  /** The learner who started a run, when the server knows (classroom mode). */
  ownerOf?: (request: IncomingMessage, runId: string) => string | undefined;
  engine?: Engine;
  isTeacher: (request: IncomingMessage, url: URL) => boolean;
  mode: (request: IncomingMessage) => ServerMode;
  now?: () => number;
  log: (message: string, error?: unknown) => void;
}

const gridPattern = /^\/api\/classroom\/grid\/?$/;
const drillPattern = /^\/api\/classroom\/drill\/?$/;
const drillBodyLimitBytes = 16 * 1024;

export const gridQuerySchema = z.strictObject({
  format: z.enum(["json", "csv"]).default("json"),
  stuckMinutes: z.coerce.number().int("must be a whole number of minutes").min(1, "must be at least 1").max(600, "must be at most 600").default(10),
  lessons: z.enum(["touched", "all"]).default("touched"),
  /** One learner only: this browser's, when the page is used outside classroom mode. */
  learner: learnerIdSchema.optional(),
});

function queryProblems(issues: z.core.$ZodIssue[]) {
  return issues.map((issue) => ({
    path: issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.map(String).join("."),
    message: issue.code === "unrecognized_keys" ? "is not a grid parameter (use format, stuckMinutes, lessons, learner)" : issue.message,
  }));
}

/** Whose run it is: the learner whose lesson's last run it is. */
function lastRunOwners(everyone: Record<string, LearnerProgress>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [learnerId, lessons] of Object.entries(everyone)) for (const lesson of Object.values(lessons)) if (lesson.lastRunId) owners.set(lesson.lastRunId, learnerId);
  return owners;
}

export function createTeacherApi(options: TeacherApiOptions): ApiHandler {
  const { engine, log } = options;
  const now = options.now ?? Date.now;

  async function rowsFor(request: IncomingMessage): Promise<GridLearner[]> {
    const classList = await options.classList?.(request);
    if (classList) return classList;
    return Object.entries(await options.everyone()).map(([learnerId, progress]) => ({ learnerId, progress }));
  }

  async function grid(request: IncomingMessage, response: ServerResponse, url: URL) {
    const parsed = gridQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      const problems = queryProblems(parsed.error.issues);
      throw new AppError("INVALID_INPUT", `Bad grid parameter: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}.`, { problems });
    }
    const query = parsed.data;
    const learners = (await rowsFor(request)).filter((l) => query.learner === undefined || l.learnerId === query.learner);
    const result = classGrid(catalogue, learners, { now: now(), stuckAfterMinutes: query.stuckMinutes, include: query.lessons });
    if (query.format === "csv") {
      response.writeHead(200, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="${gridCsvFileName(result.generatedAt)}"`,
        "cache-control": "no-store",
      });
      response.end(gridCsv(result));
      return;
    }
    sendJson(response, 200, { data: { mode: options.mode(request), grid: result } });
  }

  async function drill(request: IncomingMessage, response: ServerResponse) {
    const text = await readBody(request, drillBodyLimitBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("INVALID_INPUT", 'The body is not JSON; send { "fault": { "kind": "kill", "service": "<service>" } }.', { problems: [{ path: "body", message: "is not JSON" }] });
    }
    const parsed = parseDrillBody(body);
    if (!parsed.ok) throw new AppError("INVALID_INPUT", `Bad drill: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}. No run was touched.`, { problems: parsed.problems });
    if (!engine) throw new AppError("BROKER_UNAVAILABLE", "This server runs no scenarios (no engine), so there is no run to drill.");
    const owners = lastRunOwners(await options.everyone());
    const ownerOf = (runId: string) => options.ownerOf?.(request, runId) ?? owners.get(runId);
    sendJson(response, 200, { data: await applyDrill(engine, parsed.spec, { ownerOf, log }) });
  }

  return (request, response, url) => {
    const isGrid = gridPattern.test(url.pathname);
    if (!isGrid && !drillPattern.test(url.pathname)) return false;
    const method = request.method === "HEAD" ? "GET" : request.method;
    const wanted = isGrid ? "GET" : "POST";
    if (method !== wanted) {
      response.setHeader("allow", wanted);
      sendError(response, "INVALID_INPUT", `Use ${wanted} ${url.pathname}.`, 405);
      return true;
    }
    if (!options.isTeacher(request, url)) {
      response.setHeader("www-authenticate", "Bearer");
      sendError(response, "UNAUTHORIZED", "Only the teacher may see the class or run a drill: send Authorization: Bearer <BROKERLAB_TOKEN>.");
      return true;
    }
    (isGrid ? grid(request, response, url) : drill(request, response)).catch((error: unknown) => sendFailure(response, error, log, `${request.method} ${url.pathname}`));
    return true;
  };
}
