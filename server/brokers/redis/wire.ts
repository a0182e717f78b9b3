// How a Brokerlab message travels in Redis, in one place: a stream entry has the fields `body` and
// `headers` (JSON: Brokerlab's headers and the W3C `traceparent`), a Pub/Sub message is the JSON
// envelope `{ headers, body }`. Bodies are UTF-8 text (Brokerlab's payloads are JSON).
export const bodyField = "body";
export const headersField = "headers";

export type WireHeaders = Record<string, string>;

/** The fields of a stream entry. */
export const streamFields = (body: Buffer, headers: WireHeaders): Record<string, string> => ({ [bodyField]: body.toString("utf8"), [headersField]: JSON.stringify(headers) });

/** A Pub/Sub message. */
export const channelEnvelope = (body: Buffer, headers: WireHeaders): string => JSON.stringify({ [headersField]: headers, [bodyField]: body.toString("utf8") });

function parseHeaders(text: unknown): WireHeaders {
  if (typeof text !== "string") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/** A stream entry's body and headers; an entry written by another program is its fields as JSON, without headers. */
export function readStreamEntry(fields: Record<string, string>): { body: Buffer; headers: WireHeaders } {
  if (typeof fields[bodyField] !== "string") return { body: Buffer.from(JSON.stringify(fields)), headers: {} };
  return { body: Buffer.from(fields[bodyField]), headers: parseHeaders(fields[headersField]) };
}

/** A Pub/Sub message's body and headers; a message that is not Brokerlab's envelope is the body itself. */
export function readEnvelope(message: string): { body: Buffer; headers: WireHeaders } {
  try {
    const value = JSON.parse(message) as Record<string, unknown>;
    if (value && typeof value === "object" && typeof value[bodyField] === "string") {
      return { body: Buffer.from(value[bodyField]), headers: parseHeaders(JSON.stringify(value[headersField] ?? {})) };
    }
  } catch {
    // Not JSON: someone else's message, taken as it is.
  }
  return { body: Buffer.from(message), headers: {} };
}
