// How Brokerlab's headers travel on Amazon messages: SQS message attributes, SNS message
// attributes (raw delivery carries them into the queue's attributes) and, for EventBridge, a
// `_brokerlab` object in the event's detail. The one place their names are mapped.
import { headerNames } from "../run/ipc";

/** SQS and SNS take at most 10 message attributes per message. */
export const maxMessageAttributes = 10;

/** Attribute names AWS accepts: letters, digits, `_`, `-`, `.`; no leading/trailing or double dot; not `AWS.` or `Amazon.`. */
export const attributeNamePattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const isAttributeName = (name: string): boolean =>
  name.length >= 1 && name.length <= 256 && attributeNamePattern.test(name) && !/^(aws|amazon)\./i.test(name);

/**
 * Brokerlab's headers that may ride on an SQS/SNS message, in the order they are kept when a
 * message would carry more than 10 attributes. Their names are valid attribute names already
 * (`x-brokerlab-id`, `traceparent`), so the mapping keeps them: a boto3 or CLI reader sees the
 * same names as on RabbitMQ and Kafka.
 */
export const brokerlabAttributeHeaders = [
  headerNames.id,
  headerNames.runId,
  headerNames.sentAt,
  headerNames.attempt,
  "traceparent",
  "tracestate",
  headerNames.origin,
] as const;

/**
 * Attributes left for a scenario's own headers (a producer's `headers` and an SNS target's
 * `attributes` together). `baggage` and the fault marker travel only when room is left.
 */
export const scenarioAttributeLimit = maxMessageAttributes - brokerlabAttributeHeaders.length;

/** The SQS/SNS attribute name for a Brokerlab or scenario header (the identity for valid names). */
export function attributeName(header: string): string {
  if (!isAttributeName(header)) throw new Error(`"${header}" is not a valid SQS/SNS message attribute name`);
  return header;
}

/** The header an SQS/SNS attribute stands for: the inverse of attributeName. */
export const headerName = (attribute: string): string => attribute;

/** The field of an EventBridge event's `detail` that holds Brokerlab's headers (no 10-attribute limit there). */
export const eventBridgeHeadersField = "_brokerlab";

/**
 * What Brokerlab adds to a body besides the payload, in bytes, at most: its attributes (names,
 * types and values, a traceparent is 55 characters) or the `_brokerlab` detail field. A payload
 * must leave this room inside the 256 KiB an SQS message, SNS message or EventBridge entry may hold.
 */
export const wireOverheadBytes = 2048;
export const maxAwsMessageBytes = 262_144;
