// The headless runner answers hostile or broken scenarios with exit 2 and a message naming the
// field (it once exited 1 with a stack trace), and never prints a password it was given.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot } from "../../support/engine";

const dir = mkdtempSync(path.join(os.tmpdir(), "brokerlab-cli-bad-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function scenarioCli(args: string[], text: string, env: Record<string, string> = {}) {
  const file = path.join(dir, `${args[0]}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/cli/scenario.ts"), args[0]!, file, ...args.slice(1)], {
    cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000,
  });
}

const valid = (extra: string, payload = "{ id: \"{{seq}}\" }") => `
version: 1
name: cli-bad-input
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: cli-bad-q } ] } }
services:
  - name: s
    producers: [ { name: p, broker: rabbit, to: { queue: cli-bad-q }, count: 1, payload: ${payload} } ]
${extra}`;

describe("npm run scenario -- validate | run", { timeout: 240_000 }, () => {
  it("exits 2 naming the field for inherited placeholders, a billion laughs, deep nesting and a fault in 31 years", () => {
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", ...["b", "c", "d", "e", "f"].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`)].join("\n");
    const cases: [string, RegExp][] = [
      [valid("", '{ a: "{{constructor}}" }'), /services\[0\]\.producers\[0\]\.payload\.a: unknown placeholder \{\{constructor\}\}/],
      [valid("", '{ a: "{{toString}}" }'), /unknown placeholder \{\{toString\}\}/],
      [laughs, /uses YAML aliases \(\*name\) too often/],
      [`a: ${"[".repeat(100)}${"]".repeat(100)}\n`, /nested more than 64 levels deep/],
      [valid("faults:\n  - { at: 1000000000s, kill: s }\n"), /faults\[0\]\.at: "1000000000s" is too long; a duration here may be at most 24 h/],
    ];
    for (const [text, message] of cases) {
      const result = scenarioCli(["validate"], text);
      assert.equal(result.status, 2, `${message}: exit ${result.status}\n${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
    }
  });

  it("run: a broker outside the allowlist exits 2 before any broker is touched; a bad URL's password is never printed", () => {
    const foreign = valid("").replace("{ kind: rabbitmq }", '{ kind: rabbitmq, url: "amqp://admin:S3CRET@broker.invalid:5672" }');
    const refused = scenarioCli(["run"], foreign);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /brokers\.rabbit\.url: names broker\.invalid:5672, which is not one of Brokerlab's brokers.*BROKERLAB_ALLOWED_ENDPOINTS/);
    assert.doesNotMatch(refused.stderr + refused.stdout, /S3CRET/);
    const badConfig = scenarioCli(["run"], valid(""), { RABBITMQ_URL: "rabbit://admin:S3CRET@127.0.0.1:5672" });
    assert.equal(badConfig.status, 2, badConfig.stderr);
    assert.match(badConfig.stderr, /RABBITMQ_URL \(got "rabbit:\/\/admin:\*\*\*@127\.0\.0\.1:5672"\)/);
    assert.doesNotMatch(badConfig.stderr, /S3CRET/);
  });
});
