// The fault proxy on real sockets (an echo server behind it): pass-through, latency with order
// kept, a bandwidth cap, resets, a cut that refuses new connections, and dropped bytes.
import assert from "node:assert/strict";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { createTcpProxy, passThrough, type TcpProxy } from "../../../server/faults/tcp-proxy";

let echo: Server;
let proxy: TcpProxy;
const clients: Socket[] = [];

before(async () => {
  echo = createServer((socket) => {
    socket.on("error", () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  proxy = await createTcpProxy({ targetHost: "127.0.0.1", targetPort: (echo.address() as { port: number }).port });
});

after(async () => {
  for (const client of clients) client.destroy();
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: proxy.port }, () => resolve(socket));
    socket.on("error", reject);
    clients.push(socket);
  });
}

/** Sends `text` and resolves with what comes back once `bytes` arrived, and how long it took. */
function roundTrip(socket: Socket, text: string, bytes = Buffer.byteLength(text)): Promise<{ data: string; ms: number }> {
  const started = Date.now();
  let data = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      data += chunk.toString();
      if (Buffer.byteLength(data) >= bytes) {
        socket.off("data", onData);
        resolve({ data, ms: Date.now() - started });
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(text);
  });
}

const closed = (socket: Socket) => new Promise<string>((resolve) => {
  socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  socket.once("close", () => resolve("closed"));
});

describe("the fault proxy", () => {
  it("passes bytes through untouched by default", async () => {
    const socket = await open();
    const { data, ms } = await roundTrip(socket, "hello");
    assert.equal(data, "hello");
    assert.ok(ms < 100);
    assert.deepEqual(proxy.conditions(), passThrough);
  });

  it("adds latency each way and keeps the order of chunks, jitter or not", async () => {
    proxy.setConditions({ ...passThrough, latencyMs: 60, jitterMs: 40 });
    const socket = await open();
    const expected = Array.from({ length: 20 }, (_, i) => `<${i}>`).join("");
    const started = Date.now();
    let data = "";
    const done = new Promise<void>((resolve) => socket.on("data", (chunk: Buffer) => { data += chunk.toString(); if (data.length >= expected.length) resolve(); }));
    for (let i = 0; i < 20; i++) socket.write(`<${i}>`);
    await done;
    assert.equal(data, expected, "order kept");
    assert.ok(Date.now() - started >= 40, "at least latency - jitter, both ways");
    proxy.setConditions({ ...passThrough, latencyMs: 100, jitterMs: 0 });
    const { ms } = await roundTrip(socket, "x");
    assert.ok(ms >= 195 && ms < 400, `100 ms each way: ${ms} ms round trip`);
    proxy.setConditions(passThrough);
  });

  it("delivers an answer held back by latency when the server closes right after it (HTTP without keep-alive)", { timeout: 5_000 }, async () => {
    const oneShot = createServer((socket) => socket.once("data", () => socket.end("answer")));
    await new Promise<void>((resolve) => oneShot.listen(0, "127.0.0.1", resolve));
    const shortLived = await createTcpProxy({ targetHost: "127.0.0.1", targetPort: (oneShot.address() as { port: number }).port });
    shortLived.setConditions({ ...passThrough, latencyMs: 50 });
    try {
      const socket = connect({ host: "127.0.0.1", port: shortLived.port });
      clients.push(socket);
      let data = "";
      socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
      const ended = new Promise((resolve) => socket.once("end", resolve));
      socket.write("question");
      await ended;
      assert.equal(data, "answer");
    } finally {
      await shortLived.close();
      await new Promise((resolve) => oneShot.close(resolve));
    }
  });

  it("caps bandwidth", async () => {
    proxy.setConditions({ ...passThrough, bytesPerSecond: 20_000 });
    const socket = await open();
    const { ms } = await roundTrip(socket, "b".repeat(10_000));
    // 10 kB at 20 kB/s takes half a second each way; the echo streams back while the rest goes up.
    assert.ok(ms >= 450 && ms < 2_000, `10 kB each way at 20 kB/s: ${ms} ms`);
    proxy.setConditions(passThrough);
  });

  it("resets open connections on request", async () => {
    const socket = await open();
    await roundTrip(socket, "ping");
    const ending = closed(socket);
    assert.ok(proxy.reset() >= 1);
    assert.equal(await ending, "ECONNRESET");
  });

  it("cut: open connections are reset and new ones refused until it ends", async () => {
    const socket = await open();
    const ending = closed(socket);
    proxy.setConditions({ ...passThrough, cut: true });
    assert.equal(await ending, "ECONNRESET");
    const refused = connect({ host: "127.0.0.1", port: proxy.port });
    clients.push(refused);
    assert.equal(await closed(refused), "ECONNRESET");
    proxy.setConditions(passThrough);
    assert.equal((await roundTrip(await open(), "back")).data, "back");
  });

  it("drop: bytes vanish while connections stay open; when it ends, the damaged ones are reset", async () => {
    const socket = await open();
    proxy.setConditions({ ...passThrough, drop: true });
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.write("lost");
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(received, "", "nothing came back");
    assert.equal(socket.destroyed, false, "the connection is still open");
    const ending = closed(socket);
    proxy.setConditions(passThrough);
    assert.equal(await ending, "ECONNRESET");
    assert.ok(proxy.stats().resets >= 3);
  });
});
