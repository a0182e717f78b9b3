// The canvas flowing down (phones): each column of the left-to-right layout becomes a row, so the
// graph is about one node wide and the nodes keep a readable size when fitted to a narrow screen.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { buildGraph } from "../../../lib/lab/graph";
import { layoutGraph, nodeWidth } from "../../../lib/lab/layout";

const graphOf = (file: string) => buildGraph(parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), "utf8")) as unknown);

describe("layoutGraph flowing down", () => {
  it("puts order-inventory's producer, queue and consumer one below the other, one node wide", () => {
    const graph = graphOf("order-inventory.yaml");
    const at = layoutGraph(graph, {}, new Map(), "down");
    const [producer, queue, consumer] = ["svc:order-service", "q:rabbit/order_queue", "svc:inventory-service"].map((id) => at[id]!);
    assert.ok(producer!.y < queue!.y && queue!.y < consumer!.y, JSON.stringify(at));
    const right = Math.max(...graph.nodes.map((n) => at[n.id]!.x + nodeWidth[n.type]));
    assert.equal(Math.min(...graph.nodes.map((n) => at[n.id]!.x)), 0);
    assert.equal(right, nodeWidth.service);
  });

  it("sets the nodes of one column side by side in one row, and rows apart by the tallest node", () => {
    const graph = graphOf("fanout-logs.yaml");
    const heights = new Map(graph.nodes.map((n) => [n.id, 100]));
    const at = layoutGraph(graph, {}, heights, "down");
    const archive = at["q:rabbit/logs.archive"]!;
    const monitor = at["q:rabbit/logs.monitor"]!;
    assert.equal(archive.y, monitor.y);
    assert.notEqual(archive.x, monitor.x);
    assert.ok(at["ex:rabbit/logs"]!.y + 100 <= archive.y);
  });

  it("keeps a position the user placed by hand", () => {
    const at = layoutGraph(graphOf("order-inventory.yaml"), { "svc:order-service": { x: 7, y: 9 } }, new Map(), "down");
    assert.deepEqual(at["svc:order-service"], { x: 7, y: 9 });
  });
});
