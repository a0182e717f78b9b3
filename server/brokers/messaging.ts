// The data-plane surface of the adapters, shared by RabbitMQ and Kafka: what is sent, what is
// delivered, how a delivery is settled, and how a send ends. Errors are values, never throws.
import type { Context } from "@opentelemetry/api";
import type { BrokerError } from "./types";

export type ConnectionStatus = "connected" | "reconnecting" | "crashed";
export type StateListener = (status: ConnectionStatus, detail?: string) => void;

export type HeaderValue = string | number | boolean;

export interface RabbitOutgoing {
  exchange: string;
  routingKey: string;
  body: Buffer;
  headers: Record<string, HeaderValue>;
  messageId: string;
  persistent: boolean;
  mandatory: boolean;
  /** Request/reply: where to answer and what to quote; `expiration`: ms before the broker discards it. */
  replyTo?: string;
  correlationId?: string;
  expiration?: number;
}

export interface KafkaOutgoing {
  topic: string;
  key?: string;
  partition?: number;
  value: Buffer;
  headers: Record<string, string>;
}

export type SendOutcome =
  /** `returnedDetail`: why a returned message went nowhere, when not RabbitMQ's unbound routing key. */
  /** `note`: what the broker said of a confirmed send that nobody may get (Redis Pub/Sub: no subscriber listening). */
  | { ok: true; traceId?: string; returned?: boolean; returnedDetail?: string; partition?: number; offset?: string; note?: string }
  | { ok: false; traceId?: string; error: BrokerError };

/** A publisher with a bounded window of unconfirmed messages; never republishes on its own. */
export interface Publisher<M> {
  /** Resolves true when one more message may be published (connected, room in the window, drained); false once closed. */
  writable(): Promise<boolean>;
  /** Publishes and resolves with the broker's confirmation (at once when confirms are off). Never rejects. */
  publish(message: M): Promise<SendOutcome>;
  inFlight(): number;
  /** Waits until nothing is in flight, at most `timeoutMs`; true when everything settled. */
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface Delivery {
  body: Buffer;
  /** Headers as strings (Buffers decoded); `rawHeaders` keeps structured ones such as x-death. */
  headers: Record<string, string>;
  rawHeaders: Record<string, unknown>;
  redelivered: boolean;
  /** Queue or topic the message was consumed from. */
  source: string;
  exchange?: string;
  routingKey?: string;
  key?: string;
  partition?: number;
  offset?: string;
  /** RabbitMQ request/reply properties, when the sender set them. */
  replyTo?: string;
  correlationId?: string;
  /** The context of the CONSUMER span: processing, forwards and retries run inside it. */
  context: Context;
  /** Kafka: keeps the group membership alive during long waits. */
  heartbeat?: () => Promise<void>;
}

/**
 * RabbitMQ: ack, or nack with or without requeue. Kafka only acks (commits); requeue is handled in place.
 * `after`: apply the settlement only once this resolves (the engine's ledger holds the message's id).
 * The delivery gives up its processing slot at once, so the next message need not wait for it.
 */
export type Settlement = ({ kind: "ack" } | { kind: "nack"; requeue: boolean }) & { after?: Promise<void> };

export type DeliveryHandler = (delivery: Delivery) => Promise<Settlement>;

export interface Subscription {
  inFlight(): number;
  /** Stops taking deliveries, waits for in-flight ones (at most `timeoutMs`), then cancels. */
  stop(timeoutMs: number): Promise<void>;
}

/** W3C traceparent → trace id. */
export function traceIdOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.traceparent;
  const text = Buffer.isBuffer(value) ? value.toString() : typeof value === "string" ? value : undefined;
  // Only a sampled trace (flags bit 0) reaches Jaeger: an untraced message has no trace to open.
  const match = text ? /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-([\da-f]{2})/.exec(text) : null;
  return match && (parseInt(match[2]!, 16) & 1) === 1 ? match[1] : undefined;
}

export function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value.toString();
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === "object") return undefined;
  return String(value);
}

export function textHeaders(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const text = headerText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}
