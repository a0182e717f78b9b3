// Every example's AsyncAPI export passes the official AsyncAPI parser with no errors, and imports
// back to the same brokers, resources, producers and consumers.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Parser } from "@asyncapi/parser";
import { parse } from "yaml";
import { scenarioToAsyncApi, scenarioToAsyncApiYaml } from "../../../lib/asyncapi/export";
import { asyncApiToScenario } from "../../../lib/asyncapi/import";
import { parseScenarioText, validateScenario } from "../../../lib/scenario/validate";

const examplesDir = join(import.meta.dirname, "../../../examples");
const examples = readdirSync(examplesDir).filter((file) => file.endsWith(".yaml"));
const parser = new Parser();

const scenarioOf = (file: string) => {
  const result = parseScenarioText(readFileSync(join(examplesDir, file), "utf8"));
  if (!result.ok) throw new Error(`${file} is not a valid scenario`);
  return result.scenario;
};

describe("AsyncAPI export of the examples", () => {
  it("finds the examples", () => assert.ok(examples.length >= 10, `only ${examples.length} examples`));

  for (const file of examples) {
    it(`${file}: the official parser finds no errors`, async () => {
      const scenario = scenarioOf(file);
      const { document, diagnostics } = await parser.parse(JSON.stringify(scenarioToAsyncApi(scenario)));
      const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} at ${d.path.join(".")}: ${d.message}`);
      assert.deepEqual(errors, []);
      assert.ok(document, "the parser returned no document");
      const producers = scenario.services.flatMap((s) => s.producers);
      const consumers = scenario.services.flatMap((s) => s.consumers);
      const sends = document.operations().filterBySend().filter((op) => !op.extensions().get("x-brokerlab-forward-of"));
      assert.equal(sends.length, producers.length);
      assert.equal(document.operations().filterByReceive().length, consumers.length);
    });

    it(`${file}: imports back to the same brokers, resources, producers and consumers`, () => {
      const scenario = scenarioOf(file);
      const imported = asyncApiToScenario(parse(scenarioToAsyncApiYaml(scenario)));
      assert.ok(imported.ok, JSON.stringify(!imported.ok && imported.problems));
      const again = validateScenario(imported.scenario);
      assert.ok(again.ok, JSON.stringify(!again.ok && again.problems));
      assert.deepEqual(Object.fromEntries(Object.entries(again.scenario.brokers).map(([name, b]) => [name, b.kind])), Object.fromEntries(Object.entries(scenario.brokers).map(([name, b]) => [name, b.kind])));
      assert.deepEqual(again.scenario.resources, scenario.resources);
      const parts = (s: typeof scenario) => s.services.map((service) => ({ name: service.name, replicas: service.replicas, producers: service.producers, consumers: service.consumers }));
      assert.deepEqual(parts(again.scenario), parts(scenario));
    });
  }
});

describe("npm run scenario -- asyncapi FILE", () => {
  const cli = (file: string) => spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../../../server/cli/scenario.ts"), "asyncapi", file], { encoding: "utf8", timeout: 60_000 });

  it("prints a document the parser accepts", async () => {
    const result = cli(join(examplesDir, "fanout-logs.yaml"));
    assert.equal(result.status, 0, result.stderr);
    const { diagnostics } = await parser.parse(result.stdout);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 0).map((d) => d.message), []);
    assert.match(result.stdout, /^asyncapi: 3\.0\.0$/m);
  });

  it("exits 2 naming the problem of a bad scenario", () => {
    const dir = mkdtempSync(join(tmpdir(), "brokerlab-asyncapi-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "version: 1\nname: bad\nbrokers: {}\nservices: []\n");
    const result = cli(file);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /services: must list at least one service/);
    assert.equal(result.stdout, "");
  });
});
