// Input that once threw instead of answering: inherited placeholder names, timers past 2^31-1 ms,
// YAML aliases of aliases, and values nested deeper than a recursive parser's stack.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inputShapeProblem } from "../../../lib/input-bounds";
import { durationSchema } from "../../../lib/scenario/duration";
import { compilePayload, parseTemplate } from "../../../lib/scenario/template";
import { parseScenarioText, validateScenario } from "../../../lib/scenario/validate";
import { expectProblem, expectValid, problemsOf, withChange } from "./helpers";

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe("placeholders are own names only", () => {
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
    it(`{{${name}}} is an unknown placeholder, not what every object inherits`, () => {
      const parsed = parseTemplate(`{{${name}}}`);
      assert.ok("error" in parsed);
      assert.match(parsed.error, new RegExp(`unknown placeholder \\{\\{${name}\\}\\}; known placeholders are \\{\\{seq\\}\\}`));
      expectProblem(withChange("services[0].producers[0].payload", { a: `{{${name}}}` }), "services[0].producers[0].payload.a", /unknown placeholder/);
    });
  }

  it("a forwarded {{constructor}} field renders only a field the message has", () => {
    const render = compilePayload({ c: "{{constructor}}", s: "x{{toString}}" }, ["*"]);
    const base = { seq: 1, service: "s", producer: "p", replica: 0, runId: "r", now: 0 };
    assert.deepEqual(render({ ...base, fields: { id: 1 } }), { c: "", s: "x" });
    assert.deepEqual(render({ ...base, fields: { constructor: "own", toString: "t" } }), { c: "own", s: "xt" });
  });
});

describe("every duration is bounded", () => {
  it("a fault at 1000000000s is refused with the bound, not fired at once", () => {
    const doc = withChange("faults", [{ at: "1000000000s", kill: "inventory-service" }]);
    expectProblem(doc, "faults[0].at", /"1000000000s" is too long; a duration here may be at most 24 h \(86400000 ms\)/);
  });

  it("numbers, for, startAfter and pattern timeouts are bounded too", () => {
    expectProblem(withChange("faults", [{ at: 2 ** 31, kill: "inventory-service" }]), "faults[0].at", /at most 24 h/);
    expectProblem(withChange("faults", [{ at: "1s", kill: "inventory-service", for: "100000m" }]), "faults[0].for", /at most 24 h/);
    expectProblem(withChange("services[0].producers[0].startAfter", "1441m"), "services[0].producers[0].startAfter", /at most 24 h/);
  });

  it("a rate slower than one message per 1000 s is refused (the pause would overflow a timer)", () => {
    expectProblem(withChange("services[0].producers[0].rate", { perSecond: 1e-7 }), "services[0].producers[0].rate.perSecond", "must be at least 0.001 (one message per 1000 s)");
    expectProblem(withChange("services[0].producers[0].rate", { perSecond: -5 }), "services[0].producers[0].rate.perSecond", "must be greater than 0");
    expectValid(withChange("services[0].producers[0].rate", { perSecond: 0.001 }));
  });

  it("24 h itself, a week of message TTL and a year of retention are accepted", () => {
    assert.equal(durationSchema.parse("1440m"), 86_400_000);
    expectValid(withChange("resources.rabbit.queues[1].messageTtl", "10080m"));
    expectValid(withChange("resources.kafka.topics[0].retention", "525600m"));
    expectProblem(withChange("resources.kafka.topics[0].retention", "525601m"), "resources.kafka.topics[0].retention", /at most 8760 h/);
  });
});

describe("the shape of the input is bounded before it is read", () => {
  it("a billion laughs in YAML is a clear problem, not a crash", () => {
    const rows = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (const [i, name] of ["b", "c", "d", "e", "f", "g"].entries()) rows.push(`${name}: &${name} [${Array(9).fill(`*${"abcdefg"[i]}`).join(", ")}]`);
    const problems = problemsOf(parseScenarioText(rows.join("\n")));
    assert.deepEqual(problems.map((p) => p.path), [""]);
    assert.match(problems[0]!.message, /uses YAML aliases \(\*name\) too often \(more than 100 expansions\)/);
  });

  it("a few aliases are fine", () => {
    const text = "version: 1\nname: aliases\nbrokers: { rabbit: &r { kind: rabbitmq } }\nresources: { rabbit: { queues: [ { name: q } ] } }\nservices:\n  - name: s\n    consumers: [ { name: c, broker: rabbit, from: { queue: q } } ]\n";
    assert.equal(parseScenarioText(text).ok, true);
  });

  it("objects nested 100,000 deep answer a problem (zod would overflow its stack)", () => {
    for (const input of [nested(100_000), withChange("services[0].producers[0].payload", nested(5_000))]) {
      const problems = problemsOf(validateScenario(input));
      assert.match(problems[0]!.message, /is nested more than 64 levels deep; flatten it/);
    }
    assert.match(inputShapeProblem(Array.from({ length: 300_000 }, () => 0)) ?? "", /more than 200000 values/);
    assert.equal(inputShapeProblem(nested(60)), undefined);
  });

  it("a cyclic value (a YAML alias to itself) is refused, never walked forever", () => {
    const problems = problemsOf(parseScenarioText("a: &a [*a]\n"));
    assert.equal(problems.length, 1);
  });
});
