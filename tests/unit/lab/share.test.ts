// Share links: the whole scenario, deflated into the URL hash, and back.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeShareHash, encodeShareHash } from "../../../lib/lab/share";

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
