// Brokerlab's own webhook receiver: takes callbacks on `POST <path>`, fails the first `failFirst`
// (and an `errorRate` share) with `failStatus` to show retries, rejects a missing or wrong
// signature with 401, and accepts the rest with 200, counting a task's second valid callback as
// a duplicate. Each callback is a SERVER span continuing the sender's trace.
import type { IncomingMessage, ServerResponse } from "node:http";
import { webhookHeaders } from "../../../lib/run/patterns";
import type { WebhookReceiver } from "../../../lib/scenario/patterns";
import { createIdMemory } from "../lru";
import { closeServer, endServerSpan, listenLocal, readBody, sendJson, startServerSpan } from "./http";
import type { PartContext, PatternPart } from "./part";
import { checkSignature } from "./signature";
import { exportedTraceId } from "../trace-limit";

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function startWebhookReceiver(part: PartContext, receiver: WebhookReceiver): Promise<PatternPart> {
  const { launch, recorder } = part;
  const name = `${launch.service.name}[${launch.replica}]`;
  const counters = recorder.receiver();
  const accepted = createIdMemory(100_000);
  let inFlight = 0;

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { span } = startServerSpan(req, receiver.path, { "brokerlab.receiver": name });
    const taskId = header(req, webhookHeaders.task);
    const deliveryId = header(req, webhookHeaders.delivery);
    const attempt = Number(header(req, webhookHeaders.attempt)) || undefined;
    const traceId = exportedTraceId(span);
    const answer = (status: number, signature: "valid" | "invalid" | "missing" | "unchecked", detail: string) => {
      recorder.webhook({
        kind: "received", at: Date.now(), receiver: name, status, signature, detail, traceId,
        ...(taskId ? { taskId } : {}), ...(deliveryId ? { deliveryId } : {}), ...(attempt ? { attempt } : {}),
      });
      span.setAttributes({ "brokerlab.webhook.signature": signature, ...(taskId ? { "brokerlab.task.id": taskId } : {}) });
      sendJson(res, status, status < 300 ? { received: true } : { error: detail });
      endServerSpan(span, status, detail);
    };
    if (req.method !== "POST") return answer(405, "unchecked", "use POST");
    const body = await readBody(req);
    if (!body) return answer(413, "unchecked", "the body may be at most 1 MiB");
    counters.received += 1;
    if (counters.received <= receiver.failFirst || (receiver.errorRate > 0 && Math.random() < receiver.errorRate)) {
      counters.failedOnPurpose += 1;
      const why = counters.received <= receiver.failFirst ? `failFirst ${receiver.failFirst}: failing callback ${counters.received}` : `errorRate ${receiver.errorRate}`;
      return answer(receiver.failStatus, "unchecked", `failing on purpose (${why})`);
    }
    const signature = checkSignature(part.settings.webhookSecret, body, req.headers[webhookHeaders.signature]);
    if (signature !== "valid") {
      counters.invalid += 1;
      return answer(401, signature, signature === "missing" ? "no X-Brokerlab-Signature header" : "the signature does not match the body");
    }
    counters.valid += 1;
    const key = taskId ?? deliveryId;
    if (key && accepted.has(key)) {
      counters.duplicates += 1;
      return answer(200, "valid", "duplicate: this task's callback was already received");
    }
    if (key) accepted.add(key);
    answer(200, "valid", "accepted");
  }

  const { server, baseUrl } = await listenLocal((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== receiver.path) {
      sendJson(res, 404, { error: `not found; POST ${receiver.path}` });
      return;
    }
    inFlight += 1;
    receive(req, res)
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        process.stderr.write(`webhook receiver: ${String(error)}\n`);
      })
      .finally(() => { inFlight -= 1; });
  });
  part.announce("webhook", `${baseUrl}${receiver.path}`);

  return {
    name: "webhook-receiver",
    start() {},
    stop() {},
    done: () => inFlight === 0,
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: () => closeServer(server),
  };
}
