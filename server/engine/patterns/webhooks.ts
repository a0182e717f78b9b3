// Webhooks as the engine sees them: the HTTP APIs' and their clients' counters, every callback's
// delivery attempts (status, retries, outcome), and what the receivers made of them (valid,
// rejected for a bad signature, failed on purpose, duplicate).
import type {
  ApiCallCounters, CallbackView, Endpoints, HttpApiCounters, PatternFrame, ReceiverCounters, WebhookEvent, WebhooksView,
} from "../../../lib/run/patterns";
import { createCounterSlots } from "./slots";
import type { TaskBook } from "./tasks";

const maxCallbacks = 10_000;
const recentEvents = 50;

export function createWebhookBook(tasks: TaskBook) {
  const apis = createCounterSlots<HttpApiCounters>();
  const calls = createCounterSlots<ApiCallCounters>();
  const receivers = createCounterSlots<ReceiverCounters>();
  const callbacks = new Map<string, CallbackView>();
  let recent: WebhookEvent[] = [];
  let changed: string[] = [];
  let attempts = 0;
  let retries = 0;

  function callback(taskId: string): CallbackView | undefined {
    let found = callbacks.get(taskId);
    if (!found && callbacks.size < maxCallbacks) {
      found = { taskId, status: "pending", attempts: 0, retries: 0, received: 0, invalid: 0 };
      callbacks.set(taskId, found);
    }
    return found;
  }

  function apply(event: WebhookEvent): void {
    recent.push(event);
    if (event.kind === "delivery") {
      attempts += 1;
      if (event.willRetry) retries += 1;
      const entry = callback(event.taskId);
      if (!entry) return;
      entry.attempts = Math.max(entry.attempts, event.attempt);
      entry.retries = Math.max(0, entry.attempts - 1);
      entry.lastStatus = event.status;
      if (event.traceId) entry.traceId ??= event.traceId;
      if (event.ok) {
        entry.status = "delivered";
        entry.deliveredAt = event.at;
      } else if (!event.willRetry && entry.status !== "delivered") entry.status = "failed";
      changed.push(event.taskId);
    } else if (event.kind === "received" && event.taskId) {
      const entry = callback(event.taskId);
      if (!entry) return;
      if (event.signature === "valid" && event.status < 300) entry.received += 1;
      if (event.signature === "invalid" || event.signature === "missing") entry.invalid += 1;
      changed.push(event.taskId);
    }
  }

  /** Callbacks still owed: finished tasks that carry a callback_url and are neither delivered nor given up. */
  function pending(): number {
    let count = 0;
    for (const row of tasks.rows()) {
      if (!row.callback || (row.state !== "succeeded" && row.state !== "failed")) continue;
      const entry = callbacks.get(row.id);
      if (!entry || entry.status === "pending") count += 1;
    }
    return count;
  }

  return {
    frame(service: string, replica: number, frame: PatternFrame) {
      if (frame.httpApi) apis.set(service, replica, { api: frame.httpApi });
      if (frame.receiver) receivers.set(service, replica, { receiver: frame.receiver });
      calls.set(service, replica, frame.apiCalls);
      for (const event of frame.webhookEvents ?? []) apply(event);
    },
    exited(service: string, replica: number) {
      apis.exited(service, replica);
      calls.exited(service, replica);
      receivers.exited(service, replica);
    },
    used: () => callbacks.size > 0 || Object.keys(apis.sum()).length + Object.keys(calls.sum()).length + Object.keys(receivers.sum()).length > 0,
    drained: () => pending() === 0 && Object.values(calls.sum()).every((c) => c.done),
    view(endpoints: Endpoints, takeChanges: boolean): WebhooksView {
      const byService = <T>(sums: Record<string, T>) => Object.fromEntries(Object.entries(sums).map(([key, value]) => [key.slice(0, key.lastIndexOf("/")), value]));
      const all = [...callbacks.values()];
      const seen = new Set<string>();
      const ids: string[] = [];
      for (let i = changed.length - 1; i >= 0 && ids.length < recentEvents; i--) {
        if (!seen.has(changed[i]!)) ids.push(changed[i]!);
        seen.add(changed[i]!);
      }
      ids.reverse();
      const view: WebhooksView = {
        endpoints,
        api: byService(apis.sum()),
        calls: calls.sum(),
        deliveries: {
          attempts, retries,
          delivered: all.filter((c) => c.status === "delivered").length,
          failed: all.filter((c) => c.status === "failed").length,
          pending: pending(),
        },
        receivers: byService(receivers.sum()),
        recent: recent.slice(-recentEvents),
        callbacks: ids.map((id) => ({ ...callbacks.get(id)! })),
      };
      if (takeChanges || changed.length > 10_000) changed = ids;
      if (recent.length > recentEvents * 4) recent = recent.slice(-recentEvents);
      return view;
    },
    all: (): CallbackView[] => [...callbacks.values()].map((c) => ({ ...c })),
  };
}
