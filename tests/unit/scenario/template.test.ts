// Payload templates: a closed set of placeholders, parsed once and rendered per message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compilePayload, compileString, parseTemplate, placeholders, renderParts, stringsIn } from "../../../lib/scenario/template";
import type { RenderContext } from "../../../lib/scenario/template";

const ctx = (over: Partial<RenderContext> = {}): RenderContext => ({
  seq: 7,
  service: "order-service",
  producer: "new-orders",
  replica: 2,
  runId: "run-1",
  now: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  ...over,
});

function render(source: string, over: Partial<RenderContext> = {}, fields: readonly string[] = []): string | number {
  const parsed = parseTemplate(source, fields);
  if ("error" in parsed) assert.fail(parsed.error);
  return renderParts(parsed.parts, ctx(over));
}

function errorOf(source: string, fields: readonly string[] = []): string {
  const parsed = parseTemplate(source, fields);
  assert.ok("error" in parsed, `expected "${source}" to be rejected`);
  return parsed.error;
}

describe("numbers and strings", () => {
  it("a lone numeric placeholder renders as a number", () => {
    assert.equal(render("{{seq}}"), 7);
    assert.equal(render("{{replica}}"), 2);
    assert.equal(render("{{timestamp}}"), Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    assert.equal(render("{{randomInt 3 3}}"), 3);
    assert.equal(render("{{randomFloat 2.5 2.5}}"), 2.5);
  });

  it("a placeholder inside text renders as text", () => {
    assert.equal(render("order-{{seq}}"), "order-7");
    assert.equal(render("{{seq}} "), "7 ");
    assert.equal(render("{{service}}/{{producer}}/{{seq}}"), "order-service/new-orders/7");
  });

  it("string placeholders stay strings, also when a pick word looks like a number", () => {
    assert.equal(render("{{pick 1 2}}", { random: () => 0 }), "1");
    assert.equal(render("{{now}}"), "2026-01-02T03:04:05.678Z");
    assert.equal(render("{{runId}}"), "run-1");
    assert.match(String(render("{{uuid}}")), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("text without placeholders is kept as it is", () => {
    assert.equal(render("plain text"), "plain text");
    assert.equal(render(""), "");
  });

  it("spaces inside the braces are allowed", () => {
    assert.equal(render("{{ seq }}"), 7);
    assert.equal(render("{{  randomInt   1   1 }}"), 1);
  });
});

describe("random placeholders stay within their bounds", () => {
  const lowest = () => 0;
  const highest = () => 1 - Number.EPSILON;

  it("randomInt A B includes both A and B", () => {
    assert.equal(render("{{randomInt 1 5}}", { random: lowest }), 1);
    assert.equal(render("{{randomInt 1 5}}", { random: highest }), 5);
    assert.equal(render("{{randomInt -3 -1}}", { random: lowest }), -3);
    assert.equal(render("{{randomInt -3 -1}}", { random: highest }), -1);
  });

  it("randomInt draws whole numbers, every value of the range", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = render("{{randomInt 1 5}}");
      assert.ok(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5, `out of range: ${value}`);
      seen.add(value as number);
    }
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5]);
  });

  it("randomFloat A B stays within A and B, with at most two decimals", () => {
    assert.equal(render("{{randomFloat 5 500}}", { random: lowest }), 5);
    assert.equal(render("{{randomFloat 5 500}}", { random: highest }), 500);
    for (let i = 0; i < 1000; i++) {
      const value = render("{{randomFloat 0.5 1.5}}") as number;
      assert.ok(value >= 0.5 && value <= 1.5, `out of range: ${value}`);
      assert.equal(Math.round(value * 100) / 100, value);
    }
  });

  it("pick chooses one of the given words, first to last", () => {
    assert.equal(render("{{pick created paid shipped}}", { random: lowest }), "created");
    assert.equal(render("{{pick created paid shipped}}", { random: highest }), "shipped");
    assert.equal(render("order.{{pick created paid shipped}}", { random: () => 0.5 }), "order.paid");
    const seen = new Set<string | number>();
    for (let i = 0; i < 500; i++) seen.add(render("{{pick a b c}}"));
    assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
  });
});

describe("rejected templates", () => {
  it("an unknown placeholder lists the known ones", () => {
    const error = errorOf("{{sequence}}");
    assert.match(error, /^unknown placeholder \{\{sequence\}\}; known placeholders are /);
    for (const name of Object.keys(placeholders)) assert.ok(error.includes(`{{${name}}}`), `${name} is not listed`);
  });

  it("the wrong number of arguments", () => {
    assert.match(errorOf("{{seq 1}}"), /^placeholder \{\{seq 1\}\} takes no arguments; use \{\{seq\}\}/);
    assert.match(errorOf("{{randomInt 1}}"), /^placeholder \{\{randomInt 1\}\} takes 2 arguments/);
    assert.match(errorOf("{{pick}}"), /takes 1 to 64 arguments/);
    assert.match(errorOf(`{{pick ${Array.from({ length: 65 }, (_, i) => `w${i}`).join(" ")}}}`), /takes 1 to 64 arguments/);
  });

  it("random bounds that are not numbers, reversed, or (for randomInt) not whole", () => {
    assert.match(errorOf("{{randomInt a b}}"), /needs two whole numbers A ≤ B/);
    assert.match(errorOf("{{randomInt 5 1}}"), /needs two whole numbers A ≤ B/);
    assert.match(errorOf("{{randomInt 1.5 3}}"), /needs two whole numbers A ≤ B/);
    assert.match(errorOf("{{randomFloat 2 1}}"), /needs two numbers A ≤ B/);
    assert.equal(render("{{randomFloat 1.5 3}}", { random: () => 0 }), 1.5);
  });

  it("an unclosed placeholder", () => {
    assert.match(errorOf("order-{{seq"), /^unclosed placeholder in "order-\{\{seq"/);
  });
});

describe("field references in keys, routing keys and headers", () => {
  const fields = { customerId: 42, region: "eu" };

  it("a key that is one field renders that field's value", () => {
    assert.equal(compileString("{{customerId}}", ["customerId", "region"])(ctx({ fields })), "42");
  });

  it("fields mix with text and placeholders", () => {
    assert.equal(compileString("{{region}}.customer-{{customerId}}.{{seq}}", ["customerId", "region"])(ctx({ fields })), "eu.customer-42.7");
  });

  it("renderParts keeps a lone field's type", () => {
    const parsed = parseTemplate("{{customerId}}", ["customerId"]);
    assert.ok("parts" in parsed);
    assert.equal(renderParts(parsed.parts, ctx({ fields })), 42);
  });

  it("only the listed fields may be named", () => {
    assert.match(errorOf("{{customerID}}", ["customerId"]), /^unknown placeholder \{\{customerID\}\}; known placeholders are .*\{\{customerId\}\}$/);
    assert.throws(() => compileString("{{customerID}}", ["customerId"]), /unknown placeholder \{\{customerID\}\}/);
  });

  it("a field takes no arguments", () => {
    assert.match(errorOf("{{customerId 1}}", ["customerId"]), /^unknown placeholder/);
  });

  it('"*" allows any field name (a forward, whose payload is only known at run time)', () => {
    assert.equal(compileString("{{anything}}", ["*"])(ctx({ fields: { anything: "x" } })), "x");
    assert.equal(compileString("{{missing}}", ["*"])(ctx({ fields: {} })), "");
    assert.match(errorOf("{{not valid!}}", ["*"]), /^unknown placeholder/);
  });

  it("placeholder names win over fields of the same name", () => {
    assert.equal(compileString("{{seq}}", ["seq"])(ctx({ fields: { seq: 99 } })), "7");
  });
});

describe("payloads", () => {
  it("renders every string of a nested payload and keeps other values", () => {
    const render = compilePayload({ orderId: "{{seq}}", label: "order-{{seq}}", lines: [{ sku: "{{pick A}}", qty: 2 }], paid: false, note: null, fixed: "as is" });
    assert.deepEqual(render(ctx()), { orderId: 7, label: "order-7", lines: [{ sku: "A", qty: 2 }], paid: false, note: null, fixed: "as is" });
  });

  it("renders afresh for every message", () => {
    const render = compilePayload({ orderId: "{{seq}}" });
    assert.deepEqual([render(ctx({ seq: 1 })), render(ctx({ seq: 2 }))], [{ orderId: 1 }, { orderId: 2 }]);
  });

  it("a payload may be a single template string", () => {
    assert.equal(compilePayload("{{seq}}")(ctx()), 7);
    assert.equal(compilePayload("Order ID: {{seq}}")(ctx()), "Order ID: 7");
  });

  it("refuses a payload with a bad template", () => {
    assert.throws(() => compilePayload({ a: ["{{nope}}"] }), /unknown placeholder \{\{nope\}\}/);
  });

  it("stringsIn finds every string with its path", () => {
    assert.deepEqual([...stringsIn({ a: "x", b: [1, "y", { c: "z" }] })], [["x", ["a"]], ["y", ["b", 1]], ["z", ["b", 2, "c"]]]);
  });
});
