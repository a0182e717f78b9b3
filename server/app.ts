// The composition root's assembly step: one HTTP server carries the Next.js pages, /healthz and
// socket.io. server/index.ts builds the components and hands them in.
import type { Server as HttpServer } from "node:http";
import type { HealthMonitor } from "./health/monitor";
import type { Engine } from "./engine/engine";
import type { TokenAuth } from "./http/auth";
import { createRequestHandler } from "./http/request-handler";
import type { NextRequestHandler } from "./http/request-handler";
import { attachRealtime } from "./realtime/socket";
import type { BrokerlabIo } from "./realtime/socket";

export interface ApplicationComponents {
  monitor: HealthMonitor;
  engine?: Engine;
  auth: TokenAuth;
  handleNext: NextRequestHandler;
}

export interface Application {
  io: BrokerlabIo;
  /** Disconnects the sockets; the caller then closes the HTTP server. */
  closeRealtime(): void;
}

export function createApplication(httpServer: HttpServer, components: ApplicationComponents): Application {
  const { monitor, engine, auth, handleNext } = components;
  httpServer.on("request", createRequestHandler({ auth, handleNext, stackStatus: () => monitor.current() }));
  const realtime = attachRealtime(httpServer, { monitor, engine, auth });
  return { io: realtime.io, closeRealtime: realtime.close };
}
