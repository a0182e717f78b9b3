// The message log: newest first, bounded, filtered by kind, searched by key and routing key, and
// selectable with the mouse and the keyboard.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MessageLog, maxRows, visibleEvents } from "../../../components/run/message-log";
import { event } from "./fixtures";

afterEach(cleanup);

const events = Array.from({ length: 700 }, (_, i) =>
  event(i + 1, i % 2 === 0 ? { kind: "acked", service: "inventory-service", actor: "update-stock", routingKey: i % 10 === 0 ? "order.paid" : "order.created" } : { key: `customer-${i % 7}` }),
);

describe("visibleEvents", () => {
  it("keeps the newest events first and at most maxRows", () => {
    const rows = visibleEvents(events, "all", "");
    assert.equal(rows.length, maxRows);
    assert.equal(rows[0]!.id, "order-service/new-orders/700");
  });

  it("filters by kind and searches ids, keys, routing keys, trace ids and details", () => {
    assert.ok(visibleEvents(events, "acked", "").every((e) => e.kind === "acked"));
    assert.equal(visibleEvents(events, "all", "ORDER.PAID").length, 70);
    assert.ok(visibleEvents(events, "all", "customer-3").every((e) => e.key === "customer-3"));
    assert.deepEqual(visibleEvents(events, "all", "new-orders/7").map((e) => e.id).slice(-1), ["order-service/new-orders/7"]);
    assert.equal(visibleEvents([event(1, { detail: "poison message (orderId = 13)" })], "all", "poison").length, 1);
  });
});

describe("MessageLog", () => {
  it("draws at most maxRows rows, newest first, with time, kind, id, actor, destination, key and trace", () => {
    render(createElement(MessageLog, { events, onSelect: () => {} }));
    const rows = document.querySelectorAll("tbody tr");
    assert.equal(rows.length, maxRows);
    const cells = (row: Element) => Array.from(row.querySelectorAll("td")).map((td) => td.textContent);
    const [, kind, id, actor, destination, key, trace] = cells(rows[0]!);
    assert.deepEqual([kind, id, actor, destination, key], ["published", "order-service/new-orders/700", "order-service · new-orders", "order_queue", "customer-6"]);
    assert.equal(trace, "aaaaaaaa");
    assert.deepEqual(cells(rows[1]!).slice(1, 6), ["acked", "order-service/new-orders/699", "inventory-service · update-stock", "order_queue", "order.created"]);
  });

  it("selects a row by click, and by keyboard: arrows move, Enter opens", () => {
    const selected: string[] = [];
    render(createElement(MessageLog, { events: events.slice(0, 3), onSelect: (id: string) => selected.push(id) }));
    const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>("tbody tr"));
    fireEvent.click(rows[1]!);
    assert.deepEqual(selected, ["order-service/new-orders/2"]);
    assert.equal(rows[1]!.getAttribute("aria-selected"), "true");
    rows[0]!.focus();
    fireEvent.keyDown(rows[0]!, { key: "ArrowDown" });
    assert.equal(document.activeElement, rows[1]);
    fireEvent.keyDown(rows[1]!, { key: "End" });
    assert.equal(document.activeElement, rows[2]);
    fireEvent.keyDown(rows[2]!, { key: "Enter" });
    assert.deepEqual(selected, ["order-service/new-orders/2", "order-service/new-orders/1"]);
  });

  it("filters by kind and search from its toolbar, and pauses while new events arrive", () => {
    const { rerender } = render(createElement(MessageLog, { events: events.slice(0, 20), onSelect: () => {} }));
    fireEvent.change(screen.getByLabelText("Filter by kind"), { target: { value: "acked" } });
    assert.equal(document.querySelectorAll("tbody tr").length, 10);
    fireEvent.change(screen.getByLabelText("Search messages"), { target: { value: "order.paid" } });
    assert.equal(document.querySelectorAll("tbody tr").length, 2);
    fireEvent.change(screen.getByLabelText("Search messages"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Filter by kind"), { target: { value: "all" } });
    fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    act(() => rerender(createElement(MessageLog, { events: events.slice(0, 25), onSelect: () => {} })));
    assert.equal(document.querySelectorAll("tbody tr").length, 20);
    fireEvent.click(screen.getByRole("button", { name: "Resume (5 new)" }));
    assert.equal(document.querySelectorAll("tbody tr").length, 25);
  });

  it("says what will appear before any event", () => {
    render(createElement(MessageLog, { events: [], onSelect: () => {} }));
    assert.match(document.body.textContent ?? "", /Messages appear here as they flow/);
  });
});
