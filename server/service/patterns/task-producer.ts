// A task producer: submits named jobs with arguments to a task queue, one message per task,
// `{ taskId, job, args }`. A task is pending once the broker confirmed it.
import { messageId } from "../../../lib/run/ipc";
import type { TaskProducer } from "../../../lib/scenario/patterns";
import type { RenderContext } from "../../../lib/scenario/template";
import { compileString } from "../../../lib/scenario/template";
import { queuePatternsOf } from "../client-drivers";
import { brokerlabHeaders, preciseNow } from "../headers";
import { compilePayload, encodeBody } from "../templates";
import { createPacer } from "./pace";
import type { PartContext, PatternPart } from "./part";

/** The body of a task message, whoever submitted it. */
export interface TaskMessage {
  taskId: string;
  job: string;
  args: unknown;
  /** Where to POST the outcome (tasks submitted through an HTTP API). */
  callback_url?: string;
}

export async function startTaskProducer(part: PartContext, producer: TaskProducer): Promise<PatternPart> {
  const { launch, clients, metrics, recorder } = part;
  const service = launch.service.name;
  const by = `${service}/${producer.name}`;
  const counters = recorder.taskProducer(producer.name);
  const renderJob = compileString(producer.job);
  const renderArgs = compilePayload(producer.args);
  const target = queuePatternsOf(launch, producer.broker, `task producer "${producer.name}"`).compileTaskTarget(producer.to);
  const sender = await clients.sender(producer.broker, { confirm: true, window: 1_000, acks: -1, idempotent: false }, `tasks:${producer.name}`);
  let inFlight = 0;

  async function send(seq: number): Promise<boolean> {
    if (!(await sender.writable()) || part.stopping.aborted) return false;
    const id = messageId(service, producer.name, seq);
    const ctx: RenderContext = { seq, service, producer: producer.name, replica: launch.replica, runId: launch.runId, now: Date.now() };
    const args = renderArgs(ctx);
    const job = renderJob(ctx);
    const body: TaskMessage = { taskId: id, job, args };
    counters.submitted += 1;
    inFlight += 1;
    const submittedAt = Date.now();
    const destination = target.render(ctx);
    void sender.send({
      id, destination, body: encodeBody(body), persistent: true, mandatory: true,
      headers: { ...brokerlabHeaders({ id, runId: launch.runId, sentAt: preciseNow(), attempt: 1 }), "x-brokerlab-job": job },
    }).then((outcome) => {
      inFlight -= 1;
      const where = destination.exchange || destination.routingKey;
      metrics.event("published", id, producer.name, { traceId: outcome.traceId, destination: where, detail: `job ${job}` });
      if (outcome.ok && !outcome.returned) {
        counters.confirmed += 1;
        metrics.confirmed(id);
        metrics.event("confirmed", id, producer.name, { traceId: outcome.traceId, destination: where });
        recorder.task({ id, kind: "submitted", at: submittedAt, attempt: 1, job, by, args, ...(outcome.traceId ? { traceId: outcome.traceId } : {}) });
        return;
      }
      counters.failed += 1;
      const error = outcome.ok ? "unroutable: no queue is bound for this task" : outcome.error.message;
      metrics.event(outcome.ok ? "returned" : "send-failed", id, producer.name, { traceId: outcome.traceId, destination: where, detail: error });
      recorder.task({ id, kind: "failed", at: Date.now(), attempt: 0, job, by, args, error: `not submitted: ${error}` });
    });
    return true;
  }

  const pacer = createPacer({
    rate: producer.rate, count: producer.count, startAfter: producer.startAfter, replica: launch.replica, replicas: launch.replicas,
    send, onExhausted: () => {},
  });

  return {
    name: producer.name,
    start: () => pacer.start(),
    sendNow: (count) => pacer.sendNow(count),
    stop: () => pacer.stop(),
    done() {
      counters.done = pacer.exhausted() && inFlight === 0;
      return counters.done;
    },
    settle: (timeoutMs) => sender.settle(timeoutMs).then(() => undefined),
    close: async () => {},
  };
}
