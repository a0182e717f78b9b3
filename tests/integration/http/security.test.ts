// Other sites stay out, in every mode: a foreign Host (DNS rebinding) or Origin (another site's page)
// is refused on pages, the API, /healthz and the socket.io handshake; malformed escapes answer at once.
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { Server } from "node:http";
import { connect as tcpConnect, type AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { io as connect } from "socket.io-client";
import { createApplication } from "../../../server/app";
import type { Application } from "../../../server/app";
import type { HealthMonitor } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";

const monitor: HealthMonitor = { start() {}, async stop() {}, refresh: async () => { throw new Error("not used"); }, current: () => undefined, onChange: () => () => {} };
const servers: { http: Server; app: Application }[] = [];
const token = "a-token-of-at-least-16-chars";

async function start(options: { token?: string; allowedHosts?: string[] } = {}): Promise<number> {
  const http = createServer();
  const app = createApplication(http, { monitor, auth: createTokenAuth(options.token), allowedHosts: options.allowedHosts, handleNext: async (_request, response) => void response.end("page") });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  servers.push({ http, app });
  return (http.address() as AddressInfo).port;
}

after(async () => {
  for (const { http, app } of servers) {
    app.closeRealtime();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

/** A request with any Host and Origin (fetch would not let a test set Host). */
function send(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host: `127.0.0.1:${port}`, ...headers }, timeout: 10_000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, ms: Date.now() - started }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** Resolves "connected" or the connect_error's message; the socket is closed either way. */
function handshake(port: number, options: { origin?: string; cookie?: string; transport: "websocket" | "polling" }): Promise<string> {
  const headers: Record<string, string> = { ...(options.origin ? { origin: options.origin } : {}), ...(options.cookie ? { cookie: options.cookie } : {}) };
  const socket = connect(`http://127.0.0.1:${port}`, { transports: [options.transport], forceNew: true, reconnection: false, extraHeaders: headers, timeout: 5_000 });
  return new Promise((resolve) => {
    socket.on("connect", () => (socket.disconnect(), resolve("connected")));
    socket.on("connect_error", (error) => (socket.disconnect(), resolve(error.message)));
  });
}

const pollingPath = "/socket.io/?EIO=4&transport=polling";

describe("Host and Origin, in every mode", () => {
  for (const mode of ["without a token", "with a token"] as const) {
    it(`${mode}: a foreign Host is refused everywhere with 403 and what to set`, async () => {
      const port = await start(mode === "with a token" ? { token } : {});
      const auth: Record<string, string> = mode === "with a token" ? { authorization: `Bearer ${token}` } : {};
      for (const path of ["/", "/healthz", "/api/examples", pollingPath]) {
        const refused = await send(port, path, { host: `evil.example:${port}`, ...auth });
        assert.equal(refused.status, 403, `${path}: ${refused.body}`);
        assert.match(refused.body, /does not answer requests for the host \\?"evil\.example:\d+\\?".*BROKERLAB_ALLOWED_HOSTS/, path);
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) assert.equal((await send(port, "/healthz", { host })).status, 200, host);
    });

    it(`${mode}: another site's page is refused on HTTP and on the socket; Brokerlab's own page is not`, async () => {
      const port = await start(mode === "with a token" ? { token } : {});
      const cookie = mode === "with a token" ? `brokerlab_token=${token}` : undefined;
      const page = await send(port, "/api/examples", { origin: "http://evil.example", ...(cookie ? { cookie } : {}) });
      assert.equal(page.status, 403);
      assert.equal(JSON.parse(page.body).error.code, "FORBIDDEN");
      const polling = await send(port, pollingPath, { origin: "http://evil.example" });
      assert.equal(polling.status, 403);
      assert.match(JSON.parse(polling.body).message, /refuses requests from the page at "http:\/\/evil\.example"/);
      for (const transport of ["websocket", "polling"] as const) {
        assert.notEqual(await handshake(port, { origin: "http://evil.example", transport, cookie }), "connected", transport);
        assert.equal(await handshake(port, { origin: `http://localhost:${port}`, transport, cookie }), "connected", transport);
        assert.equal(await handshake(port, { transport, cookie }), "connected", `${transport} without Origin (a script)`);
      }
      assert.equal((await send(port, "/healthz", { origin: `http://127.0.0.1:${port}` })).status, 200);
    });
  }

  it("a WebSocket upgrade outside socket.io (Next.js hot reload) from a foreign Host is refused too", async () => {
    const port = await start();
    const answer = await new Promise<string>((resolve, reject) => {
      let text = "";
      const socket = tcpConnect(port, "127.0.0.1", () => socket.write(`GET /_next/webpack-hmr HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`));
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer within 5 s; got: ${text}`)));
    });
    assert.match(answer, /^HTTP\/1\.1 403 Forbidden/);
    assert.match(answer, /does not answer requests for the host "evil\.example:\d+"/);
  });

  it("BROKERLAB_ALLOWED_HOSTS admits a reverse proxy's name", async () => {
    const port = await start({ allowedHosts: ["lab.example.com"] });
    assert.equal((await send(port, "/healthz", { host: "lab.example.com", origin: "https://lab.example.com" })).status, 200);
    assert.equal((await send(port, "/healthz", { host: "other.example.com" })).status, 403);
  });
});

describe("malformed input answers at once", () => {
  it("POST /api/scenarios/validate answers problems for a billion laughs and deep nesting, not 500", async () => {
    const base = `http://127.0.0.1:${await start()}`;
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", ...["b", "c", "d", "e", "f"].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`)].join("\n");
    for (const [text, message] of [[laughs, /YAML aliases \(\*name\) too often/], [`${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, /nested too deep to read/], [`${'{"a":'.repeat(100)}1${"}".repeat(100)}`, /nested more than 64 levels deep/]] as const) {
      const response = await fetch(`${base}/api/scenarios/validate`, { method: "POST", body: text });
      assert.equal(response.status, 200);
      const { data } = (await response.json()) as { data: { ok: boolean; problems: { message: string }[] } };
      assert.equal(data.ok, false);
      assert.match(data.problems[0]!.message, message);
    }
  });


  it("GET /api/traces/%E0%A4%A is 400 INVALID_INPUT, not 500", async () => {
    const port = await start();
    const answer = await send(port, "/api/traces/%E0%A4%A");
    assert.equal(answer.status, 400, answer.body);
    const error = JSON.parse(answer.body).error;
    assert.equal(error.code, "INVALID_INPUT");
    assert.match(error.message, /is not a valid URL path segment \(a malformed %-escape\)/);
  });

  it("a malformed token cookie is a 401 within a second, on HTTP and the socket handshake", async () => {
    const port = await start({ token });
    const cookie = "brokerlab_token=%E0%A4%A";
    const api = await send(port, "/api/examples", { cookie });
    assert.equal(api.status, 401, api.body);
    assert.equal(JSON.parse(api.body).error.code, "UNAUTHORIZED");
    assert.ok(api.ms < 1_000, `answered after ${api.ms} ms`);
    assert.equal((await send(port, "/", { cookie })).status, 401);
    const started = Date.now();
    assert.match(await handshake(port, { cookie, transport: "websocket" }), /A valid Brokerlab token is required/);
    assert.ok(Date.now() - started < 2_000, `the handshake answered after ${Date.now() - started} ms`);
  });
});
