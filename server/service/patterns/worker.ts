// A worker pool member: takes tasks off the queue (`concurrency` at a time), runs the named job
// with a time limit, stores its result, and retries a failed attempt as a copy with the next
// attempt number and a due time, until the retries are used up and the task is marked failed.
// A task that carries a callback_url is reported back by a signed webhook before it is acked.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { z } from "zod";
import { headerNames } from "../../../lib/run/ipc";
import { backoffFor } from "../../../lib/scenario/patterns";
import type { Worker } from "../../../lib/scenario/patterns";
import type { RenderContext } from "../../../lib/scenario/template";
import { delay } from "../../brokers/backoff";
import type { Delivery, Settlement } from "../../brokers/messaging";
import { copyHeaders, dueAtHeader, readHeaders } from "../headers";
import { compilePayload, decodeBody, fieldsOf } from "../templates";
import { failureOf, sleep, workMs } from "../work";
import { queuePatternsOf } from "../client-drivers";
import { consumeForPart } from "./part";
import type { PartContext, PatternPart } from "./part";
import { deliverCallback } from "./webhook-sender";
import { exportedTraceId } from "../trace-limit";

const taskMessageSchema = z.object({
  taskId: z.string().min(1).max(1_000).optional(),
  job: z.string().min(1).max(200),
  args: z.unknown().optional(),
  callback_url: z.string().max(2_000).optional(),
});

class Stopping extends Error {}

export async function startWorker(part: PartContext, worker: Worker): Promise<PatternPart> {
  const { launch, clients, metrics, recorder } = part;
  const service = launch.service.name;
  const by = `${service}[${launch.replica}]`;
  const counters = recorder.worker(worker.name);
  const results = new Map(Object.entries(worker.jobs).map(([name, job]) => [name, compilePayload(job.result, ["*"])]));
  const queue = worker.from.queue;
  const user = `worker "${worker.name}"`;
  const patterns = queuePatternsOf(launch, worker.broker, user);
  let external = 0;
  let seq = 0;

  /** Holds a retry until it is due (a retry is a copy published at once, with a due time). */
  async function untilDue(dueAt: number | undefined): Promise<void> {
    while (dueAt !== undefined && Date.now() < dueAt) {
      if (part.stopping.aborted) throw new Stopping();
      await delay(Math.min(1_000, dueAt - Date.now()), part.stopping);
    }
  }

  async function retry(delivery: Delivery, id: string, attempt: number, delayMs: number): Promise<boolean> {
    const sender = await clients.support(worker.broker);
    if (!(await sender.writable())) return false;
    const outcome = await sender.send({
      id, destination: patterns.queueDestination(queue), body: delivery.body, persistent: true, mandatory: true,
      headers: copyHeaders(delivery.headers, { [headerNames.attempt]: attempt, [dueAtHeader]: String(Date.now() + delayMs) }),
    });
    return outcome.ok && !outcome.returned;
  }

  async function handle(delivery: Delivery): Promise<Settlement> {
    const info = readHeaders(delivery.headers);
    const parsed = taskMessageSchema.safeParse(decodeBody(delivery.body));
    const id = info.id ?? (parsed.success ? parsed.data.taskId : undefined) ?? `external/${queue}/${++external}`;
    const ours = info.id !== undefined && info.runId === launch.runId;
    const span = trace.getSpan(delivery.context);
    const traceId = exportedTraceId(span);
    const attempt = info.attempt;
    const where = { traceId, destination: queue, attempt, redelivered: delivery.redelivered };
    if (!parsed.success) {
      counters.failed += 1;
      recorder.task({ id, kind: "failed", at: Date.now(), attempt, by, error: "not a task message: it needs at least a job name" });
      metrics.event("dropped", id, worker.name, { ...where, detail: "not a task message" });
      if (ours) metrics.consumed(worker.name, id);
      return { kind: "ack" };
    }
    const task = parsed.data;
    try {
      await untilDue(info.dueAt);
    } catch {
      return { kind: "nack", requeue: true };
    }
    const job = worker.jobs[task.job];
    span?.setAttributes({ "brokerlab.task.id": id, "brokerlab.task.job": task.job, "brokerlab.attempt": attempt, "messaging.message.id": id });
    counters.started += 1;
    recorder.task({ id, kind: "started", at: Date.now(), attempt, job: task.job, by, ...(traceId ? { traceId } : {}), ...(task.callback_url ? { callback: true } : {}) });
    metrics.event("delivered", id, worker.name, where);

    const args = fieldsOf(task.args);
    let failure: string | undefined;
    let retriable = true;
    if (!job) {
      failure = `unknown job "${task.job}" (this worker knows ${Object.keys(worker.jobs).join(", ")})`;
      retriable = false;
    } else {
      const limit = job.timeout ?? worker.timeout;
      const ms = workMs(job.work) + part.extraWorkMs();
      if (ms > limit) {
        await sleep(limit);
        counters.timedOut += 1;
        failure = `timed out after ${limit} ms`;
        span?.addEvent("brokerlab.task.timeout", { "brokerlab.timeout_ms": limit });
      } else {
        await sleep(ms);
        failure = failureOf(job.failures, args);
      }
    }

    if (!failure) {
      seq += 1;
      const ctx: RenderContext = { seq, service, producer: worker.name, replica: launch.replica, runId: launch.runId, now: Date.now(), fields: args };
      const result = results.get(task.job)!(ctx);
      counters.succeeded += 1;
      recorder.task({ id, kind: "succeeded", at: Date.now(), attempt, job: task.job, by, result, ...(traceId ? { traceId } : {}) });
      metrics.event("processed", id, worker.name, { ...where, detail: `${task.job} succeeded on attempt ${attempt}` });
      if (ours) metrics.consumed(worker.name, id);
      if (task.callback_url) await deliverCallback(part, task.callback_url, { taskId: id, job: task.job, status: "succeeded", result, attempts: attempt, completedAt: new Date().toISOString() }, worker.callbacks);
      return { kind: "ack" };
    }

    span?.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    span?.addEvent("brokerlab.processing_failed", { "brokerlab.reason": failure, "brokerlab.attempt": attempt });
    if (retriable && attempt <= worker.retries) {
      const delayMs = backoffFor(worker.backoffMs, attempt);
      if (!(await retry(delivery, id, attempt + 1, delayMs))) return { kind: "nack", requeue: true };
      counters.retried += 1;
      span?.addEvent("brokerlab.retry", { "brokerlab.next_attempt": attempt + 1, "brokerlab.delay_ms": delayMs });
      recorder.task({ id, kind: "retried", at: Date.now(), attempt, job: task.job, by, error: failure, ...(traceId ? { traceId } : {}) });
      metrics.event("retried", id, worker.name, { ...where, detail: `${failure}; attempt ${attempt + 1} in ${delayMs} ms` });
      return { kind: "ack" };
    }
    counters.failed += 1;
    recorder.task({ id, kind: "failed", at: Date.now(), attempt, job: task.job, by, error: failure, ...(traceId ? { traceId } : {}) });
    metrics.event("dropped", id, worker.name, { ...where, detail: `task failed after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${failure}` });
    if (ours) metrics.consumed(worker.name, id);
    if (task.callback_url) await deliverCallback(part, task.callback_url, { taskId: id, job: task.job, status: "failed", error: failure, attempts: attempt, completedAt: new Date().toISOString() }, worker.callbacks);
    return { kind: "ack" };
  }

  const subscription = await consumeForPart(part, { user, broker: worker.broker, queue, prefetch: worker.prefetch, concurrency: worker.concurrency }, counters, handle);

  return {
    name: worker.name,
    start() {},
    stop() {},
    done: () => counters.inFlight === 0,
    settle: (timeoutMs) => subscription.stop(timeoutMs),
    close: async () => {},
  };
}
