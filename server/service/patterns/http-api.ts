// An asynchronous HTTP API: `POST <path>` with a JSON body (and a callback_url) is accepted with
// `202 Accepted` and a task id once the task is on the queue; a worker does the work later and
// calls the callback_url back. Listens on 127.0.0.1 at a free port, announced to the engine.
import { context } from "@opentelemetry/api";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { z } from "zod";
import { compileString } from "../../../lib/scenario/template";
import type { HttpApi } from "../../../lib/scenario/patterns";
import { queuePatternsOf } from "../client-drivers";
import { brokerlabHeaders, preciseNow } from "../headers";
import { encodeBody } from "../templates";
import { closeServer, endServerSpan, isLoopbackUrl, listenLocal, readBody, sendJson, startServerSpan } from "./http";
import type { PartContext, PatternPart } from "./part";
import type { TaskMessage } from "./task-producer";
import { exportedTraceId } from "../trace-limit";

const requestBodySchema = z.record(z.string(), z.unknown()).superRefine((body, ctx) => {
  const url = body.callback_url;
  if (url === undefined) return;
  if (typeof url !== "string" || !isLoopbackUrl(url)) ctx.addIssue({ code: "custom", path: ["callback_url"], message: "must be an http URL on this machine (127.0.0.1 or localhost)" });
});

export async function startHttpApi(part: PartContext, api: HttpApi): Promise<PatternPart> {
  const { launch, clients, metrics, recorder } = part;
  const service = launch.service.name;
  const by = `${service}/${api.name}`;
  const counters = recorder.httpApi();
  const sender = await clients.sender(api.broker, { confirm: true, window: 1_000, acks: -1, idempotent: false }, `api:${api.name}`);
  const target = queuePatternsOf(launch, api.broker, `HTTP API "${api.name}"`).compileTaskTarget(api.to);
  const renderJob = compileString(api.job);
  let index = 0;
  let inFlight = 0;

  async function accept(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests += 1;
    const { span, ctx } = startServerSpan(req, api.path);
    const answer = (status: number, body: unknown, message?: string) => {
      if (status >= 500) counters.failed += 1;
      else if (status >= 400) counters.rejected += 1;
      sendJson(res, status, body, status === 405 ? { allow: "POST" } : {});
      endServerSpan(span, status, message);
    };
    if (req.method !== "POST") return answer(405, { error: `use POST ${api.path}` });
    const raw = await readBody(req, 262_144);
    if (!raw) return answer(413, { error: "the body may be at most 256 KiB" });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString() || "{}");
    } catch {
      return answer(400, { error: "the body is not JSON" });
    }
    const parsed = requestBodySchema.safeParse(json);
    if (!parsed.success) return answer(400, { error: "invalid request", problems: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
    const { callback_url: callbackUrl, ...args } = parsed.data;
    const seq = launch.replica + 1 + index * launch.replicas;
    index += 1;
    const taskId = `${service}/${api.name}/${seq}`;
    const renderCtx = { seq, service, producer: api.name, replica: launch.replica, runId: launch.runId, now: Date.now() };
    const job = renderJob(renderCtx);
    const body: TaskMessage = { taskId, job, args, ...(typeof callbackUrl === "string" ? { callback_url: callbackUrl } : {}) };
    span.setAttributes({ "brokerlab.task.id": taskId, "brokerlab.task.job": job });
    inFlight += 1;
    const submittedAt = Date.now();
    // Published inside the SERVER span: the task's PRODUCER span continues the caller's trace.
    const outcome = await context.with(ctx, async () => {
      if (!(await sender.writable())) return undefined;
      return sender.send({
        id: taskId, destination: target.render(renderCtx), body: encodeBody(body), persistent: true, mandatory: true,
        headers: { ...brokerlabHeaders({ id: taskId, runId: launch.runId, sentAt: preciseNow(), attempt: 1 }), "x-brokerlab-job": job },
      });
    }).finally(() => { inFlight -= 1; });
    const traceId = exportedTraceId(span);
    if (!outcome || !outcome.ok || outcome.returned) {
      const detail = !outcome ? "the service is stopping" : outcome.ok ? "no queue takes the task" : outcome.error.message;
      metrics.event("send-failed", taskId, api.name, { traceId, detail });
      return answer(503, { error: `the task could not be queued: ${detail}` }, detail);
    }
    counters.accepted += 1;
    metrics.confirmed(taskId);
    metrics.event("confirmed", taskId, api.name, { traceId, detail: `accepted over HTTP${typeof callbackUrl === "string" ? `, callback ${callbackUrl}` : ""}` });
    recorder.task({ id: taskId, kind: "submitted", at: submittedAt, attempt: 1, job, by, args, traceId, ...(typeof callbackUrl === "string" ? { callback: true } : {}) });
    recorder.webhook({ kind: "accepted", taskId, at: Date.now(), api: by, traceId, ...(typeof callbackUrl === "string" ? { callbackUrl } : {}) });
    answer(202, { taskId, status: "accepted" });
  }

  const { server, baseUrl }: { server: Server; baseUrl: string } = await listenLocal((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== api.path) {
      sendJson(res, 404, { error: `not found; POST ${api.path}` });
      return;
    }
    accept(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      process.stderr.write(`http api: ${String(error)}\n`);
    });
  });
  part.announce("api", `${baseUrl}${api.path}`);

  return {
    name: api.name,
    start() {},
    stop() {},
    done: () => inFlight === 0,
    async settle(timeoutMs) {
      await sender.settle(timeoutMs);
    },
    close: () => closeServer(server),
  };
}
