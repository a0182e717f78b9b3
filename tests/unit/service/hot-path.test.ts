// The per-message helpers of a service process: the bounded id memory and body encoding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createIdMemory } from "../../../server/service/lru";
import { encodeBody } from "../../../server/service/templates";

describe("id memory", () => {
  it("remembers ids until capacity, then forgets the oldest first", () => {
    const memory = createIdMemory(3);
    for (const id of ["a", "b", "c"]) memory.add(id);
    assert.ok(memory.has("a") && memory.has("b") && memory.has("c"));
    memory.add("d");
    assert.equal(memory.has("a"), false);
    assert.ok(memory.has("b") && memory.has("d"));
    assert.equal(memory.size, 3);
  });

  it("does not store an id twice, so a repeat does not push another id out", () => {
    const memory = createIdMemory(2);
    memory.add("a");
    memory.add("b");
    memory.add("b");
    assert.ok(memory.has("a"));
    assert.equal(memory.size, 2);
  });

  it("stays exact over many evictions", () => {
    const memory = createIdMemory(1_000);
    for (let i = 0; i < 50_000; i++) memory.add(`id-${i}`);
    assert.equal(memory.size, 1_000);
    assert.equal(memory.has("id-48999"), false);
    assert.equal(memory.has("id-49000"), true);
    assert.equal(memory.has("id-49999"), true);
  });

  it("refuses a capacity that is not a positive integer", () => {
    assert.throws(() => createIdMemory(0), /positive integer/);
  });
});

describe("encodeBody", () => {
  const sizes = [undefined, 10, 50, 100, 1024];
  const payloads: unknown[] = [{ orderId: 7, sku: "A-1", note: "ünïcødé" }, {}, [1, 2], "text", 42, null, { nested: { a: [1] } }];

  for (const payload of payloads) {
    for (const size of sizes) {
      it(`pads ${JSON.stringify(payload)} to ${size ?? "no"} bytes as valid JSON with the same fields`, () => {
        const body = encodeBody(payload, size);
        const parsed: unknown = JSON.parse(body.toString());
        const natural = Buffer.byteLength(JSON.stringify(payload));
        const isObject = Boolean(payload) && typeof payload === "object" && !Array.isArray(payload);
        // An object's pad field costs bytes of its own: a size below that is as close as it gets.
        const smallest = isObject ? Buffer.byteLength(JSON.stringify({ ...(payload as object), _pad: "" })) : natural;
        if (size !== undefined && natural < size) assert.equal(body.length, Math.max(size, smallest));
        else assert.equal(body.length, natural);
        if (isObject) {
          const { _pad, ...rest } = parsed as Record<string, unknown>;
          assert.deepEqual(rest, payload);
          if (size !== undefined && natural < size) assert.match(String(_pad), /^x*$/);
        } else {
          assert.deepEqual(parsed, payload);
        }
      });
    }
  }

  it("gives exactly the text of JSON.stringify({ ...payload, _pad })", () => {
    const payload = { a: 1, b: "two" };
    const body = encodeBody(payload, 64).toString();
    const pad = (JSON.parse(body) as { _pad: string })._pad;
    assert.equal(body, JSON.stringify({ ...payload, _pad: pad }));
  });

  it("replaces a payload's own _pad value in place", () => {
    const body = JSON.parse(encodeBody({ _pad: "mine", a: 1 }, 80).toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ["_pad", "a"]);
    assert.equal(Buffer.byteLength(JSON.stringify(body)), 80);
  });
});
