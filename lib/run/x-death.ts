// RabbitMQ's x-death header in words, for the flight recorder: every time a message was
// dead-lettered (rejected, expired, maxlen, delivery_limit), from which queue, how often.

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === "object" && "value" in value) return text((value as { value: unknown }).value);
  if (typeof value === "object" && "data" in value && Array.isArray((value as { data: unknown }).data)) {
    return String.fromCharCode(...((value as { data: number[] }).data));
  }
  return typeof value === "object" ? undefined : String(value);
};

/**
 * "x-death: rejected from payments ×1 (published to the default exchange, routing key payments); expired from …",
 * or undefined without x-death. Newest first, as the broker keeps it; `exchange` and `routing-keys` are where the
 * message had been published, not the dead-letter exchange.
 */
export function describeXDeath(header: unknown): string | undefined {
  if (!Array.isArray(header) || header.length === 0) return undefined;
  const parts = header.map((entry: unknown) => {
    const death = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
    const count = Number(text(death.count) ?? 1);
    const keys = Array.isArray(death["routing-keys"]) ? death["routing-keys"].map(text).filter(Boolean).join(", ") : undefined;
    const exchange = text(death.exchange);
    const via = exchange === undefined ? "" : ` (published to ${exchange === "" ? "the default exchange" : `exchange ${exchange}`}${keys ? `, routing key ${keys}` : ""})`;
    return `${text(death.reason) ?? "dead-lettered"} from ${text(death.queue) ?? "?"} ×${Number.isFinite(count) ? count : 1}${via}`;
  });
  return `x-death: ${parts.join("; ")}`;
}
