// Peeks into a (dead-letter) queue through RabbitMQ's management API and returns the x-death
// headers of the messages there. The messages are requeued at once: a DLQ keeps what it holds.
import { z } from "zod";
import type { Reading, XDeathEntry } from "../../lib/lessons/snapshot";
import { censorUrl, vhostOf } from "../brokers/rabbitmq/management";

const xDeathSchema = z.object({
  queue: z.string(),
  reason: z.string(),
  count: z.number().default(1),
  exchange: z.string().optional(),
});

const peekedSchema = z.array(
  z.object({
    properties: z
      .object({ headers: z.record(z.string(), z.unknown()).nullish() })
      .passthrough()
      .nullish(),
  }).passthrough(),
);

export interface RabbitEndpoints {
  url: string;
  managementUrl: string;
}

export type DeadLetterReader = (broker: RabbitEndpoints, queue: string) => Promise<Reading<XDeathEntry[][]>>;

/** x-death entries of one message's headers; anything that does not look like one is skipped. */
export function xDeathOf(headers: Record<string, unknown> | null | undefined): XDeathEntry[] {
  const raw = headers?.["x-death"];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = xDeathSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

export function createDeadLetterReader(options: { timeoutMs?: number; count?: number; fetch?: typeof fetch } = {}): DeadLetterReader {
  const doFetch = options.fetch ?? fetch;
  return async (broker, queue) => {
    const base = new URL(broker.managementUrl);
    const authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username || "guest")}:${decodeURIComponent(base.password || "guest")}`).toString("base64")}`;
    base.username = "";
    base.password = "";
    const url = `${base.toString().replace(/\/+$/, "")}/api/queues/${encodeURIComponent(vhostOf(broker.url))}/${encodeURIComponent(queue)}/get`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ count: options.count ?? 50, ackmode: "ack_requeue_true", encoding: "auto", truncate: 200 }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch {
      return { error: `RabbitMQ's management API at ${censorUrl(broker.managementUrl)} does not answer` };
    }
    if (response.status === 404) return { error: `RabbitMQ has no queue ${queue} (a finished run deletes its queues)` };
    if (!response.ok) return { error: `RabbitMQ's management API answered ${response.status} for queue ${queue}` };
    const parsed = peekedSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { error: `RabbitMQ's management API sent an unexpected answer for queue ${queue}` };
    return { value: parsed.data.map((message) => xDeathOf(message.properties?.headers)) };
  };
}
