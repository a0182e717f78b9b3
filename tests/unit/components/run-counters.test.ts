// The lessons' run counters: a consumer group's lag in messages and in time (how old its oldest
// unconsumed message is, and when the lag is gone at the current rates, or that it is not).
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, render, screen } from "@testing-library/react";
import { RunCounters } from "../../../components/lessons/run-counters";
import type { GroupLag } from "../../../lib/run/model";
import { frame } from "./fixtures";

afterEach(cleanup);

const group = (name: string, change: Partial<GroupLag>): GroupLag => ({
  broker: "kafka", group: name, topic: "orders", partitions: [{ partition: 0, committed: 10, high: 130, lag: 120, seconds: 3.2 }], total: 120, ...change,
});

describe("RunCounters' lag table", () => {
  it("shows the oldest message's age and the time to drain, not draining, or – while unknown", () => {
    render(createElement(RunCounters, { frame: frame(3, { lag: [
      group("draining", { seconds: 3.2, drainSeconds: 12.4 }),
      group("behind", { seconds: 75, drainSeconds: null }),
      group("new", {}),
    ] }) }));
    const rows = screen.getAllByRole("row").map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
    const lagRows = rows.filter((cells) => String(cells[0]).endsWith("/ orders"));
    assert.deepEqual(lagRows, [
      ["draining / orders", "120", "3.2 s", "12 s", "0: 120"],
      ["behind / orders", "120", "1 min 15 s", "not draining", "0: 120"],
      ["new / orders", "120", "–", "–", "0: 120"],
    ]);
  });
});
