// The ledger tiles: values, a one-line explanation for each, pending while live and lost only for what is known gone.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, render, screen } from "@testing-library/react";
import { LedgerCounters } from "../../../components/run/ledger-counters";
import { frame } from "./fixtures";

afterEach(cleanup);

describe("LedgerCounters", () => {
  it("shows the six counters, each with its explanation as a tooltip", () => {
    render(createElement(LedgerCounters, { frame: frame(50, { ledger: { confirmed: 1200, consumed: 1190, lost: 10, duplicated: 2, recovered: 1 }, droppedSpans: 3 }) }));
    for (const [id, value] of [["confirmed", "1,200"], ["consumed", "1,190"], ["lost", "10"], ["duplicated", "2"], ["recovered", "1"], ["dropped-spans", "3"]] as const) {
      const tile = screen.getByTestId(`ledger-${id}`);
      assert.match(tile.textContent ?? "", new RegExp(`^${value}`));
      const tip = document.getElementById(tile.getAttribute("aria-describedby") ?? "");
      assert.equal(tip?.getAttribute("role"), "tooltip");
      assert.ok((tip?.textContent ?? "").length > 30, `${id} explains itself`);
    }
  });

  it("shows unconsumed messages as pending while the run goes on, and lost only what is known not to be coming", () => {
    // The walkthrough saw "102 Lost · in flight included" beside "100 in queue": waiting is not lost.
    const live = { confirmed: 100, consumed: 90, lost: 0, pending: 10, duplicated: 0, recovered: 0 };
    const { rerender } = render(createElement(LedgerCounters, { frame: frame(1, { ledger: live }) }));
    assert.match(screen.getByTestId("ledger-pending").textContent ?? "", /^10/);
    assert.match(screen.getByTestId("ledger-lost").textContent ?? "", /^0/);
    assert.ok(!screen.getByTestId("ledger-lost").className.includes("--bad"));
    // Settled (nothing left anywhere): the same ten are lost, and say so before the run ends.
    rerender(createElement(LedgerCounters, { frame: frame(1, { ledger: { ...live, pending: 0, lost: 10 } }) }));
    assert.ok(screen.getByTestId("ledger-lost").className.includes("ledger__item--bad"));
    rerender(createElement(LedgerCounters, { frame: frame(1, { ledger: { confirmed: 100, consumed: 90, lost: 10, duplicated: 0, recovered: 0 }, status: "finished" }) }));
    assert.equal(screen.queryByTestId("ledger-pending"), null, "no pending once the run has ended");
    const lost = screen.getByTestId("ledger-lost");
    assert.ok(lost.className.includes("ledger__item--bad"));
    assert.match(document.getElementById(lost.getAttribute("aria-describedby") ?? "")?.textContent ?? "", /really gone/);
  });

  it("says what a running run waits for, and nothing once it has ended", () => {
    const waitingFor = ["12 messages in order_queue", "consumer lag 3 on group billing (orders)"];
    const { rerender } = render(createElement(LedgerCounters, { frame: frame(1, { waitingFor }) }));
    assert.equal(screen.getByTestId("run-waiting-for").textContent, "Waiting for: 12 messages in order_queue; consumer lag 3 on group billing (orders)");
    rerender(createElement(LedgerCounters, { frame: frame(1, { waitingFor, status: "finished" }) }));
    assert.equal(screen.queryByTestId("run-waiting-for"), null);
  });

  it("shows dashes before the first frame", () => {
    render(createElement(LedgerCounters, { frame: undefined }));
    assert.match(screen.getByTestId("ledger-confirmed").textContent ?? "", /^–/);
  });

  it("shows untraced messages and the traced share only above the trace limit", () => {
    const { rerender } = render(createElement(LedgerCounters, { frame: frame(1, { tracing: { traced: 500, untraced: 0, limitPerSecond: 1000 } }) }));
    assert.equal(screen.queryByTestId("ledger-untraced"), null);
    rerender(createElement(LedgerCounters, { frame: frame(1, { tracing: { traced: 1000, untraced: 3000, limitPerSecond: 1000 } }) }));
    const tile = screen.getByTestId("ledger-untraced");
    assert.match(tile.textContent ?? "", /^3,000/);
    assert.match(tile.textContent ?? "", /traced 1 in 4\.0/);
    assert.match(document.getElementById(tile.getAttribute("aria-describedby") ?? "")?.textContent ?? "", /1,000 traces a second/);
  });
});
