// Next.js as a request handler inside Brokerlab's own HTTP server (no `next start`).
import next from "next";
import type { Server as HttpServer } from "node:http";
import type { NextRequestHandler } from "./request-handler";

export interface NextHandlerOptions {
  dev: boolean;
  hostname: string;
  port: number;
  dir: string;
  httpServer: HttpServer;
}

export interface NextHandler {
  handleNext: NextRequestHandler;
  close(): Promise<void>;
}

/** With BROKERLAB_PAGES=off: no Next.js at all (no build, no compile); pages answer 404 saying why. */
export function withoutPages(): NextHandler {
  return {
    async handleNext(_request, response) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("This Brokerlab serves no pages (BROKERLAB_PAGES=off): the API, socket.io and /healthz answer.\n");
    },
    close: async () => {},
  };
}

export async function createNextHandler(options: NextHandlerOptions): Promise<NextHandler> {
  const app = next(options);
  await app.prepare();
  const handle = app.getRequestHandler();
  return { handleNext: (request, response) => handle(request, response), close: () => app.close() };
}
