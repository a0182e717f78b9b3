// The ledger tiles: values, a one-line explanation for each, and "lost" that only alarms after the run.
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

  it("counts unconsumed messages as in flight while the run goes on, and as lost once it has ended", () => {
    const ledger = { confirmed: 100, consumed: 90, lost: 10, duplicated: 0, recovered: 0 };
    const { rerender } = render(createElement(LedgerCounters, { frame: frame(1, { ledger }) }));
    assert.ok(!screen.getByTestId("ledger-lost").className.includes("--bad"));
    assert.match(screen.getByTestId("ledger-lost").textContent ?? "", /in flight included/);
    rerender(createElement(LedgerCounters, { frame: frame(1, { ledger, status: "finished" }) }));
    const lost = screen.getByTestId("ledger-lost");
    assert.ok(lost.className.includes("ledger__item--bad"));
    assert.match(document.getElementById(lost.getAttribute("aria-describedby") ?? "")?.textContent ?? "", /really gone/);
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
