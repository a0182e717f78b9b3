// How an Amazon message's headers travel and come back: attributes (with the 10-attribute limit),
// SNS envelopes, EventBridge events, and which events a declared rule can route.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromAttributes, packedAttribute, toAttributes } from "../../../server/brokers/aws/attributes";
import { mayMatch } from "../../../server/brokers/aws/event-pattern";
import { eventDetail } from "../../../server/brokers/aws/sender";
import { unwrapMessage } from "../../../server/brokers/aws/subscriber";

const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

test("headers become string attributes and come back unchanged", () => {
  const headers = { "x-brokerlab-id": "s/p/1", "x-brokerlab-attempt": 1, traceparent };
  const attributes = toAttributes(headers);
  assert.deepEqual(attributes.traceparent, { DataType: "String", StringValue: traceparent });
  assert.deepEqual(fromAttributes(attributes), { "x-brokerlab-id": "s/p/1", "x-brokerlab-attempt": "1", traceparent });
});

test("more than 10 headers keep Brokerlab's own as attributes and pack the rest into one", () => {
  const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`h${i}`, `v${i}`]));
  const headers = { ...extra, "x-brokerlab-id": "s/p/1", "x-brokerlab-run": "r", traceparent, "bad name!": "x" };
  const attributes = toAttributes(headers);
  assert.equal(Object.keys(attributes).length, 10);
  for (const name of ["x-brokerlab-id", "x-brokerlab-run", "traceparent", packedAttribute]) assert.ok(attributes[name], `${name} is an attribute`);
  assert.deepEqual(fromAttributes(attributes), Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])));
});

test("an SNS envelope (non-raw subscription) is unwrapped: the message and its attributes", () => {
  const envelope = {
    Type: "Notification", MessageId: "m", TopicArn: "arn:aws:sns:us-east-1:123456789012:orders", Message: '{"orderId":7}',
    MessageAttributes: { traceparent: { Type: "String", Value: traceparent }, "x-brokerlab-id": { Type: "String", Value: "s/p/7" } },
  };
  const { body, headers } = unwrapMessage({ Body: JSON.stringify(envelope) });
  assert.equal(body.toString(), '{"orderId":7}');
  assert.deepEqual(headers, { traceparent, "x-brokerlab-id": "s/p/7" });
});

test("an EventBridge event is read from detail, its headers from detail._brokerlab", () => {
  const detail = JSON.parse(eventDetail(Buffer.from('{"orderId":7}'), { "x-brokerlab-id": "s/p/7", traceparent }));
  const event = { version: "0", id: "e", "detail-type": "OrderCreated", source: "shop", detail };
  const { body, headers } = unwrapMessage({ Body: JSON.stringify(event) });
  assert.deepEqual(JSON.parse(body.toString()), { orderId: 7 });
  assert.deepEqual(headers, { "x-brokerlab-id": "s/p/7", traceparent });
  const scalar = JSON.parse(eventDetail(Buffer.from('"hello"'), {}));
  assert.equal(unwrapMessage({ Body: JSON.stringify({ ...event, detail: scalar }) }).body.toString(), "hello");
});

test("a plain body without attributes is taken as it is, with no headers", () => {
  const { body, headers } = unwrapMessage({ Body: '{"Type":"mine"}' });
  assert.equal(body.toString(), '{"Type":"mine"}');
  assert.deepEqual(headers, {});
});

test("rule patterns: plain value lists are judged, content filters count as a match", () => {
  const event = { source: "shop", "detail-type": "CartViewed", detail: { cartId: "c1", total: 5 } };
  assert.equal(mayMatch({ source: ["shop"], "detail-type": ["OrderCreated"] }, event), false);
  assert.equal(mayMatch({ source: ["shop"], "detail-type": ["OrderCreated", "CartViewed"] }, event), true);
  assert.equal(mayMatch({ detail: { cartId: ["c2"] } }, event), false);
  assert.equal(mayMatch({ detail: { total: [{ numeric: [">", 100] }] } }, event), true);
  assert.equal(mayMatch({ account: ["123"], source: ["shop"] }, event), true);
});
