// A span sent over OTLP comes back through Jaeger's query API with its name and attributes:
// the path every Brokerlab trace takes. Needs the stack's Jaeger (npm run stack:up -- jaeger).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { SpanKind } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { loadConfig } from "../../../server/config";
import { createJaegerQueryClient, spanTag } from "../../../server/jaeger/query-client";
import { otlpTracesUrl } from "../../../server/telemetry/init";
import { waitFor } from "../../support/wait-for";

const config = loadConfig(process.env);
const jaeger = createJaegerQueryClient({ baseUrl: config.JAEGER_QUERY_URL });
const serviceName = `brokerlab-it-${randomUUID().slice(0, 8)}`;
const testId = randomUUID();
let provider: TracerProvider;

before(() => {
  provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: otlpTracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT) }) })],
  });
});

after(() => provider.shutdown());

test("a span exported over OTLP can be found and read back through Jaeger's query API", async () => {
  const span = provider.getTracer("brokerlab-integration-test").startSpan("send orders", {
    kind: SpanKind.PRODUCER,
    attributes: { "messaging.system": "rabbitmq", "brokerlab.test.id": testId, "brokerlab.test.attempt": 1 },
  });
  const traceId = span.spanContext().traceId;
  span.end();
  await provider.forceFlush();

  const [found] = await waitFor(
    async () => {
      const traces = await jaeger.searchTraces({ service: serviceName, tags: { "brokerlab.test.id": testId } });
      return traces.length > 0 ? traces : undefined;
    },
    { timeoutMs: 20_000, description: `a trace of ${serviceName} in Jaeger` },
  );
  assert.equal(found.traceID, traceId);
  assert.equal(found.spans.length, 1);
  const [stored] = found.spans;
  assert.equal(stored.operationName, "send orders");
  assert.equal(spanTag(stored, "brokerlab.test.id"), testId);
  assert.equal(spanTag(stored, "messaging.system"), "rabbitmq");
  assert.equal(spanTag(stored, "span.kind"), "producer");
  assert.equal(found.processes[stored.processID].serviceName, serviceName);

  const byId = await jaeger.trace(traceId);
  assert.equal(byId?.spans[0].spanID, stored.spanID);
  assert.ok((await jaeger.services()).includes(serviceName), "the service is listed by /api/services");
});

test("a trace Jaeger does not have reads as undefined, and a search with no match as empty", async () => {
  assert.equal(await jaeger.trace(randomUUID().replace(/-/g, "")), undefined);
  assert.deepEqual(await jaeger.searchTraces({ service: serviceName, tags: { "brokerlab.test.id": randomUUID() } }), []);
});
