// The stack's probes without a stack: the Kafka ApiVersions parser on hand-made frames, a fake
// broker on port 0, and the answers for closed ports (down, with the reason, within 2 s).
import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Server } from "node:net";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../../../server/config";
import { parseApiVersionsResponse, probeJaeger, probeKafka, probeRabbitmq, withoutCredentials } from "../../../../server/health/probes";

const env = (values: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...values });

/** An ApiVersions v0 response frame listing the given API keys. */
function apiVersionsFrame(correlationId: number, apiKeys: number[], errorCode = 0): Buffer {
  const body = Buffer.alloc(4 + 2 + 4 + apiKeys.length * 6);
  body.writeInt32BE(correlationId, 0);
  body.writeInt16BE(errorCode, 4);
  body.writeInt32BE(apiKeys.length, 6);
  apiKeys.forEach((key, i) => {
    body.writeInt16BE(key, 10 + i * 6);
    body.writeInt16BE(0, 12 + i * 6);
    body.writeInt16BE(4, 14 + i * 6);
  });
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("parseApiVersionsResponse", () => {
  test("accepts a broker's answer and counts its APIs", () => {
    assert.equal(parseApiVersionsResponse(apiVersionsFrame(7, [0, 1, 3, 18]), 7), 4);
  });

  test("accepts UNSUPPORTED_VERSION, which brokers answer with their ranges", () => {
    assert.equal(parseApiVersionsResponse(apiVersionsFrame(7, [18], 35), 7), 1);
  });

  test("rejects another request's answer, an error, and garbage", () => {
    assert.throws(() => parseApiVersionsResponse(apiVersionsFrame(8, [18]), 7), /another request/);
    assert.throws(() => parseApiVersionsResponse(apiVersionsFrame(7, [18], 2), 7), /error code 2/);
    assert.throws(() => parseApiVersionsResponse(Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n"), 7), /malformed|short/);
  });
});

describe("withoutCredentials", () => {
  test("drops user and password", () => {
    assert.equal(withoutCredentials("amqp://guest:secret@127.0.0.1:5672"), "amqp://127.0.0.1:5672");
    assert.equal(withoutCredentials("http://me:pw@host:15672/"), "http://host:15672");
  });
});

describe("probes", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((server) => server.close()));

  test("probeKafka speaks ApiVersions to a broker", async () => {
    const server = createServer((socket) => {
      socket.once("data", (request: Buffer) => socket.end(apiVersionsFrame(request.readInt32BE(8), [0, 1, 18])));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const result = await probeKafka(loadConfig(env({ KAFKA_BROKERS: `127.0.0.1:${port}` })));
    assert.equal(result.up, true, result.detail);
    assert.equal(result.url, `127.0.0.1:${port}`);
  });

  test("probeKafka reports a port that answers something else as down", async () => {
    const server = createServer((socket) => socket.end("SSH-2.0-OpenSSH_9.2\r\n"));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const result = await probeKafka(loadConfig(env({ KAFKA_BROKERS: `127.0.0.1:${port}` })));
    assert.equal(result.up, false);
  });

  test("closed ports are down, with the reason, within the probe timeout", async () => {
    const port = await closedPort();
    const config = loadConfig(
      env({
        RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${port}`,
        RABBITMQ_MANAGEMENT_URL: `http://guest:guest@127.0.0.1:${port}`,
        KAFKA_BROKERS: `127.0.0.1:${port}`,
        JAEGER_QUERY_URL: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      }),
    );
    const started = Date.now();
    const results = await Promise.all([probeRabbitmq(config), probeKafka(config), probeJaeger(config)]);
    assert.ok(Date.now() - started < 2_500, "every probe gives up within about 2 s");
    for (const result of results) {
      assert.equal(result.up, false);
      assert.match(result.detail ?? "", /ECONNREFUSED/);
      assert.doesNotMatch(result.url, /guest/);
    }
  });
});
