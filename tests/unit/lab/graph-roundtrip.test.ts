// YAML → graph → YAML: the canvas graph holds every part of a scenario, so rebuilding the document
// from it gives the same scenario (validated output and plain document alike) for every example.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { analyse, scenarioToText } from "../../../lib/lab/document";
import { withDerivedResources } from "../../../lib/scenario/derived";
import { buildGraph, graphToDocument } from "../../../lib/lab/graph";
import { columns, layoutGraph } from "../../../lib/lab/layout";
import { validateScenario } from "../../../lib/scenario/validate";

const examplesDir = new URL("../../../examples/", import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe("YAML → graph → YAML", () => {
  for (const file of examples) {
    it(`keeps ${file} equal`, () => {
      const text = readFileSync(new URL(file, examplesDir), "utf8");
      const raw = parse(text) as unknown;
      const graph = buildGraph(raw);
      const back = parse(stringify(graphToDocument(graph))) as unknown;
      assert.deepEqual(back, raw);
      const before = validateScenario(raw);
      const after = validateScenario(back);
      assert.ok(before.ok && after.ok);
      assert.deepEqual(after.scenario, before.scenario);
    });
  }

  it("keeps invalid and half-written documents too (dangling bindings, missing links)", () => {
    const raw = {
      version: 1,
      name: "draft",
      brokers: { rabbit: { kind: "rabbitmq" } },
      resources: { rabbit: { queues: [{ name: "a" }], bindings: [{ exchange: "nowhere", queue: "a" }], extra: true } },
      services: [{ name: "s", producers: [{ name: "p", broker: "rabbit" }], consumers: [{ name: "c", broker: "rabbit", from: { queue: "missing" } }] }],
      faults: [{ at: "1s", kill: "s" }],
    };
    const graph = buildGraph(raw);
    assert.equal(graph.edges.length, 0);
    assert.equal(graph.detached.length, 1);
    assert.deepEqual(graphToDocument(graph), raw);
  });
});

describe("the graph of an example", () => {
  const text = readFileSync(new URL("fanout-logs.yaml", examplesDir), "utf8");
  const graph = buildGraph(parse(text));

  it("has services, the exchange and the queues as nodes, and every link as an edge", () => {
    assert.deepEqual(graph.nodes.map((n) => n.id).sort(), ["ex:rabbit/logs", "q:rabbit/logs.archive", "q:rabbit/logs.monitor", "svc:log-archiver", "svc:log-monitor", "svc:web-app"]);
    assert.deepEqual(graph.edges.map((e) => e.kind).sort(), ["binding", "binding", "consume", "consume", "publish"]);
    const publish = graph.edges.find((e) => e.kind === "publish")!;
    assert.equal(publish.source, "svc:web-app");
    assert.equal(publish.sourceHandle, "p:0");
    assert.equal(publish.target, "ex:rabbit/logs");
    assert.equal(publish.liveKey, "web-app/app-logs");
  });

  it("lays out by columns: producers, exchanges, queues, consumers", () => {
    const rank = columns(graph);
    assert.equal(rank.get("svc:web-app"), 0);
    assert.equal(rank.get("ex:rabbit/logs"), 1);
    assert.equal(rank.get("q:rabbit/logs.archive"), 2);
    assert.equal(rank.get("svc:log-archiver"), 3);
    const at = layoutGraph(graph);
    assert.ok(at["svc:web-app"]!.x < at["ex:rabbit/logs"]!.x);
    assert.ok(at["ex:rabbit/logs"]!.x < at["q:rabbit/logs.monitor"]!.x);
    assert.ok(at["q:rabbit/logs.monitor"]!.x < at["svc:log-monitor"]!.x);
    assert.notEqual(at["q:rabbit/logs.archive"]!.y, at["q:rabbit/logs.monitor"]!.y);
  });

  it("keeps a position the user placed by hand", () => {
    const at = layoutGraph(graph, { "svc:web-app": { x: -500, y: 42 } });
    assert.deepEqual(at["svc:web-app"], { x: -500, y: 42 });
  });
});

describe("a document with a YAML syntax error", () => {
  it("keeps the last good parse for the canvas and reports line and column", () => {
    const good = analyse("version: 1\nname: a\nbrokers: {}\nservices: [{ name: s }]\n");
    const broken = analyse("version: 1\nname: a\nservices: [{ name: s\n", good);
    assert.equal(broken.parsed, false);
    assert.deepEqual(broken.raw, good.raw);
    assert.match(broken.syntax[0]!.message, /^line \d+, column \d+: /);
  });
});

describe("a run's scenario shown to a second viewer", () => {
  for (const file of examples) {
    it(`turns ${file}, as the server holds it, back into valid YAML`, () => {
      const result = validateScenario(parse(readFileSync(new URL(file, examplesDir), "utf8")));
      assert.ok(result.ok);
      const held = withDerivedResources(result.scenario);
      const again = validateScenario(parse(scenarioToText(held)));
      assert.ok(again.ok, again.ok ? "" : JSON.stringify(again.problems));
      assert.deepEqual(again.scenario.services, held.services);
      assert.deepEqual(again.scenario.faults, held.faults);
    });
  }

  it("writes faults back in their written form", () => {
    const text = scenarioToText({ version: 1, faults: [{ at: 5000, action: "kill", service: "inventory-service", forMs: 2000 }, { at: 1000, action: "stopBroker", broker: "rabbit" }] });
    assert.deepEqual((parse(text) as { faults: unknown[] }).faults, [{ at: 5000, kill: "inventory-service", for: 2000 }, { at: 1000, stopBroker: "rabbit" }]);
  });
});
