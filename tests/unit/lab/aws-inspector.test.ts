// The inspector's Amazon forms in a DOM (jsdom + Testing Library): each Amazon part gets its own
// form, a bad value shows the validator's message under the field it names, a filter policy that
// is not JSON says so, and choosing from a select connects the parts.
import "global-jsdom/register";
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { createElement } from "react";
import { Inspector } from "../../../components/lab/inspector/inspector";
import type { LabEditor } from "../../../components/lab/inspector/form";
import { analyse } from "../../../lib/lab/document";
import type { Endpoint } from "../../../lib/lab/edits";
import { setField } from "../../../lib/lab/edits";
import { readModel } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";

const scenario = `version: 1
name: shop
brokers:
  aws: { kind: aws }
resources:
  aws:
    queues:
      - { name: billing, deadLetter: { queue: billing-dlq, maxReceiveCount: 3 } }
      - { name: billing-dlq }
      - { name: orders.fifo }
    topics: [{ name: order-events }]
    subscriptions: [{ topic: order-events, queue: billing, raw: true }]
    buses: [{ name: shop }]
    rules: [{ name: route, bus: shop, pattern: { source: [shop] }, targets: [{ queue: billing }] }]
services:
  - name: s
    producers:
      - { name: fifo, broker: aws, to: { queue: orders.fifo, groupId: g, deduplicationId: "{{seq}}" }, rate: { perSecond: 5 } }
      - { name: sns, broker: aws, to: { snsTopic: order-events, attributes: { type: created } }, rate: { perSecond: 5 } }
      - { name: events, broker: aws, to: { bus: shop, source: shop, detailType: OrderCreated }, rate: { perSecond: 5 } }
    consumers:
      - { name: c, broker: aws, from: { queue: billing, waitSeconds: 1 } }
`;

function renderInspector(text: string, selection: DocPath, editor: Partial<LabEditor> = {}) {
  const analysis = analyse(text);
  assert.equal(analysis.parsed, true);
  const noop = () => {};
  const full: LabEditor = { set: noop, rename: noop, remove: noop, addProducer: noop, addConsumer: noop, connect: noop, select: noop, ...editor };
  return render(createElement(Inspector, { selection, raw: analysis.raw, model: readModel(analysis.raw), problems: analysis.problems, editor: full, readOnly: false }));
}

const fieldOf = (label: string) => screen.getByLabelText(label).closest(".lab-field") as HTMLElement;
const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

describe("the inspector's Amazon forms", () => {
  afterEach(cleanup);
  after(() => {
    (globalThis as { window?: { close(): void } }).window?.close();
  });

  it("the example scenario is valid, so no form shows a problem", () => {
    assert.deepEqual(analyse(scenario).problems, []);
  });

  it("shows an SQS queue's timing and redrive, and the visibility timeout's problem under it", () => {
    renderInspector(scenario, ["resources", "aws", "queues", 0]);
    assert.ok(screen.getByTestId("inspector-queue"));
    assert.equal(value("Dead-letter queue"), "billing-dlq");
    assert.equal(value("Max receives"), "3");
    assert.equal(screen.queryByLabelText("Content-based deduplication"), null);
    cleanup();
    renderInspector(setField(scenario, ["resources", "aws", "queues", 0, "visibilityTimeout"], "13h"), ["resources", "aws", "queues", 0]);
    assert.match(within(fieldOf("Visibility timeout")).getByTestId("field-problems").textContent ?? "", /12h|at most/i);
    assert.equal(within(fieldOf("Retention")).queryByTestId("field-problems"), null);
  });

  it("offers content-based deduplication on a FIFO queue only, and choosing a dead-letter queue writes a redrive", () => {
    const writes: [DocPath, unknown][] = [];
    renderInspector(scenario, ["resources", "aws", "queues", 2], { set: (path, v) => void writes.push([path, v]) });
    assert.ok(screen.getByLabelText("Content-based deduplication"));
    fireEvent.change(screen.getByLabelText("Dead-letter queue"), { target: { value: "billing-dlq" } });
    assert.deepEqual(writes, [[["resources", "aws", "queues", 2, "deadLetter"], { maxReceiveCount: 3, queue: "billing-dlq" }]]);
  });

  it("shows an SNS topic with its subscriptions, and subscribing a queue connects topic → queue", () => {
    const joins: [Endpoint, Endpoint][] = [];
    renderInspector(scenario, ["resources", "aws", "topics", 0], { connect: (a, b) => void joins.push([a, b]) });
    assert.ok(screen.getByTestId("inspector-topic"));
    assert.equal(screen.queryByLabelText("Partitions"), null);
    assert.match(screen.getByTestId("inspector-topic").textContent ?? "", /→ billing \(raw\)/);
    fireEvent.change(screen.getByLabelText("Subscribe a queue"), { target: { value: "billing-dlq" } });
    assert.deepEqual(joins, [[{ kind: "topic", broker: "aws", name: "order-events" }, { kind: "queue", broker: "aws", name: "billing-dlq" }]]);
  });

  it("a subscription's filter policy that is not JSON says so; valid JSON is written; a non-object is the validator's problem", () => {
    const path: DocPath = ["resources", "aws", "subscriptions", 0];
    const writes: unknown[] = [];
    renderInspector(scenario, path, { set: (_p, v) => void writes.push(v) });
    assert.ok(screen.getByTestId("inspector-subscription"));
    assert.equal((screen.getByLabelText("Raw delivery") as HTMLInputElement).checked, true);
    fireEvent.change(screen.getByLabelText("Filter policy"), { target: { value: '{ "type": [created] }' } });
    assert.match(within(fieldOf("Filter policy")).getByTestId("field-problems").textContent ?? "", /not valid JSON/);
    assert.deepEqual(writes, []);
    fireEvent.change(screen.getByLabelText("Filter policy"), { target: { value: '{ "type": ["created"] }' } });
    assert.deepEqual(writes, [{ type: ["created"] }]);
    cleanup();
    renderInspector(setField(scenario, [...path, "filterPolicy"], ["created"]), path);
    assert.match(within(fieldOf("Filter policy")).getByTestId("field-problems").textContent ?? "", /must be an object/);
  });

  it("shows a bus with its rules, and a rule with its bus, pattern and targets", () => {
    renderInspector(scenario, ["resources", "aws", "buses", 0]);
    assert.match(screen.getByTestId("inspector-bus").textContent ?? "", /route/);
    cleanup();
    const joins: [Endpoint, Endpoint][] = [];
    renderInspector(scenario, ["resources", "aws", "rules", 0], { connect: (a, b) => void joins.push([a, b]) });
    assert.equal(value("Bus"), "shop");
    assert.match(value("Event pattern"), /"source"/);
    fireEvent.change(screen.getByLabelText("Add a target queue"), { target: { value: "billing-dlq" } });
    assert.deepEqual(joins, [[{ kind: "rule", broker: "aws", name: "route" }, { kind: "queue", broker: "aws", name: "billing-dlq" }]]);
  });

  it("names a rule without targets at its targets", () => {
    renderInspector(setField(scenario, ["resources", "aws", "rules", 0, "targets"], []), ["resources", "aws", "rules", 0]);
    assert.match(within(fieldOf("Add a target queue")).getByTestId("field-problems").textContent ?? "", /at least one target/);
  });

  it("shows each Amazon producer target's own fields, and a FIFO group's problem under it", () => {
    renderInspector(scenario, ["services", 0, "producers", 0]);
    assert.equal(value("Message group"), "g");
    assert.equal(value("Deduplication id"), "{{seq}}");
    assert.equal(screen.queryByLabelText("Publisher confirms"), null);
    cleanup();
    renderInspector(scenario, ["services", 0, "producers", 1]);
    assert.match(value("Message attributes"), /"type": "created"/);
    cleanup();
    renderInspector(scenario, ["services", 0, "producers", 2]);
    assert.equal(value("Event source"), "shop");
    assert.equal(value("Detail type"), "OrderCreated");
    cleanup();
    renderInspector(setField(scenario, ["services", 0, "producers", 0, "to", "groupId"], undefined), ["services", 0, "producers", 0]);
    assert.match(screen.getByTestId("inspector-producer").textContent ?? "", /groupId/);
  });

  it("with nothing selected, names a bad Amazon endpoint under the broker's Endpoint field", () => {
    renderInspector(setField(scenario, ["brokers", "aws", "endpoint"], "localhost:4566"), undefined as unknown as DocPath);
    assert.match(within(fieldOf("Endpoint")).getByTestId("field-problems").textContent ?? "", /http:\/\/ or https:\/\/ URL/);
  });

  it("shows an SQS consumer's long-poll wait and its problem under it", () => {
    renderInspector(setField(scenario, ["services", 0, "consumers", 0, "from", "waitSeconds"], 30), ["services", 0, "consumers", 0]);
    assert.match(within(fieldOf("Long-poll wait (seconds)")).getByTestId("field-problems").textContent ?? "", /at most 20/);
  });
});
