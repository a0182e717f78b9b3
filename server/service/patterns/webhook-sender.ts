// Delivers a task's outcome to its callback_url: a signed POST (HMAC-SHA256 of the body with the
// run's secret), retried with backoff while the receiver answers 5xx, 408 or 429 or does not
// answer; any other 4xx is final. Every attempt is a CLIENT span in the task's trace.
import { randomUUID } from "node:crypto";
import { webhookHeaders } from "../../../lib/run/patterns";
import { backoffFor } from "../../../lib/scenario/patterns";
import type { CallbackPolicy } from "../../../lib/scenario/patterns";
import { delay } from "../../brokers/backoff";
import { isLoopbackUrl, postJson } from "./http";
import type { PartContext } from "./part";
import { signBody } from "./signature";

export interface CallbackBody {
  taskId: string;
  job: string;
  status: "succeeded" | "failed";
  result?: unknown;
  error?: string;
  attempts: number;
  completedAt: string;
}

const retriable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

/** True once the receiver accepted the callback (2xx). */
export async function deliverCallback(part: PartContext, url: string, callback: CallbackBody, policy: CallbackPolicy): Promise<boolean> {
  const deliveryId = randomUUID();
  const record = (event: { attempt: number; status: number; ok: boolean; latencyMs: number; willRetry: boolean; delayMs?: number; error?: string; traceId?: string }) =>
    part.recorder.webhook({ kind: "delivery", taskId: callback.taskId, deliveryId, url, at: Date.now(), ...event });
  if (!isLoopbackUrl(url)) {
    record({ attempt: 1, status: 0, ok: false, latencyMs: 0, willRetry: false, error: "callback_url must point to this machine (127.0.0.1 or localhost)" });
    return false;
  }
  const body = JSON.stringify(callback);
  const secret = policy.signature === "wrong-secret" ? `not-${part.settings.webhookSecret}` : part.settings.webhookSecret;
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const result = await postJson(url, body, {
      timeoutMs: policy.timeout,
      headers: {
        [webhookHeaders.delivery]: deliveryId,
        [webhookHeaders.attempt]: String(attempt),
        [webhookHeaders.task]: callback.taskId,
        ...(policy.signature === "missing" ? {} : { [webhookHeaders.signature]: signBody(secret, body) }),
      },
      attributes: { "brokerlab.task.id": callback.taskId, "brokerlab.callback.attempt": attempt, "brokerlab.callback.delivery": deliveryId },
    });
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    const ok = result.status >= 200 && result.status < 300;
    const again = !ok && retriable(result.status) && attempt <= policy.retries && !part.stopping.aborted;
    const delayMs = again ? backoffFor(policy.backoffMs, attempt) : undefined;
    record({
      attempt, status: result.status, ok, latencyMs, willRetry: again,
      ...(delayMs !== undefined ? { delayMs } : {}),
      ...("error" in result ? { error: result.error } : !ok ? { error: `HTTP ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ""}` } : {}),
      ...(result.traceId ? { traceId: result.traceId } : {}),
    });
    if (ok) return true;
    if (!again) return false;
    await delay(delayMs!, part.stopping);
    if (part.stopping.aborted) return false;
  }
}
