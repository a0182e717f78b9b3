// The composition root's assembly step: one HTTP server carries the Next.js pages, /healthz, the
// JSON API and /metrics, and socket.io. server/index.ts builds the components and hands them in.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { classroomLearners, classroomOf, createClassroom, createClassroomApi, isTeacher, type Classroom } from "./classroom";
import type { HealthMonitor } from "./health/monitor";
import type { Engine } from "./engine/engine";
import { createApiHandler } from "./http/api";
import { handleLessonsApi } from "./http/lessons-api";
import { createRunsApi } from "./http/runs-api";
import { createTeacherApi } from "./http/teacher-api";
import type { RunStore } from "./runs/store";
import { createOriginGuard } from "./http/origin-guard";
import type { TokenAuth } from "./http/auth";
import { createMetrics } from "./http/metrics";
import { createRequestHandler } from "./http/request-handler";
import type { NextRequestHandler } from "./http/request-handler";
import type { JaegerQueryClient } from "./jaeger/query-client";
import { lessonServiceFor } from "./realtime/lessons";
import { attachRealtime } from "./realtime/socket";
import type { BrokerlabIo } from "./realtime/socket";

export interface ApplicationComponents {
  monitor: HealthMonitor;
  engine?: Engine;
  auth: TokenAuth;
  handleNext: NextRequestHandler;
  /** Jaeger's query API, for GET /api/traces/:id; without it that route answers TRACING_UNAVAILABLE. */
  jaeger?: JaegerQueryClient;
  /** The example scenarios GET /api/examples serves; the repository's examples/ by default. */
  examplesDir?: string;
  /** BROKERLAB_ALLOWED_HOSTS: names (or name:port) besides its own addresses that pages and requests may use. */
  allowedHosts?: readonly string[];
  /** The run history (server/runs/); without it /api/runs says the history is off. */
  runStore?: RunStore;
  /** Classroom mode (server/classroom/): who asks, joining, and whose runs are whose; lab mode when absent. */
  classroom?: Classroom;
}

export interface Application {
  io: BrokerlabIo;
  /** Disconnects the sockets; the caller then closes the HTTP server. */
  closeRealtime(): void;
}

export function createApplication(httpServer: HttpServer, components: ApplicationComponents): Application {
  const { monitor, engine, auth, handleNext } = components;
  const log = (message: string, error?: unknown) => console.error(`[http] ${message}`, error ?? "");
  const handleApi = createApiHandler({
    jaeger: components.jaeger,
    examplesDir: components.examplesDir ?? path.join(__dirname, "..", "examples"),
    metrics: createMetrics(engine),
    log,
  });
  const guard = createOriginGuard({
    allowedHosts: components.allowedHosts,
    listening: () => {
      const address = httpServer.address();
      return typeof address === "object" && address ? { address: address.address, port: address.port } : undefined;
    },
  });
  // Other WebSocket upgrades (Next.js hot reload in development) get the same check; socket.io's
  // own are checked by its allowRequest.
  httpServer.prependListener("upgrade", (request: IncomingMessage, socket: Duplex) => {
    if (request.url?.startsWith("/socket.io/")) return;
    const refusal = guard.refusal(request.headers.host, request.headers.origin);
    if (refusal) socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${refusal}\n`);
  });
  const handleRuns = createRunsApi({ store: components.runStore, engine, log });
  const handleTeacher = createTeacherApi({
    everyone: async () => (engine ? lessonServiceFor(engine).everyone() : {}),
    // In a class the rows are the class: display names, and learners with no lesson yet.
    classList: async (request) => (classroomOf(request)?.mode === "classroom" ? (await classroomLearners(request)).map(({ learnerId, name, progress }) => ({ learnerId, name, progress })) : undefined),
    ownerOf: (request, runId) => classroomOf(request)?.ownerOf(runId),
    engine,
    isTeacher: (request) => isTeacher(request),
    mode: (request) => classroomOf(request)?.mode ?? "lab",
    log,
  });
  const classroom = components.classroom ?? createClassroom({ mode: "lab", auth });
  const handleClassroom = createClassroomApi(classroom, log);
  const handleAll = (req: IncomingMessage, res: ServerResponse, url: URL) =>
    handleClassroom(req, res, url) || handleLessonsApi(req, res, url) || handleTeacher(req, res, url) || handleRuns(req, res, url) || handleApi(req, res, url);
  httpServer.on("request", createRequestHandler({ auth, classroom, guard, handleNext, handleApi: handleAll, stackStatus: () => monitor.current(), log }));
  const realtime = attachRealtime(httpServer, { monitor, engine, auth, guard, classroom });
  return { io: realtime.io, closeRealtime: realtime.close };
}
