// A real Brokerlab application (HTTP + socket.io) on port 0 around a given engine, for socket tests:
// no Next.js pages, a health monitor that reports nothing, and clients that are closed with it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../lib/events";
import { createApplication, type ApplicationComponents } from "../../server/app";
import type { Engine } from "../../server/engine/engine";
import type { HealthMonitor } from "../../server/health/monitor";
import { createTokenAuth } from "../../server/http/auth";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export const quietMonitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };

/** Emits a command and resolves its ack, whatever the payload's shape (bad payloads are the point of many tests). */
export function call<T>(client: Client, event: keyof ClientToServerEvents, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => (client.emit as (e: string, p: unknown, ack: (r: AckResponse<T>) => void) => void)(event, payload, resolve));
}

export async function startSocketServer(engine: Engine | undefined, components: Partial<ApplicationComponents> = {}) {
  const http = createServer();
  const app = createApplication(http, { monitor: quietMonitor, engine, auth: createTokenAuth(undefined), handleNext: async (_req, res) => void res.end("page"), ...components });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const clients: Client[] = [];
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    /** A new WebSocket client, closed by close(). */
    client(): Client {
      const socket: Client = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], forceNew: true });
      clients.push(socket);
      return socket;
    },
    /**
     * A client whose handshake carries `headers` (a session cookie, a bearer token); resolves once
     * connected, rejects with the refusal. `beforeConnect` sees the socket before any event arrives.
     * Closed by close().
     */
    connectWith(headers: Record<string, string>, beforeConnect?: (socket: Client) => void): Promise<Client> {
      const socket: Client = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], forceNew: true, extraHeaders: headers, reconnection: false });
      clients.push(socket);
      beforeConnect?.(socket);
      return new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(socket));
        socket.once("connect_error", reject);
      });
    },
    /** POST /api/classroom/join: the answer, its body, and the session cookie it set ("" when none). */
    async joinClass(code: string, name: string, headers: Record<string, string> = {}) {
      const response = await fetch(`http://127.0.0.1:${port}/api/classroom/join`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ code, name }) });
      const body = (await response.clone().json()) as { data?: { learnerId: string }; error?: { code: string; message: string } };
      return { response, body, cookie: response.headers.get("set-cookie")?.split(";")[0] ?? "" };
    },
    async close(): Promise<void> {
      for (const socket of clients) socket.disconnect();
      app.closeRealtime();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
