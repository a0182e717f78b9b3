// Configuration parsing: defaults for the local stack, and a message naming the variable for every bad value.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../../server/config";

/** An environment with only the given variables (NODE_ENV is required by Next.js's typing of process.env). */
const env = (values: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...values });

function problemsOf(values: Record<string, string>): string[] {
  try {
    loadConfig(env(values));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected the configuration to be rejected");
}

function assertRejects(values: Record<string, string>, variable: string, fragment?: RegExp): void {
  const problems = problemsOf(values);
  const problem = problems.find((line) => line.startsWith(`${variable}`));
  assert.ok(problem, `expected a problem naming ${variable}, got: ${problems.join(" | ")}`);
  if (fragment) assert.match(problem, fragment);
}

describe("loadConfig", () => {
  test("an empty environment gives the local stack's defaults", () => {
    const config = loadConfig(env({}));
    assert.equal(config.HOST, "127.0.0.1");
    assert.equal(config.PORT, 3000);
    assert.equal(config.RABBITMQ_URL, "amqp://guest:guest@127.0.0.1:5672");
    assert.equal(config.RABBITMQ_MANAGEMENT_URL, "http://guest:guest@127.0.0.1:15672");
    assert.deepEqual(config.KAFKA_BROKERS, ["127.0.0.1:9092"]);
    assert.equal(config.OTEL_EXPORTER_OTLP_ENDPOINT, "http://127.0.0.1:4318");
    assert.equal(config.JAEGER_QUERY_URL, "http://127.0.0.1:16686");
    assert.equal(config.JAEGER_UI_URL, config.JAEGER_QUERY_URL, "the UI defaults to the query URL");
    assert.equal(config.BROKERLAB_TOKEN, undefined);
    assert.equal(config.BROKERLAB_TRACING, "on");
    assert.equal(config.BROKERLAB_TRACE_LIMIT, 1_000);
    assert.equal(config.BROKERLAB_LINK_PROXIES, "on");
  });

  test("the trace limit and link proxies are read, and bad values are named", () => {
    const config = loadConfig(env({ BROKERLAB_TRACE_LIMIT: "0", BROKERLAB_LINK_PROXIES: "off" }));
    assert.equal(config.BROKERLAB_TRACE_LIMIT, 0);
    assert.equal(config.BROKERLAB_LINK_PROXIES, "off");
    assertRejects({ BROKERLAB_TRACE_LIMIT: "-5" }, "BROKERLAB_TRACE_LIMIT", /0 \(no limit\) or more/);
    assertRejects({ BROKERLAB_TRACE_LIMIT: "2.5" }, "BROKERLAB_TRACE_LIMIT", /whole number/);
    assertRejects({ BROKERLAB_LINK_PROXIES: "maybe" }, "BROKERLAB_LINK_PROXIES");
  });

  test("run limits and what is kept default to 8 runs, 64 processes, 20 ended runs, 100 directories or a day; bad values are named", () => {
    const defaults = loadConfig(env({}));
    assert.deepEqual(
      [defaults.BROKERLAB_MAX_RUNS, defaults.BROKERLAB_MAX_SERVICE_PROCESSES, defaults.BROKERLAB_KEEP_FINISHED_RUNS, defaults.BROKERLAB_KEEP_RUN_DIRS, defaults.BROKERLAB_RUN_DIR_MAX_AGE_HOURS, defaults.BROKERLAB_PAGES],
      [8, 64, 20, 100, 24, "on"],
    );
    const config = loadConfig(env({ BROKERLAB_MAX_RUNS: "2", BROKERLAB_KEEP_RUN_DIRS: "0", BROKERLAB_RUN_DIR_MAX_AGE_HOURS: "0.5", BROKERLAB_PAGES: "off" }));
    assert.deepEqual([config.BROKERLAB_MAX_RUNS, config.BROKERLAB_KEEP_RUN_DIRS, config.BROKERLAB_RUN_DIR_MAX_AGE_HOURS, config.BROKERLAB_PAGES], [2, 0, 0.5, "off"]);
    assertRejects({ BROKERLAB_MAX_RUNS: "0" }, "BROKERLAB_MAX_RUNS", /1 or more/);
    assertRejects({ BROKERLAB_MAX_SERVICE_PROCESSES: "many" }, "BROKERLAB_MAX_SERVICE_PROCESSES", /whole number/);
    assertRejects({ BROKERLAB_KEEP_FINISHED_RUNS: "-1" }, "BROKERLAB_KEEP_FINISHED_RUNS", /0 or more/);
    assertRejects({ BROKERLAB_RUN_DIR_MAX_AGE_HOURS: "-2" }, "BROKERLAB_RUN_DIR_MAX_AGE_HOURS", /0 or more/);
  });

  test("empty strings count as unset", () => {
    assert.equal(loadConfig(env({ PORT: "", KAFKA_BROKERS: "" })).PORT, 3000);
  });

  test("valid values are taken, with KAFKA_BROKERS split on commas", () => {
    const config = loadConfig(
      env({
        PORT: "3100",
        KAFKA_BROKERS: "kafka-1:9092, kafka-2:9093",
        RABBITMQ_URL: "amqps://user:secret@rabbit.example:5671/vhost",
        HOST: "0.0.0.0",
        BROKERLAB_TOKEN: "a-token-of-sixteen-chars",
      }),
    );
    assert.equal(config.PORT, 3100);
    assert.deepEqual(config.KAFKA_BROKERS, ["kafka-1:9092", "kafka-2:9093"]);
    assert.equal(config.HOST, "0.0.0.0");
  });

  test("PORT must be a port number", () => {
    assertRejects({ PORT: "web" }, "PORT", /"web"/);
    assertRejects({ PORT: "70000" }, "PORT", /65535/);
    assertRejects({ PORT: "30.5" }, "PORT");
  });

  test("RABBITMQ_URL must be an amqp:// or amqps:// URL", () => {
    assertRejects({ RABBITMQ_URL: "http://127.0.0.1:5672" }, "RABBITMQ_URL", /amqp:\/\//);
    assertRejects({ RABBITMQ_URL: "not a url" }, "RABBITMQ_URL");
  });

  test("KAFKA_BROKERS must list host:port pairs", () => {
    assertRejects({ KAFKA_BROKERS: "localhost" }, "KAFKA_BROKERS", /host:port/);
    assertRejects({ KAFKA_BROKERS: "127.0.0.1:9092,kafka://x:1" }, "KAFKA_BROKERS");
    assertRejects({ KAFKA_BROKERS: " , " }, "KAFKA_BROKERS", /at least one/);
  });

  test("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL", () => {
    assertRejects({ OTEL_EXPORTER_OTLP_ENDPOINT: "127.0.0.1:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT", /http:\/\//);
    assertRejects({ OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://127.0.0.1:4317" }, "OTEL_EXPORTER_OTLP_ENDPOINT");
  });

  test("a HOST beyond loopback needs a token, and the message says so", () => {
    assertRejects({ HOST: "0.0.0.0" }, "BROKERLAB_TOKEN", /HOST=0\.0\.0\.0/);
    assertRejects({ HOST: "0.0.0.0", BROKERLAB_TOKEN: "short" }, "BROKERLAB_TOKEN", /16/);
    assert.equal(loadConfig(env({ HOST: "localhost" })).HOST, "localhost");
  });

  test("every bad variable is reported at once, and the message lists them", () => {
    const problems = problemsOf({ PORT: "-1", BROKERLAB_TRACING: "maybe", JAEGER_QUERY_URL: "ftp://x" });
    for (const name of ["PORT", "BROKERLAB_TRACING", "JAEGER_QUERY_URL"]) {
      assert.ok(problems.some((line) => line.startsWith(name)), `${name} missing from ${problems.join(" | ")}`);
    }
    assert.throws(() => loadConfig(env({ PORT: "-1" })), (error: Error) => error.message.includes("PORT"));
  });
});
