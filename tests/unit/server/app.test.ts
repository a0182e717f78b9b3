// The assembled application on a real HTTP server (port 0) with real socket.io clients; the health
// monitor and the Next.js handler are fakes, so no broker is involved.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, describe, test } from "node:test";
import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { createApplication } from "../../../server/app";
import type { Application } from "../../../server/app";
import type { HealthMonitor, StatusListener } from "../../../server/health/monitor";
import { createTokenAuth } from "../../../server/http/auth";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import { serviceIds, serviceNames, type ServiceId, type ServiceStatus, type StackStatus } from "../../../lib/stack";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function stackStatus(rabbitmqUp: boolean): StackStatus {
  const checkedAt = new Date().toISOString();
  // Every service of the stack's list is up, RabbitMQ as told.
  const service = (id: ServiceId): ServiceStatus => ({ id, name: serviceNames[id], up: id === "rabbitmq" ? rabbitmqUp : true, url: "x", links: [], checkedAt });
  return { checkedAt, services: Object.fromEntries(serviceIds.map((id) => [id, service(id)])) as StackStatus["services"] };
}

function fakeMonitor(initial: StackStatus) {
  let latest = initial;
  const listeners = new Set<StatusListener>();
  const monitor: HealthMonitor = {
    start() {},
    async stop() {},
    async refresh() {
      return latest;
    },
    current: () => latest,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { monitor, change: (status: StackStatus) => ((latest = status), listeners.forEach((listener) => listener(status))) };
}

const servers: Array<{ http: Server; app: Application }> = [];
const clients: Client[] = [];

async function start(token?: string) {
  const http = createServer();
  const fake = fakeMonitor(stackStatus(true));
  const app = createApplication(http, {
    monitor: fake.monitor,
    auth: createTokenAuth(token),
    handleNext: async (_request, response) => void response.end("page"),
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  servers.push({ http, app });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const client = (options: Parameters<typeof connect>[1] = {}): Client => {
    const socket: Client = connect(base, { transports: ["websocket"], reconnection: false, ...options });
    clients.push(socket);
    return socket;
  };
  return { base, client, ...fake };
}

const once = <T>(register: (resolve: (value: T) => void) => void) => new Promise<T>(register);

afterEach(() => clients.splice(0).forEach((client) => client.close()));
after(async () => {
  for (const { http, app } of servers) {
    app.closeRealtime();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

describe("socket contract", () => {
  test("a new client receives the current status, then every change", async () => {
    const server = await start();
    const socket = server.client();
    const first = await once<StackStatus>((resolve) => socket.once("stack:status", resolve));
    assert.equal(first.services.rabbitmq.up, true);
    const next = once<StackStatus>((resolve) => socket.once("stack:status", resolve));
    server.change(stackStatus(false));
    assert.equal((await next).services.rabbitmq.up, false);
  });

  test("stack:refresh answers through the ack with { data }", async () => {
    const server = await start();
    const socket = server.client();
    const response: AckResponse<StackStatus> = await socket.timeout(2000).emitWithAck("stack:refresh", {});
    assert.ok("data" in response);
    assert.equal(response.data.services.kafka.up, true);
  });

  test("a payload that fails validation is answered with INVALID_INPUT", async () => {
    const server = await start();
    const socket = server.client();
    const response = await socket.timeout(2000).emitWithAck("stack:refresh", { unexpected: true } as never);
    assert.ok("error" in response);
    assert.equal(response.error.code, "INVALID_INPUT");
    assert.equal(response.error.retriable, false);
    assert.match(response.error.message, /unexpected/);
    assert.ok(response.error.problems?.length, "the problems list each bad field");
  });

  test("with a token set, a client without it is refused with UNAUTHORIZED", async () => {
    const server = await start("correct-horse-battery-staple");
    const refused = server.client();
    const error = await once<Error & { data?: { code?: string } }>((resolve) => refused.once("connect_error", resolve));
    assert.equal(error.data?.code, "UNAUTHORIZED");
    const accepted = server.client({ auth: { token: "correct-horse-battery-staple" } });
    await once<StackStatus>((resolve) => accepted.once("stack:status", resolve));
  });
});

describe("http", () => {
  test("GET /healthz reports ok and the stack in JSON", async () => {
    const server = await start();
    const response = await fetch(`${server.base}/healthz`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual((await response.json()).stack, Object.fromEntries(serviceIds.map((id) => [id, "up"])), "every service of the stack is listed, up");
  });

  test("pages go to Next.js", async () => {
    const server = await start();
    assert.equal(await (await fetch(`${server.base}/`)).text(), "page");
  });

  test("with a token set, pages need it: 401 without, a cookie and a clean URL with ?token=, Bearer works", async () => {
    const token = "correct-horse-battery-staple";
    const server = await start(token);
    assert.equal((await fetch(`${server.base}/`)).status, 401);
    assert.equal((await fetch(`${server.base}/?token=wrong-token-wrong-token`)).status, 401);
    assert.equal((await fetch(`${server.base}/healthz`)).status, 200, "/healthz stays public");

    const withQuery = await fetch(`${server.base}/lab?token=${token}&x=1`, { redirect: "manual" });
    assert.equal(withQuery.status, 303);
    assert.equal(withQuery.headers.get("location"), "/lab?x=1");
    const cookie = (withQuery.headers.get("set-cookie") ?? "").split(";")[0];
    assert.match(withQuery.headers.get("set-cookie") ?? "", /HttpOnly/);
    assert.equal((await fetch(`${server.base}/`, { headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${server.base}/`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  });
});
