// The run commands of the socket contract: start, watch, stop, send by hand, inspect a message,
// inject a fault. Every payload was validated by the caller; broker work goes through the engine.
import type { Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/events";
import { AppError } from "../../lib/errors";
import type { RunSummary } from "../../lib/run/events";
import { isolateNames } from "../../lib/scenario/isolate";
import { sendingParts } from "../../lib/scenario/patterns";
import { scenarioWithoutSecrets } from "../../lib/secrets";
import { parseScenarioText, validateScenario } from "../../lib/scenario/validate";
import { labClassroom, type Classroom, type Identity } from "../classroom/classroom";
import type { Engine } from "../engine/engine";
import { RunError, type Run } from "../engine/run";
import type { BrokerlabIo, CommandFactory, SocketData } from "./socket";

const room = (runId: string) => `run:${runId}`;

const summary = (run: Run): RunSummary => ({ runId: run.id, scenario: run.scenario.name, status: run.status(), startedAt: run.startedAt() });

function findRun(engine: Engine, runId: string): Run {
  const run = engine.get(runId);
  if (!run) throw new AppError("NOT_FOUND", `There is no run "${runId}" (it may have finished long ago or the server restarted).`);
  return run;
}

/**
 * Broadcasts a run's frames to its room and its status to everyone (in a class: to the teacher and
 * the learner who started it), from the moment it exists.
 */
function broadcast(io: BrokerlabIo, run: Run, statusRooms?: string[]) {
  run.events.on("frame", (frame) => io.to(room(run.id)).emit("run:frame", frame));
  run.events.on("status", (status) => (statusRooms ? io.to(statusRooms) : io).emit("run:status", { runId: run.id, status }));
  void run.done().then((report) => io.to(room(run.id)).emit("run:report", report));
}

/**
 * Who asks, for the quotas (server/engine/quotas.ts): the learner when a classroom session put one
 * on the socket (`socket.data.identity`), else this one browser connection.
 */
function requesterOf(socket: Socket<ClientToServerEvents, ServerToClientEvents>): string {
  const identity = (socket.data as { identity?: { role?: unknown; learnerId?: unknown } } | undefined)?.identity;
  return identity?.role === "learner" && typeof identity.learnerId === "string" ? `learner:${identity.learnerId}` : `connection:${socket.id}`;
}

/** A refusal of the engine (RunError) as the error the browser gets, with its code. */
async function asAppError<T>(operation: () => T | Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RunError) throw new AppError(error.code, error.message, error.problems ? { problems: error.problems } : undefined);
    throw error;
  }
}

export function registerRunCommands(
  io: BrokerlabIo,
  socket: Socket<ClientToServerEvents, ServerToClientEvents>,
  engine: Engine,
  command: CommandFactory,
  classroom: Classroom = labClassroom(),
) {
  // Set at the handshake (socket.ts); a learner may use only the runs they started.
  const identity: Identity = (socket.data as Partial<SocketData> | undefined)?.identity ?? { role: "teacher" };
  const usableRun = (runId: string): Run => {
    classroom.assertRun(identity, runId);
    return findRun(engine, runId);
  };

  socket.on("run:start", command("run:start", async ({ scenario: input, durationSeconds, ownNames, lesson }) => {
    const result = typeof input === "string" ? parseScenarioText(input) : validateScenario(input);
    if (!result.ok) {
      const detail = result.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
      throw new AppError("INVALID_INPUT", `The scenario is not valid: ${detail}`, { problems: result.problems });
    }
    const named = ownNames ? isolateNames(result.scenario, ownNames) : undefined;
    // The run store keeps the learner who started the run, so their history outlives classroom.json's claims.
    const learner = identity.role === "learner" ? { owner: identity.learnerId } : {};
    const recordAs = lesson ? { origin: "lesson" as const, ...lesson, ...learner } : { origin: "lab" as const, ...learner };
    const options = { ...(durationSeconds ? { durationMs: durationSeconds * 1000 } : {}), ...(named ? { resourceNames: named.names } : {}), recordAs, requester: requesterOf(socket) };
    const run = await asAppError(() => engine.create(named?.scenario ?? result.scenario, options));
    // The owner is known at once (the write to disk follows), before any status is broadcast.
    const claimed = classroom.claimRun(identity, run.id);
    const owner = classroom.ownerOf(run.id);
    broadcast(io, run, classroom.mode === "classroom" ? ["teachers", ...(owner ? [`learner:${owner}`] : [])] : undefined);
    await claimed;
    await socket.join(room(run.id));
    await asAppError(() => run.start());
    return { runId: run.id };
  }));

  socket.on("run:subscribe", command("run:subscribe", async ({ runId }) => {
    const run = usableRun(runId);
    await socket.join(room(runId));
    // Any client allowed to watch the run (in a class: its owner and the teacher) sees the scenario without broker passwords.
    return { summary: summary(run), frame: run.latestFrame(), scenario: scenarioWithoutSecrets(run.scenario) };
  }));

  socket.on("run:unsubscribe", command("run:unsubscribe", async ({ runId }) => {
    classroom.assertRun(identity, runId);
    await socket.leave(room(runId));
    return null;
  }));

  socket.on("run:list", command("run:list", async () => engine.list().filter((run) => classroom.mayUseRun(identity, run.id)).map(summary)));

  socket.on("run:stop", command("run:stop", async ({ runId }) => usableRun(runId).stop("stopped from the browser")));

  socket.on("run:send", command("run:send", async ({ runId, service, producer, count, payload }) => {
    const run = usableRun(runId);
    if (run.status() !== "running") throw new AppError("CONFLICT", `The run is ${run.status()}; start it before sending messages.`);
    const target = run.scenario.services.find((s) => s.name === service);
    const known = target && (target.producers.some((p) => p.name === producer) || sendingParts(target).includes(producer));
    if (!known) throw new AppError("NOT_FOUND", `There is no producer "${producer}" in service "${service}" in this run.`);
    const sent = await asAppError(() => run.send(service, producer, count ?? 1, payload));
    if (sent === 0) throw new AppError("CONFLICT", `No replica of "${service}" is running to send from; start it first.`);
    return { sent };
  }));

  socket.on("run:message", command("run:message", async ({ runId, messageId }) => {
    const message = usableRun(runId).messages.get(messageId);
    if (!message) throw new AppError("NOT_FOUND", `Message "${messageId}" is not in the run's message log (the log keeps the most recent, sampled messages).`);
    return message;
  }));

  socket.on("run:fault", command("run:fault", async ({ runId, request }) => {
    const run = usableRun(runId);
    if (run.status() !== "running") throw new AppError("CONFLICT", `The run is ${run.status()}; faults apply to a running run.`);
    return run.applyFault(request);
  }));

  socket.on("run:replay", command("run:replay", async ({ runId, service, projection, from }) => {
    const run = usableRun(runId);
    if (run.status() !== "running") throw new AppError("CONFLICT", `The run is ${run.status()}; a replay needs a running run.`);
    const replaying = run.replay(service, projection, from ?? { offset: 0 });
    if (replaying === 0) throw new AppError("NOT_FOUND", `There is no running projection "${projection}" in service "${service}" in this run.`);
    return { replaying };
  }));
}
