// Model traces on every broker, read back from Jaeger and graded by the trace grader: a producer
// and a consumer process per broker (RabbitMQ through a named exchange and through the default
// one, Kafka, Amazon SQS) in parent and in link propagation. The message's traces must grade clean
// and hold the spans of the model: send, process as its child (parent mode) or linked to it, and the
// settle span (ack, delete) or, on Kafka, a commit span linked to the message.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { CreateQueueCommand, DeleteQueueCommand } from "@aws-sdk/client-sqs";
import type { ServiceLaunch } from "../../../lib/run/ipc";
import { withDerivedResources } from "../../../lib/scenario/derived";
import { validateScenario } from "../../../lib/scenario/validate";
import { gradeTrace } from "../../../lib/trace/grade-trace";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createAwsClients } from "../../../server/brokers/aws/clients";
import { createJaegerQueryClient } from "../../../server/jaeger/query-client";
import type { JaegerTrace } from "../../../server/jaeger/query-client";
import { jaegerQueryUrl } from "../../support/jaeger-traces";
import { forkService, launchFor } from "../../support/service-process";
import type { ForkedService } from "../../support/service-process";
import type { ServiceInput } from "../../support/service-input";
import { waitFor } from "../../support/wait-for";

const rabbit = createRabbitAdmin({ url: process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672", managementUrl: process.env.RABBITMQ_MANAGEMENT_URL ?? "http://guest:guest@127.0.0.1:15672" });
const kafka = createKafkaAdmin({ brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","), clientId: "brokerlab-test" });
const awsEndpoint = { endpoint: process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4566", region: process.env.AWS_REGION ?? "us-east-1" };
const sqs = createAwsClients(awsEndpoint);
const jaeger = createJaegerQueryClient({ baseUrl: jaegerQueryUrl() });
const cleanups: (() => Promise<unknown>)[] = [];
const running: ForkedService[] = [];

after(async () => {
  for (const service of running) service.kill();
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await rabbit.close();
  await kafka.close();
  sqs.destroy();
});

type Mode = "parent" | "link";
interface Case {
  broker: "rabbit" | "kafka" | "aws";
  /** Declares what the case needs; the producer's `to`, the consumer's `from`, and the span names expected. */
  declare(id: string): Promise<{ to: Record<string, unknown>; from: Record<string, unknown>; send: string; process: string; settle?: string }>;
}

/** Resources validated and derived as a run's are (a scenario lists a service, so one reads them). */
async function declareScenario(broker: string, kind: string, resources: Record<string, unknown>, from: Record<string, unknown>) {
  const services = [{ name: "reader", consumers: [{ name: "read", broker, from }] }];
  const result = validateScenario({ version: 1, name: "model-traces", brokers: { [broker]: { kind } }, resources: { [broker]: resources }, services });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return withDerivedResources(result.scenario).resources;
}

const rabbitCase = (exchange: boolean): Case => ({
  broker: "rabbit",
  async declare(id) {
    const queue = `bl-it-model-${id}`;
    const x = `bl-it-model-x-${id}`;
    const resources = (await declareScenario("rabbit", "rabbitmq", {
      exchanges: exchange ? [{ name: x, type: "direct" }] : [], queues: [{ name: queue }], bindings: exchange ? [{ exchange: x, queue, routingKey: "order.created" }] : [],
    }, { queue })).rabbit!;
    if (resources.kind !== "rabbitmq") throw new Error("not RabbitMQ resources");
    await rabbit.apply(resources);
    cleanups.push(() => rabbit.teardown(resources));
    const consumedAt = exchange ? `${x}:order.created:${queue}` : queue;
    return {
      to: exchange ? { exchange: x, routingKey: "order.created" } : { queue }, from: { queue },
      send: `send ${exchange ? `${x}:order.created` : queue}`, process: `process ${consumedAt}`, settle: `ack ${consumedAt}`,
    };
  },
});

const kafkaCase: Case = {
  broker: "kafka",
  async declare(id) {
    const topic = `bl-it-model-${id}`;
    const resources = (await declareScenario("kafka", "kafka", { topics: [{ name: topic, partitions: 1 }] }, { topic, group: `model-${id}` })).kafka!;
    if (resources.kind !== "kafka") throw new Error("not Kafka resources");
    await kafka.apply(resources.topics);
    cleanups.push(() => kafka.teardown(resources.topics));
    return { to: { topic }, from: { topic, group: `model-${id}`, fromBeginning: true }, send: `send ${topic}`, process: `process ${topic}` };
  },
};

const sqsCase: Case = {
  broker: "aws",
  async declare(id) {
    const queue = `bl-it-model-${id}`;
    const { QueueUrl } = await sqs.sqs.send(new CreateQueueCommand({ QueueName: queue }));
    cleanups.push(() => sqs.sqs.send(new DeleteQueueCommand({ QueueUrl })));
    return { to: { queue }, from: { queue, waitSeconds: 1 }, send: `send ${queue}`, process: `process ${queue}`, settle: `delete ${queue}` };
  },
};

function start(runId: string, service: ServiceInput, mode: Mode): ForkedService {
  const launch: ServiceLaunch = launchFor({ runId, service, propagation: mode });
  launch.brokers = { ...launch.brokers, aws: { kind: "aws", ...awsEndpoint } };
  launch.resources = { aws: { kind: "aws", queues: [], topics: [], subscriptions: [], buses: [], rules: [] } } as ServiceLaunch["resources"];
  const forked = forkService(launch);
  running.push(forked);
  return forked;
}

const names = (trace: JaegerTrace) => trace.spans.map((s) => s.operationName);
const spanNamed = (trace: JaegerTrace, name: string) => trace.spans.find((s) => s.operationName === name);

/** The trace once it holds every span named in `want`. */
const traceHolding = (traceId: string, want: string[]) => waitFor(async () => {
  const trace = await jaeger.trace(traceId);
  return trace && want.every((name) => names(trace).includes(name)) ? trace : undefined;
}, { timeoutMs: 25_000, intervalMs: 500, description: `trace ${traceId} in Jaeger with ${want.join(", ")}` });

function assertClean(trace: JaegerTrace): void {
  const grade = gradeTrace(trace);
  assert.ok(grade.messagingSpans > 0, "the trace holds messaging spans");
  assert.deepEqual(grade.issues.map((i) => `${i.rule} on "${i.span}": ${i.detail}`), [], `trace ${trace.traceID} (${names(trace).join(", ")}) grades clean`);
}

async function runCase(label: string, model: Case, mode: Mode): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const runId = `it-${id}`;
  const { to, from, send, process, settle } = await model.declare(id);
  const consumer = start(runId, { name: `model-consumer-${id}`, consumers: [{ name: "work", broker: model.broker, from, ack: "manual" }] } as ServiceInput, mode);
  await consumer.until(() => consumer.messages.some((m) => m.type === "ready"), `${label}: the consumer to be ready`, 40_000);
  const producer = start(runId, { name: `model-producer-${id}`, producers: [{ name: "orders", broker: model.broker, to, rate: { burst: 3 }, count: 3, payload: { orderId: "{{seq}}" } }] } as ServiceInput, mode);
  const published = await producer.until(() => producer.events.find((e) => e.kind === "published" && e.traceId), `${label}: a published event`, 30_000);
  const delivered = await consumer.until(() => consumer.events.find((e) => e.kind === "delivered" && e.id === published.id && e.traceId), `${label}: its delivery`, 30_000);
  await consumer.until(() => (consumer.consumer("work")?.acked ?? 0) >= 3, `${label}: three messages acked`, 30_000);

  const consumerSide = [process, ...(settle ? [settle] : [])];
  if (mode === "parent") {
    assert.equal(delivered.traceId, published.traceId, "parent mode: one trace");
    const trace = await traceHolding(published.traceId!, [send, ...consumerSide]);
    const sent = spanNamed(trace, send)!;
    const processed = spanNamed(trace, process)!;
    assert.ok(processed.references.some((r) => r.refType === "CHILD_OF" && r.spanID === sent.spanID), "process is the send span's child");
    assertClean(trace);
  } else {
    assert.notEqual(delivered.traceId, published.traceId, "link mode: the consumer starts its own trace");
    const producerTrace = await traceHolding(published.traceId!, [send]);
    const consumerTrace = await traceHolding(delivered.traceId!, consumerSide);
    const sent = spanNamed(producerTrace, send)!;
    const processed = spanNamed(consumerTrace, process)!;
    assert.ok(processed.references.some((r) => r.refType === "FOLLOWS_FROM" && r.traceID === producerTrace.traceID && r.spanID === sent.spanID), "process links to the send span");
    assertClean(producerTrace);
    assertClean(consumerTrace);
  }
  // Spans of their own traces, linked to the messages: Kafka's commits, SQS's receives.
  const destination = process.slice("process ".length);
  if (model.broker === "kafka") await assertOwnTrace(`model-consumer-${id}`, runId, `commit ${destination}`);
  if (model.broker === "aws") await assertOwnTrace(`model-consumer-${id}`, runId, `receive ${destination}`);
  await Promise.all([consumer.stop(), producer.stop()]);
}

/** A span that settles or receives many messages starts a trace of its own and links to each message. */
async function assertOwnTrace(service: string, runId: string, operation: string): Promise<void> {
  const traces = await waitFor(async () => {
    const found = await jaeger.searchTraces({ service, operation, tags: { "brokerlab.run.id": runId }, limit: 20 });
    return found.length > 0 ? found : undefined;
  }, { timeoutMs: 25_000, intervalMs: 500, description: `a ${operation} span in Jaeger` });
  const span = traces[0]!.spans.find((s) => s.operationName === operation)!;
  assert.ok(span.references.some((r) => r.refType === "FOLLOWS_FROM"), `${operation} links to the messages`);
  for (const trace of traces) assertClean(trace);
}

for (const mode of ["parent", "link"] as const) {
  describe(`model traces in ${mode} mode`, () => {
    it(`RabbitMQ through ${mode === "parent" ? "a named exchange" : "the default exchange"}: send, process, ack`, () => runCase(`RabbitMQ ${mode}`, rabbitCase(mode === "parent"), mode));
    it("Kafka: send, process with the group and position, commit", () => runCase(`Kafka ${mode}`, kafkaCase, mode));
    it("Amazon SQS: send, receive, process, delete", () => runCase(`SQS ${mode}`, sqsCase, mode));
  });
}
