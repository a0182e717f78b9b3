// The inspector in a DOM (jsdom + Testing Library): a bad value shows the schema's own message
// right under its field, typing writes the document, and a valid item shows no problems.
import "global-jsdom/register";
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { createElement } from "react";
import { parse } from "yaml";
import { Inspector } from "../../../components/lab/inspector/inspector";
import type { LabEditor } from "../../../components/lab/inspector/form";
import { analyse } from "../../../lib/lab/document";
import { setField } from "../../../lib/lab/edits";
import { readModel } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";

const scenario = `version: 1
name: shop
brokers:
  rabbit: { kind: rabbitmq }
resources:
  rabbit:
    queues:
      - { name: order_queue }
services:
  - name: order-service
    producers:
      - { name: new-orders, broker: rabbit, to: { queue: order_queue }, rate: { perSecond: 20 } }
  - name: inventory-service
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        prefetch: 10
`;

const consumerPath: DocPath = ["services", 1, "consumers", 0];

function renderInspector(text: string, selection: DocPath | undefined, editor: Partial<LabEditor> = {}, tabs: { onShowYaml?(): void; onShowCode?(): void } = {}) {
  const analysis = analyse(text);
  const noop = () => {};
  const full: LabEditor = { set: noop, rename: noop, remove: noop, addProducer: noop, addConsumer: noop, connect: noop, select: noop, ...editor };
  return render(createElement(Inspector, { selection, raw: analysis.raw, model: readModel(analysis.raw), problems: analysis.problems, editor: full, readOnly: false, ...tabs }));
}

/** The field (label, input, its messages) that a label belongs to. */
const fieldOf = (label: string) => screen.getByLabelText(label).closest(".lab-field") as HTMLElement;

describe("the inspector", () => {
  afterEach(cleanup);
  after(() => {
    (globalThis as { window?: { close(): void } }).window?.close();
  });

  it("offers a pattern part as code: See it as code opens the Code tab", () => {
    const withReplier = `${scenario}    repliers:
      - { name: quote, broker: rabbit, from: { queue: order_queue } }
`;
    const opened: string[] = [];
    renderInspector(withReplier, ["services", 1, "repliers", 0], {}, { onShowYaml: () => opened.push("yaml"), onShowCode: () => opened.push("code") });
    assert.match(screen.getByTestId("pattern-yaml").textContent ?? "", /queue: order_queue/);
    fireEvent.click(screen.getByTestId("pattern-show-code"));
    assert.deepEqual(opened, ["code"]);
  });

  it("shows a valid consumer without problems", () => {
    renderInspector(scenario, consumerPath);
    assert.equal(screen.getByTestId("inspector-consumer").querySelectorAll("[data-testid=field-problems]").length, 0);
    assert.equal((screen.getByLabelText("Prefetch") as HTMLInputElement).value, "10");
  });

  it("puts the schema's message for a bad prefetch next to the prefetch field, and only there", () => {
    renderInspector(setField(scenario, [...consumerPath, "prefetch"], -3), consumerPath);
    const field = fieldOf("Prefetch");
    assert.match(within(field).getByTestId("field-problems").textContent ?? "", />=0|at least 0|too small/i);
    assert.equal(screen.getByLabelText("Prefetch").getAttribute("aria-invalid"), "true");
    assert.equal(within(fieldOf("Concurrency")).queryByTestId("field-problems"), null);
  });

  it("names a value of the wrong type, as the schema does", () => {
    renderInspector(setField(scenario, [...consumerPath, "prefetch"], "lots"), consumerPath);
    assert.match(within(fieldOf("Prefetch")).getByTestId("field-problems").textContent ?? "", /expected number/i);
  });

  it("puts a reference problem next to the link it is about", () => {
    renderInspector(setField(scenario, [...consumerPath, "from"], { queue: "order_queu" }), consumerPath);
    assert.match(within(fieldOf("Reads from")).getByTestId("field-problems").textContent ?? "", /"order_queu" is not a queue declared in resources\.rabbit\.queues/);
  });

  it("writes what is typed into the document, a number as a number and text as text", () => {
    const writes: [DocPath, unknown][] = [];
    renderInspector(scenario, consumerPath, { set: (path, value) => void writes.push([path, value]) });
    fireEvent.change(screen.getByLabelText("Prefetch"), { target: { value: "25" } });
    fireEvent.change(screen.getByLabelText("Prefetch"), { target: { value: "2x" } });
    assert.deepEqual(writes, [[[...consumerPath, "prefetch"], 25], [[...consumerPath, "prefetch"], "2x"]]);
    const after = setField(scenario, writes[1]![0], writes[1]![1]);
    assert.equal((parse(after) as { services: { consumers: { prefetch: unknown }[] }[] }).services[1]!.consumers[0]!.prefetch, "2x");
  });

  it("shows a producer's rate problem under the rate field", () => {
    renderInspector(setField(scenario, ["services", 0, "producers", 0, "rate", "perSecond"], 0), ["services", 0, "producers", 0]);
    assert.match(within(fieldOf("Messages per second")).getByTestId("field-problems").textContent ?? "", /must be greater than 0/);
  });

  it("lists every problem of the scenario when nothing is selected", () => {
    renderInspector(setField(scenario, ["name"], "bad name!"), undefined);
    assert.match(within(fieldOf("Scenario name")).getByTestId("field-problems").textContent ?? "", /must start with a letter/);
    assert.equal(within(screen.getByTestId("all-problems")).getAllByRole("listitem").length, 1);
  });
});
