// The lesson commands of the socket contract: progress, open a lesson, watch a step's live check
// (pushed as `lesson:check`), report an attempt, predict, answer the quiz, start over.
import path from "node:path";
import type { Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/events";
import { loadConfig } from "../config";
import { labClassroom, type Classroom, type Identity } from "../classroom/classroom";
import type { Engine } from "../engine/engine";
import { createJaegerQueryClient } from "../jaeger/query-client";
import { createDeadLetterReader } from "../lessons/dead-letters";
import { createExampleSource } from "../lessons/examples";
import { createProgressStore } from "../lessons/progress-store";
import { createLessonService, type LessonService } from "../lessons/service";
import { createSnapshotReader } from "../lessons/snapshot";
import type { BrokerlabIo, CommandFactory, SocketData } from "./socket";

const services = new WeakMap<Engine, LessonService>();

/** The progress file sits beside the runs' data: $BROKERLAB_DATA_DIR/../progress.json (.stack/progress.json). */
export const progressFileFor = (engine: Engine) => path.resolve(engine.context.dataDir, "..", "progress.json");

/** One lesson service per engine, built on first use from what the engine already knows. */
export function lessonServiceFor(engine: Engine): LessonService {
  let service = services.get(engine);
  if (!service) {
    const jaeger = createJaegerQueryClient({ baseUrl: loadConfig(process.env).JAEGER_QUERY_URL });
    service = createLessonService({
      engine,
      progress: createProgressStore({ file: progressFileFor(engine) }),
      examples: createExampleSource(),
      readSnapshot: createSnapshotReader({ engine, jaeger, readDeadLetters: createDeadLetterReader() }),
    });
    services.set(engine, service);
  }
  return service;
}

export function registerLessonCommands(
  _io: BrokerlabIo,
  socket: Socket<ClientToServerEvents, ServerToClientEvents>,
  engine: Engine,
  command: CommandFactory,
  classroom: Classroom = labClassroom(),
  service: LessonService = lessonServiceFor(engine),
) {
  // In a class, progress is read and written under the session's learner, whatever id the browser
  // sends, and a step may be checked against the learner's own runs only.
  const identity: Identity = (socket.data as Partial<SocketData> | undefined)?.identity ?? { role: "teacher" };
  const me = (asked: string) => classroom.learnerIdFor(identity, asked);
  const ownRun = (runId: string | undefined) => {
    if (runId) classroom.assertRun(identity, runId);
    return runId ? { runId } : {};
  };
  socket.on("lesson:progress", command("lesson:progress", ({ learnerId }) => service.progressOf(me(learnerId))));
  socket.on("lesson:open", command("lesson:open", ({ learnerId, lessonId }) => service.open(me(learnerId), lessonId)));
  socket.on("lesson:watch", command("lesson:watch", async ({ learnerId, lessonId, stepId, runId }) =>
    service.watch(socket.id, { learnerId: me(learnerId), lessonId, stepId, ...ownRun(runId) }, (update) => socket.emit("lesson:check", update)),
  ));
  socket.on("lesson:unwatch", command("lesson:unwatch", async () => {
    service.unwatch(socket.id);
    return null;
  }));
  socket.on("lesson:attempt", command("lesson:attempt", async ({ learnerId, lessonId, stepId, scenario, runId, error, solution }) =>
    service.attempt(socket.id, { learnerId: me(learnerId), lessonId, stepId, scenario, ...ownRun(runId), ...(error ? { error } : {}), ...(solution ? { solution } : {}) }),
  ));
  socket.on("lesson:predict", command("lesson:predict", ({ learnerId, lessonId, stepId, choice }) => service.predict(me(learnerId), lessonId, stepId, choice)));
  socket.on("lesson:answer", command("lesson:answer", ({ learnerId, lessonId, questionId, choices }) => service.answer(me(learnerId), lessonId, questionId, choices)));
  socket.on("lesson:reset", command("lesson:reset", ({ learnerId, lessonId }) => service.reset(me(learnerId), lessonId)));
  socket.on("disconnect", () => service.unwatch(socket.id));
}
