// socket.io wiring: checks the token (in classroom mode: the teacher's token or a learner's session
// cookie, whose identity every command then checks), sends the stack status on connection and broadcasts changes,
// and answers commands through the ack as { data } | { error } after validating their payloads.
import { Server } from "socket.io";
import type { z } from "zod";
import type { Server as HttpServer } from "node:http";
import { clientPayloadSchemas } from "../../lib/events";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../lib/events";
import { AppError, errorPayload, toErrorPayload } from "../../lib/errors";
import { inputShapeProblem } from "../../lib/input-bounds";
import { labClassroom, type Classroom, type Identity } from "../classroom/classroom";
import { createCommandLimit, rateLimitedPayload } from "../classroom/command-limit";
import type { HealthMonitor } from "../health/monitor";
import type { TokenAuth } from "../http/auth";
import type { OriginGuard } from "../http/origin-guard";
import type { Engine } from "../engine/engine";
import { registerLessonCommands } from "./lessons";
import { registerRunCommands } from "./runs";

/** Who the socket is, set at the handshake; `learnerId` also tells the quotas whose runs these are. */
export type SocketData = { identity: Identity; learnerId?: string };
export type BrokerlabIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

type CommandName = keyof ClientToServerEvents;
type CommandData<E extends CommandName> = Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;
/** A command's payload after validation (defaults applied). */
type CommandPayload<E extends CommandName> = z.output<(typeof clientPayloadSchemas)[E]>;
/** Wraps a command handler: validates the payload, answers through the ack as { data } | { error }. */
export type CommandFactory = <E extends CommandName>(event: E, run: (payload: CommandPayload<E>) => Promise<CommandData<E>>) => (payload: unknown, ack: unknown) => void;

export interface RealtimeComponents {
  monitor: HealthMonitor;
  engine?: Engine;
  auth: TokenAuth;
  guard: OriginGuard;
  /** Classroom mode: who the socket is comes from its session cookie; lab mode when absent. */
  classroom?: Classroom;
  log?: (message: string, error?: unknown) => void;
}

export interface Realtime {
  io: BrokerlabIo;
  /** Disconnects every client and stops accepting new ones; the HTTP server is closed separately. */
  close(): void;
}

export function attachRealtime(httpServer: HttpServer, components: RealtimeComponents): Realtime {
  const { monitor, auth } = components;
  const log = components.log ?? ((message, error) => console.error(`[socket] ${message}`, error ?? ""));
  // destroyUpgrade: false leaves other WebSocket upgrades (Next.js hot reload in dev) to Next.
  const io: BrokerlabIo = new Server(httpServer, {
    serveClient: false,
    destroyUpgrade: false,
    // Before the handshake, on polling and WebSocket alike: another site's page (its Origin) or a
    // rebound name (its Host) gets 403 with the reason in the body.
    allowRequest: (request, callback) => {
      const refusal = components.guard.refusal(request.headers.host, request.headers.origin);
      callback(refusal ?? null, refusal === undefined);
    },
  });

  const classroom = components.classroom ?? labClassroom();
  io.use((socket, next) => {
    if (classroom.mode === "lab") return next();
    // Never from the payloads: a learner is who their signed cookie says, whatever the browser sends later.
    const identified = classroom.identify(socket.request.headers, new URL(socket.request.url ?? "/", "http://brokerlab.invalid"), socket.handshake.auth.token);
    if (!identified.ok) {
      const error = new Error(identified.message) as Error & { data: unknown };
      error.data = { code: "UNAUTHORIZED" };
      return next(error);
    }
    socket.data.identity = identified.identity;
    if (identified.identity.role === "learner") socket.data.learnerId = identified.identity.learnerId;
    return next();
  });

  io.use((socket, next) => {
    socket.data.identity ??= { role: "teacher" };
    if (!auth.required || classroom.mode === "classroom") return next();
    const handshakeToken: unknown = socket.handshake.auth.token;
    const token =
      typeof handshakeToken === "string"
        ? handshakeToken
        : auth.fromRequest(socket.request.headers, new URL(socket.request.url ?? "/", "http://brokerlab.invalid")).token;
    if (auth.accepts(token)) return next();
    const error = new Error("A valid Brokerlab token is required.") as Error & { data: unknown };
    error.data = { code: "UNAUTHORIZED" };
    return next(error);
  });

  const command: CommandFactory = <E extends CommandName>(event: E, run: (payload: CommandPayload<E>) => Promise<CommandData<E>>) => {
    return (payload: unknown, ack: unknown): void => {
      if (typeof ack !== "function") return log(`${event} arrived without an ack; ignored`);
      const respond = ack as Ack<CommandData<E>>;
      // Bounded before zod walks it: a deeply nested payload would overflow its stack.
      const shape = inputShapeProblem(payload);
      if (shape) return respond({ error: errorPayload("INVALID_INPUT", `The ${event} payload ${shape}.`) });
      const parsed = clientPayloadSchemas[event].safeParse(payload ?? {});
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "payload", message: issue.message }));
        const message = problems.map((problem) => `${problem.path}: ${problem.message}`).join("; ");
        return respond({ error: errorPayload("INVALID_INPUT", message, problems) });
      }
      run(parsed.data as CommandPayload<E>).then(
        (data) => respond({ data }),
        (error: unknown) => {
          if (!(error instanceof AppError)) log(`${event} failed`, error);
          respond({ error: toErrorPayload(error) });
        },
      );
    };
  }

  const unsubscribe = monitor.onChange((status) => io.emit("stack:status", status));
  // One bucket per learner (all their tabs together), else per connection: a flood is refused
  // before its payloads are parsed, and everyone else's commands and runs carry on.
  const commandLimit = createCommandLimit();

  io.on("connection", (socket) => {
    const limitKey = socket.data.identity.role === "learner" ? `learner:${socket.data.identity.learnerId}` : `connection:${socket.id}`;
    socket.use(([, ...args], next) => {
      const wait = commandLimit.take(limitKey);
      if (wait === undefined) return next();
      const ack = args.at(-1);
      if (typeof ack === "function") (ack as Ack<never>)({ error: rateLimitedPayload("commands", wait) });
    });
    const current = monitor.current();
    if (current) socket.emit("stack:status", current);
    socket.on("stack:refresh", command("stack:refresh", () => monitor.refresh()));
    // Run status updates reach the teacher and the run's owner only (realtime/runs.ts).
    void socket.join(socket.data.identity.role === "learner" ? `learner:${socket.data.identity.learnerId}` : "teachers");
    if (components.engine) registerRunCommands(io, socket, components.engine, command, classroom);
    if (components.engine) registerLessonCommands(io, socket, components.engine, command, classroom);
    // An event outside the contract gets a clear answer instead of silence.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === "string" && Object.hasOwn(clientPayloadSchemas, event)) return;
      const ack = args.at(-1);
      const name = String(event).slice(0, 60);
      if (typeof ack === "function") (ack as Ack<never>)({ error: errorPayload("INVALID_INPUT", `Unknown event "${name}"; the events are: ${Object.keys(clientPayloadSchemas).join(", ")}.`) });
    });
  });

  return {
    io,
    close() {
      unsubscribe();
      // Closing the transports (rather than disconnecting each socket) lets browsers reconnect
      // on their own when the server comes back.
      io.engine.close();
    },
  };
}
