// The run charts' data (throughput, latency with its queue-wait/processing split, backlog) and
// the component's words around the plots.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, render } from "@testing-library/react";
import { backlogData, latencyData, latest, throughputData } from "../../../components/run/chart-data";
import { RunCharts } from "../../../components/run/run-charts";
import { frame, latency, summary } from "./fixtures";

afterEach(cleanup);

describe("chart data", () => {
  it("sums rates over producers and consumers, on a time axis in seconds", () => {
    const frames = [frame(10), frame(20)];
    frames[1]!.producers["billing/other"] = { ...frames[1]!.producers["order-service/new-orders"]!, ratePerSec: 10 };
    const data = throughputData(frames);
    assert.deepEqual(data.x, [1, 2]);
    assert.deepEqual(data.columns, [[40, 50], [38, 38]]);
  });

  it("weights p50 by count across consumers, takes the slowest p99, and leaves gaps for empty windows", () => {
    const busy = frame(1);
    busy.consumers["b/slow"] = { ...busy.consumers["inventory-service/update-stock"]!, window: latency(summary(100, 400, 30), summary(90, 300, 30), summary(10, 20, 30)) };
    const idle = frame(2, { consumers: { "inventory-service/update-stock": { ...busy.consumers["inventory-service/update-stock"]!, window: latency(summary(0, 0, 0), summary(0, 0, 0), summary(0, 0, 0)) } } });
    const all = latencyData([busy, idle], "all");
    assert.deepEqual(all.columns.map((c) => c[0]), [(17 * 10 + 100 * 30) / 40, 400, (2 * 10 + 90 * 30) / 40, (15 * 10 + 10 * 30) / 40]);
    assert.deepEqual(all.columns.map((c) => c[1]), [null, null, null, null]);
    assert.deepEqual(latencyData([busy], "b/slow").columns.map((c) => c[0]), [100, 400, 90, 10]);
    assert.equal(latest(all.columns[0]!), (17 * 10 + 100 * 30) / 40);
  });

  it("draws one backlog series per queue and per consumer group", () => {
    const data = backlogData([frame(3, { lag: [{ broker: "kafka", group: "billing", topic: "orders", partitions: [], total: 7 }] })]);
    assert.deepEqual(data.labels, ["queue order_queue", "lag billing → orders"]);
    assert.deepEqual(data.columns, [[3], [7]]);
  });
});

describe("RunCharts", () => {
  it("states the latest values and the latency split in words", () => {
    render(createElement(RunCharts, { frames: Array.from({ length: 30 }, (_, i) => frame(i + 1)) }));
    const text = document.body.textContent ?? "";
    assert.match(text, /published\/s 40\/s/);
    assert.match(text, /consumed\/s 38\/s/);
    assert.match(text, /end to end p99 26\.0 ms/);
    assert.match(text, /waited 2\.0 ms in the queue and was processed in 15\.0 ms/);
    assert.match(text, /queue order_queue 0/);
  });

  it("explains itself before the first frame", () => {
    render(createElement(RunCharts, { frames: [] }));
    assert.match(document.body.textContent ?? "", /The charts start with the run/);
  });
});
