// Brokerlab headers as SQS/SNS message attributes and back, under the names aws-wire.ts gives
// them. SQS keeps at most 10 attributes per message: should a message have more headers (the
// scenario check leaves room for Brokerlab's own), the ones past the ninth travel together as
// JSON in one attribute, so nothing is dropped and Brokerlab's own headers keep their names.
import type { MessageAttributeValue as SnsAttribute } from "@aws-sdk/client-sns";
import type { MessageAttributeValue as SqsAttribute } from "@aws-sdk/client-sqs";
import { attributeName, brokerlabAttributeHeaders, headerName, isAttributeName, maxMessageAttributes } from "../../../lib/brokers/aws-wire";
import type { HeaderValue } from "../messaging";

const maxAttributes = maxMessageAttributes;
/** Holds the headers that did not fit in their own attributes (or whose names AWS refuses), as a JSON object. */
export const packedAttribute = "x-brokerlab-more";
const first: readonly string[] = brokerlabAttributeHeaders;

/** Headers as string attributes (SQS and SNS share the shape), at most 10. */
export function toAttributes(headers: Record<string, HeaderValue>): Record<string, SqsAttribute & SnsAttribute> {
  const names = Object.keys(headers).sort((x, y) => rankOf(x) - rankOf(y));
  const valid = names.filter(isAttributeName);
  const own = valid.length === names.length && names.length <= maxAttributes ? names : valid.slice(0, maxAttributes - 1);
  const out: Record<string, SqsAttribute & SnsAttribute> = {};
  for (const name of own) out[attributeName(name)] = { DataType: "String", StringValue: String(headers[name]) };
  if (own.length < names.length) {
    const rest = Object.fromEntries(names.filter((name) => !own.includes(name)).map((name) => [name, String(headers[name])]));
    out[packedAttribute] = { DataType: "String", StringValue: JSON.stringify(rest) };
  }
  return out;
}

function rankOf(name: string): number {
  const at = first.indexOf(name);
  return at < 0 ? first.length : at;
}

/** Attributes as received (SQS `StringValue`, an SNS envelope's `Value`) back to headers. */
export function fromAttributes(attributes: Record<string, { StringValue?: string; Value?: string; Type?: string; DataType?: string }> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const value = attribute.StringValue ?? attribute.Value;
    if (value === undefined) continue;
    if (name === packedAttribute) Object.assign(headers, unpack(value));
    else headers[headerName(name)] = value;
  }
  return headers;
}

function unpack(text: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object") return {};
    return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
  } catch {
    return {};
  }
}
