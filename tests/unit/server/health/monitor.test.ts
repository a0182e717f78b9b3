// The health monitor with fake probes: it tells listeners only about changes, gives the exact fix
// command for a service that is down, and only offers the Jaeger UI when the real UI answers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../../../server/config";
import { classifyJaegerUiPage } from "../../../../server/health/jaeger-ui";
import { createHealthMonitor } from "../../../../server/health/monitor";
import type { HealthMonitorOptions, ProbeResult } from "../../../../server/health/monitor";
import { jaegerUiMissingNote } from "../../../../server/health/service-advice";
import type { JaegerUiCheck } from "../../../../server/health/service-advice";
import type { ServiceId, StackStatus } from "../../../../lib/stack";
import { waitFor } from "../../../support/wait-for";

const env = (values: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...values });
const up = (url: string, version?: string): ProbeResult => ({ up: true, url, version });
const down = (url: string, detail: string): ProbeResult => ({ up: false, url, detail });

/** Fake probes whose answers a test changes at will, counting how often each is asked. */
function fakeStack(overrides: Partial<HealthMonitorOptions> = {}) {
  const answers: Record<ServiceId, ProbeResult> = {
    rabbitmq: up("amqp://guest:guest@127.0.0.1:5672", "4.1.0"),
    kafka: up("127.0.0.1:9092"),
    jaeger: up("http://127.0.0.1:16686"),
    moto: up("http://127.0.0.1:4566", "5.2.5"),
    pubsub: up("http://127.0.0.1:8085", "0.8.20"),
    redis: up("redis://127.0.0.1:6379", "7.0.15"),
  };
  const calls: Record<ServiceId, number> = { rabbitmq: 0, kafka: 0, jaeger: 0, moto: 0, pubsub: 0, redis: 0 };
  const uiChecks: string[] = [];
  let jaegerUi: JaegerUiCheck = { kind: "placeholder" };
  let clock = Date.parse("2025-01-01T10:00:00Z");
  const probe = (id: ServiceId) => async () => {
    calls[id] += 1;
    return answers[id];
  };
  const emitted: StackStatus[] = [];
  const monitor = createHealthMonitor({
    config: loadConfig(env()),
    probes: { rabbitmq: probe("rabbitmq"), kafka: probe("kafka"), jaeger: probe("jaeger"), moto: probe("moto"), pubsub: probe("pubsub"), redis: probe("redis") },
    checkJaegerUi: async (url) => {
      uiChecks.push(url);
      return jaegerUi;
    },
    intervalMs: 60_000,
    now: () => new Date((clock += 2000)),
    log: () => {},
    ...overrides,
  });
  monitor.onChange((status) => emitted.push(status));
  return { monitor, answers, calls, uiChecks, emitted, setJaegerUi: (check: JaegerUiCheck) => (jaegerUi = check) };
}

describe("health monitor", () => {
  test("tells listeners about the first status and then only about changes", async () => {
    const stack = fakeStack();
    await stack.monitor.refresh();
    await stack.monitor.refresh();
    assert.equal(stack.emitted.length, 1, "a second identical check (only checkedAt moved) is not news");
    assert.notEqual(stack.monitor.current()?.checkedAt, stack.emitted[0].checkedAt, "current() still has the latest check");

    stack.answers.rabbitmq = down("amqp://guest:guest@127.0.0.1:5672", "AMQP amqp://127.0.0.1:5672: ECONNREFUSED");
    await stack.monitor.refresh();
    assert.equal(stack.emitted.length, 2);
    assert.equal(stack.emitted[1].services.rabbitmq.up, false);
    assert.equal(stack.emitted[1].services.kafka.up, true);

    stack.answers.rabbitmq = up("amqp://guest:guest@127.0.0.1:5672", "4.1.0");
    await stack.monitor.refresh();
    assert.equal(stack.emitted.length, 3);
    assert.equal(stack.emitted[2].services.rabbitmq.fix, undefined, "a service that is up needs no fix");
  });

  test("a service that is down comes with the exact command that starts it", async () => {
    const stack = fakeStack();
    stack.answers.kafka = down("127.0.0.1:9092", "127.0.0.1:9092: ECONNREFUSED");
    const status = await stack.monitor.refresh();
    assert.deepEqual(status.services.kafka.fix, { command: "npm run stack:up -- kafka" });
    assert.equal(status.services.kafka.detail, "127.0.0.1:9092: connection refused (ECONNREFUSED)", "system error codes come with plain words");
    assert.equal(status.services.kafka.name, "Kafka");
  });

  test("URLs are shown without credentials", async () => {
    const status = await fakeStack().monitor.refresh();
    assert.equal(status.services.rabbitmq.url, "amqp://127.0.0.1:5672");
    const management = status.services.rabbitmq.links[0];
    assert.equal(management.url, "http://127.0.0.1:15672");
    assert.equal(management.available, true);
    assert.doesNotMatch(JSON.stringify(status), /guest:guest/);
  });

  test("an endpoint outside the local stack adds a hint naming its variable", async () => {
    const config = loadConfig(env({ RABBITMQ_URL: "amqp://app:secret@rabbit.example:5672", KAFKA_BROKERS: "127.0.0.1:9092" }));
    const stack = fakeStack({ config });
    stack.answers.rabbitmq = down("amqp://rabbit.example:5672", "ENOTFOUND");
    stack.answers.kafka = down("127.0.0.1:9092", "ECONNREFUSED");
    const status = await stack.monitor.refresh();
    const fix = status.services.rabbitmq.fix;
    assert.equal(fix?.command, "npm run stack:up -- rabbitmq");
    assert.match(fix?.hint ?? "", /RABBITMQ_URL=amqp:\/\/rabbit\.example:5672/);
    assert.match(fix?.hint ?? "", /unset RABBITMQ_URL/);
    assert.doesNotMatch(fix?.hint ?? "", /secret/);
    assert.equal(status.services.kafka.fix?.hint, undefined, "the local default gets no hint");
  });

  test("the Jaeger UI is offered only when the real UI answers", async () => {
    const stack = fakeStack({ jaegerUiRecheckMs: 0 });
    let [link] = (await stack.monitor.refresh()).services.jaeger.links;
    assert.equal(link.available, false);
    assert.equal(link.note, jaegerUiMissingNote);
    assert.deepEqual(stack.uiChecks, ["http://127.0.0.1:16686"]);

    stack.setJaegerUi({ kind: "ui" });
    [link] = (await stack.monitor.refresh()).services.jaeger.links;
    assert.deepEqual(link, { label: "Jaeger UI", url: "http://127.0.0.1:16686", available: true });

    stack.answers.jaeger = down("http://127.0.0.1:16686", "ECONNREFUSED");
    const checksBefore = stack.uiChecks.length;
    [link] = (await stack.monitor.refresh()).services.jaeger.links;
    assert.equal(link.available, false);
    assert.equal(stack.uiChecks.length, checksBefore, "no UI check while Jaeger is down");
  });

  test("the Jaeger UI check is cached while Jaeger stays up", async () => {
    const stack = fakeStack({ jaegerUiRecheckMs: 60_000 });
    await stack.monitor.refresh();
    await stack.monitor.refresh();
    assert.equal(stack.uiChecks.length, 1);
  });

  test("concurrent refreshes share one round of probes", async () => {
    const stack = fakeStack();
    const [a, b] = await Promise.all([stack.monitor.refresh(), stack.monitor.refresh()]);
    assert.equal(a, b);
    assert.deepEqual(stack.calls, { rabbitmq: 1, kafka: 1, jaeger: 1, moto: 1, pubsub: 1, redis: 1 });
  });

  test("a probe that throws reads as down instead of failing the check", async () => {
    const stack = fakeStack({
      probes: {
        rabbitmq: async () => up("amqp://127.0.0.1:5672"),
        kafka: async () => {
          throw new Error("socket exploded");
        },
        jaeger: async () => up("http://127.0.0.1:16686"),
        moto: async () => up("http://127.0.0.1:4566"),
        pubsub: async () => up("http://127.0.0.1:8085"),
        redis: async () => up("redis://127.0.0.1:6379"),
      },
    });
    const status = await stack.monitor.refresh();
    assert.equal(status.services.kafka.up, false);
    assert.equal(status.services.kafka.detail, "socket exploded");
    assert.equal(status.services.kafka.fix?.command, "npm run stack:up -- kafka");
  });

  test("a failing listener does not stop the others", async () => {
    const stack = fakeStack();
    stack.monitor.onChange(() => {
      throw new Error("listener bug");
    });
    const seen: StackStatus[] = [];
    stack.monitor.onChange((status) => seen.push(status));
    await stack.monitor.refresh();
    assert.equal(seen.length, 1);
    assert.equal(stack.emitted.length, 1);
  });

  test("start() polls until stop()", async () => {
    const stack = fakeStack({ intervalMs: 5 });
    stack.monitor.start();
    await waitFor(() => stack.calls.rabbitmq >= 3, { timeoutMs: 2000, description: "three polls" });
    await stack.monitor.stop();
    const calls = stack.calls.rabbitmq;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(stack.calls.rabbitmq, calls, "no poll after stop()");
  });
});

describe("Jaeger UI page", () => {
  test("the placeholder of a build without the UI is recognised", () => {
    const placeholder = `<!DOCTYPE html><html lang="en"><meta charset="UTF-8"><base href="/" data-inject-target="BASE_URL"/>
      <title>Test Page</title><body><h1>This is not the Jaeger UI you are looking for!</h1>
      <p>This is a placeholder for the Jaeger UI home page.</p></body></html>`;
    assert.deepEqual(classifyJaegerUiPage(placeholder), { kind: "placeholder" });
  });

  test("the real UI, which loads its script bundle, is recognised", () => {
    const ui = `<!doctype html><html lang="en"><head><title>Jaeger UI</title>
      <script type="module" crossorigin src="./static/index-DkV1x3fP.js"></script></head><body><div id="jaeger-ui-root"></div></body></html>`;
    assert.deepEqual(classifyJaegerUiPage(ui), { kind: "ui" });
  });
});
