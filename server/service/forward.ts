// A consumer's forward: after processing, publish to the forward target with the id
// `<service>/<consumer>/<original id>`, inside the consumed message's context so the PRODUCER
// span is a child of the CONSUMER span and a chain of services stays one trace.
import type { ServiceLaunch } from "../../lib/run/ipc";
import type { Consumer } from "../../lib/scenario/schema";
import type { RenderContext } from "../../lib/scenario/template";
import { clientDriverFor } from "./client-drivers";
import type { ServiceClients } from "./clients";
import { brokerlabHeaders, preciseNow } from "./headers";
import type { ServiceMetrics } from "./metrics";
import { compileHeaders, compilePayload, encodeBody } from "./templates";

export type Forwarder = (consumed: { id: string; body: Buffer; fields: Record<string, unknown> }) => Promise<boolean>;

export function createForwarder(options: { launch: ServiceLaunch; consumer: Consumer; clients: ServiceClients; metrics: ServiceMetrics }): Forwarder | undefined {
  const { launch, consumer, clients, metrics } = options;
  const forward = consumer.forward;
  if (!forward) return undefined;
  const service = launch.service.name;
  const driver = clientDriverFor(launch, forward.broker);
  const target = driver.compileTarget(forward.to, ["*"]);
  const renderPayload = forward.payload === undefined ? undefined : compilePayload(forward.payload, ["*"]);
  const renderHeaders = compileHeaders(forward.headers, ["*"]);
  const counters = metrics.consumer(consumer.name);
  let seq = 0;

  return async ({ id, body, fields }) => {
    seq += 1;
    const ctx: RenderContext = { seq, service, producer: consumer.name, replica: launch.replica, runId: launch.runId, now: Date.now(), fields };
    const forwardId = `${service}/${consumer.name}/${id}`;
    const destination = target.render(ctx);
    const sender = await clients.support(forward.broker);
    if (!(await sender.writable())) return false;
    const outcome = await sender.send({
      id: forwardId,
      destination,
      body: renderPayload ? encodeBody(renderPayload(ctx)) : body,
      headers: { ...renderHeaders(ctx), ...brokerlabHeaders({ id: forwardId, runId: launch.runId, sentAt: preciseNow(), attempt: 1, origin: id }) },
      persistent: true,
      mandatory: true,
    });
    const where = driver.describe(destination).destination;
    if (!outcome.ok || outcome.returned) {
      const detail = outcome.ok ? `forward to ${where} was unroutable` : outcome.error.message;
      metrics.event("send-failed", forwardId, consumer.name, { traceId: outcome.traceId, destination: where, detail });
      return false;
    }
    counters.forwarded += 1;
    metrics.confirmed(forwardId);
    metrics.event("forwarded", id, consumer.name, { traceId: outcome.traceId, destination: where, detail: `as ${forwardId}` });
    return true;
  };
}
