// The SQS/SNS/EventBridge endpoint without an emulator: its configuration, the ListQueues reply
// parser on hand-made bodies, the version in the Server header, the advice for an endpoint
// elsewhere, and fake HTTP servers on port 0 for what a wrong or silent endpoint looks like.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../../../server/config";
import { emulatorAuthorization, motoVersionFromServerHeader, parseListQueuesReply, probeMoto } from "../../../../server/health/moto-probe";
import { customEndpoints, fixFor } from "../../../../server/health/service-advice";
import { moto, motoPort } from "../../../../stack/services/moto";

const env = (values: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...values });

const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));

/** An HTTP server on a free port answering every request with `status`, `body` and `headers`; returns its URL. */
async function fakeEndpoint(status: number, body: string, headers: Record<string, string> = {}): Promise<{ url: string; requests: Array<{ headers: Record<string, unknown>; body: string }> }> {
  const requests: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((request, response) => {
    let received = "";
    request.on("data", (chunk: Buffer) => (received += chunk.toString()));
    request.on("end", () => {
      requests.push({ headers: request.headers, body: received });
      response.writeHead(status, headers).end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe("the AWS endpoint's configuration", () => {
  test("defaults to moto's server of the local stack on 4566, region us-east-1", () => {
    const config = loadConfig(env());
    assert.equal(config.AWS_ENDPOINT_URL, "http://127.0.0.1:4566");
    assert.equal(config.AWS_REGION, "us-east-1");
    assert.equal(motoPort(config), 4566);
    assert.equal(moto.isLocal(config), true);
    assert.deepEqual(moto.ports(config), [{ port: 4566, role: "moto server (SQS, SNS, EventBridge)" }]);
  });

  test("another port or host is followed: the stack starts moto there, or only probes an endpoint elsewhere", () => {
    assert.equal(motoPort(loadConfig(env({ AWS_ENDPOINT_URL: "http://localhost:4599" }))), 4599);
    const elsewhere = loadConfig(env({ AWS_ENDPOINT_URL: "https://sqs.eu-west-1.amazonaws.com", AWS_REGION: "eu-west-1" }));
    assert.equal(motoPort(elsewhere), 443);
    assert.equal(moto.isLocal(elsewhere), false);
    assert.equal(moto.endpoints(elsewhere), "https://sqs.eu-west-1.amazonaws.com  region eu-west-1");
  });

  test("a bad endpoint or region is refused, naming the variable", () => {
    for (const [values, variable, fragment] of [
      [{ AWS_ENDPOINT_URL: "127.0.0.1:4566" }, "AWS_ENDPOINT_URL", /must be a URL starting with http:\/\/ or https:\/\//],
      [{ AWS_REGION: "US_EAST" }, "AWS_REGION", /must be an AWS region such as us-east-1/],
    ] as const) {
      assert.throws(
        () => loadConfig(env(values)),
        (error: unknown) => error instanceof ConfigError && error.problems.some((line) => line.startsWith(variable) && fragment.test(line)),
      );
    }
  });

  test("the home page's fix names AWS_ENDPOINT_URL only when it points away from the local stack", () => {
    assert.deepEqual(customEndpoints("moto", loadConfig(env())), []);
    assert.deepEqual(fixFor("moto", loadConfig(env())), { command: "npm run stack:up -- moto" });
    const fix = fixFor("moto", loadConfig(env({ AWS_ENDPOINT_URL: "http://localstack.internal:4566" })));
    assert.equal(fix.command, "npm run stack:up -- moto");
    assert.match(fix.hint ?? "", /AWS_ENDPOINT_URL=http:\/\/localstack\.internal:4566/);
  });
});

describe("parseListQueuesReply", () => {
  test("counts the queues of a JSON ListQueues reply; none is an empty object", () => {
    assert.deepEqual(parseListQueuesReply(200, JSON.stringify({ QueueUrls: ["http://x/1/a", "http://x/1/b"] })), { kind: "queues", count: 2 });
    assert.deepEqual(parseListQueuesReply(200, "{}"), { kind: "queues", count: 0 });
  });

  test("an endpoint that is not SQS is an error saying what came back", () => {
    assert.throws(() => parseListQueuesReply(200, "<html>Jaeger</html>"), /HTTP 200 but not an SQS reply/);
    assert.throws(() => parseListQueuesReply(200, JSON.stringify({ QueueUrls: "one" })), /not an SQS ListQueues reply/);
    assert.throws(() => parseListQueuesReply(404, "Not Found"), /^Error: HTTP 404$/);
  });

  test("an AWS refusal to authenticate answers as SQS (JSON and XML); other AWS errors are errors with their code", () => {
    assert.deepEqual(parseListQueuesReply(400, JSON.stringify({ __type: "com.amazon.coral.service#UnrecognizedClientException", message: "bad token" })), { kind: "refused", code: "UnrecognizedClientException" });
    assert.deepEqual(parseListQueuesReply(403, "<ErrorResponse><Error><Code>MissingAuthenticationToken</Code><Message>no</Message></Error></ErrorResponse>"), { kind: "refused", code: "MissingAuthenticationToken" });
    assert.throws(() => parseListQueuesReply(500, JSON.stringify({ __type: "com.amazonaws.sqs#InternalError", message: "boom" })), /HTTP 500 InternalError: boom/);
  });
});

describe("moto's version and the emulator's region", () => {
  test("the version comes from the Server header the stack's launcher sets, and only from it", () => {
    assert.equal(motoVersionFromServerHeader("Moto/5.2.5 Werkzeug Python/3.11.7, amazon.com"), "5.2.5");
    assert.equal(motoVersionFromServerHeader("Werkzeug/3.1.3 Python/3.12.1"), undefined);
    assert.equal(motoVersionFromServerHeader(null), undefined);
  });

  test("the unsigned Authorization header carries the region and the sqs service in its credential scope", () => {
    assert.equal(
      emulatorAuthorization("eu-central-1", new Date("2026-12-06T12:00:00Z")),
      "AWS4-HMAC-SHA256 Credential=brokerlab/20261206/eu-central-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
    );
  });
});

describe("probeMoto against fake endpoints", () => {
  test("sends ListQueues in SQS's JSON protocol; an SQS answer is up with the queue count and version", async () => {
    const fake = await fakeEndpoint(200, JSON.stringify({ QueueUrls: ["http://127.0.0.1/1/q"] }), { server: "Moto/5.2.5 Werkzeug" });
    const result = await probeMoto(loadConfig(env({ AWS_ENDPOINT_URL: fake.url, AWS_REGION: "eu-west-1" })));
    assert.deepEqual(result, { up: true, url: fake.url, version: "5.2.5", detail: "SQS ListQueues answered (1 queue in eu-west-1)" });
    assert.equal(fake.requests[0].headers["x-amz-target"], "AmazonSQS.ListQueues");
    assert.equal(fake.requests[0].headers["content-type"], "application/x-amz-json-1.0");
    assert.match(String(fake.requests[0].headers.authorization), /\/eu-west-1\/sqs\/aws4_request/);
    assert.equal(fake.requests[0].body, "{}");
  });

  test("another web server on the port is down, naming the endpoint", async () => {
    const fake = await fakeEndpoint(200, "<!doctype html><title>not SQS</title>");
    const result = await probeMoto(loadConfig(env({ AWS_ENDPOINT_URL: fake.url })));
    assert.equal(result.up, false);
    assert.match(result.detail ?? "", new RegExp(`^SQS ${fake.url}: HTTP 200 but not an SQS reply`));
  });

  test("a closed port is down with ECONNREFUSED within the probe timeout", async () => {
    const fake = await fakeEndpoint(200, "{}");
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const result = await probeMoto(loadConfig(env({ AWS_ENDPOINT_URL: fake.url })));
    assert.ok(Date.now() - started < 2_500);
    assert.equal(result.up, false);
    assert.match(result.detail ?? "", /ECONNREFUSED/);
  });
});
