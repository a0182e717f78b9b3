// Share links: the whole scenario, deflated into the URL hash, and back; what a link carries is
// checked like any other scenario before the lab shows it as code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { analyse } from "../../../lib/lab/document";
import { decodeShareHash, encodeShareHash, maxShareLength, maxSharedTextBytes } from "../../../lib/lab/share";
import { pyShapes, tsShapes } from "../codegen/code-shape";

const example = readFileSync(new URL("../../../examples/order-chain.yaml", import.meta.url), "utf8");

describe("share links", () => {
  it("carry a scenario in the hash and give it back byte for byte", async () => {
    const hash = await encodeShareHash(example);
    assert.match(hash, /^s=[A-Za-z0-9_-]+$/, "only URL-safe characters, no padding");
    assert.ok(hash.length < example.length, "the text is compressed");
    assert.equal(await decodeShareHash(`#${hash}`), example);
    assert.equal(await decodeShareHash(hash), example);
  });

  it("keep non-ASCII text intact", async () => {
    const text = "version: 1\nname: ünïcode\ndescription: \"Bestellung → Lager ✓ 注文\"\n";
    assert.equal(await decodeShareHash(await encodeShareHash(text)), text);
  });

  it("coexist with other hash parameters", async () => {
    const hash = await encodeShareHash("version: 1\n");
    assert.equal(await decodeShareHash(`#view=canvas&${hash}`), "version: 1\n");
  });

  it("answer undefined for a hash without a scenario or a damaged one", async () => {
    assert.equal(await decodeShareHash(""), undefined);
    assert.equal(await decodeShareHash("#run=abc"), undefined);
    assert.equal(await decodeShareHash("#s=not-deflate-data"), undefined);
    const hash = await encodeShareHash(example);
    assert.equal(await decodeShareHash(hash.slice(0, hash.length / 2)), undefined);
  });
});

describe("a shared scenario is untrusted input", () => {
  const nastyQueue = 'dlx\n__import__("os").system("x")\n#\u2028}}}';
  const shared = (scenario: unknown) => encodeShareHash(stringify(scenario));
  const document = (queue: string, extra: Record<string, unknown> = {}) => ({
    version: 1, name: "shared", brokers: { rabbit: { kind: "rabbitmq" } },
    resources: { rabbit: { exchanges: [{ name: queue, type: "fanout" }], queues: [{ name: "q", deadLetter: { exchange: queue } }] } },
    services: [{ name: "s", consumers: [{ name: "c", broker: "rabbit", from: { queue: "q" }, onError: "dead-letter", ...extra }] }],
  });

  it("is validated as the lab loads it: an invalid one gives no scenario, so no code, and names the bad field", async () => {
    const text = await decodeShareHash(await shared(document("dlx", { run: 'os.system("x")' })));
    assert.ok(text !== undefined);
    const analysis = analyse(text);
    assert.equal(analysis.scenario, undefined, "code is generated only from analysis.scenario");
    assert.deepEqual(analysis.problems.map((p) => p.path), ["services[0].consumers[0]"]);
    assert.match(analysis.problems[0]!.message, /unknown field "run"/);
  });

  it("with hostile but valid names becomes code that keeps them inside literals and comments", async () => {
    const analysis = analyse((await decodeShareHash(await shared(document(nastyQueue))))!);
    const benign = analyse((await decodeShareHash(await shared(document("dlx"))))!);
    assert.ok(analysis.scenario && benign.scenario);
    const selection = { service: "s", consumer: "c" };
    const [tsNasty, tsBenign] = tsShapes([generateTypeScript(analysis.scenario, selection).source, generateTypeScript(benign.scenario, selection).source]);
    const [pyNasty, pyBenign] = pyShapes([generatePython(analysis.scenario, selection).source, generatePython(benign.scenario, selection).source]);
    assert.deepEqual(tsNasty!.problems, []);
    assert.deepEqual(pyNasty!.problems, []);
    assert.deepEqual(tsNasty!.statements, tsBenign!.statements);
    assert.deepEqual(pyNasty!.statements, pyBenign!.statements);
  });

  it("is refused when it inflates beyond any link Brokerlab makes (a deflate bomb)", async () => {
    const bomb = await encodeShareHash(`description: ${"a".repeat(maxSharedTextBytes + 1)}\n`);
    assert.ok(bomb.length < maxShareLength, "the bomb fits in a link");
    assert.equal(await decodeShareHash(bomb), undefined);
    const large = `description: ${"a".repeat(maxSharedTextBytes - 100)}\n`;
    assert.equal(await decodeShareHash(await encodeShareHash(large)), large);
  });
});
