// Classroom mode's settings: the mode, the teacher token it requires, the class code's form, and a
// session secret never echoed back in an error.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../../server/config";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

describe("classroom configuration", () => {
  test("lab is the default mode; classroom mode with a token and no code is valid", () => {
    assert.equal(loadConfig({}).BROKERLAB_MODE, "lab");
    const config = loadConfig({ BROKERLAB_MODE: "classroom", BROKERLAB_TOKEN: "t".repeat(16) });
    assert.equal(config.BROKERLAB_MODE, "classroom");
    assert.equal(config.BROKERLAB_CLASS_CODE, undefined);
  });

  test("classroom mode without the teacher's token is refused, naming the variable and how to set it", () => {
    const [problem] = problems({ BROKERLAB_MODE: "classroom" });
    assert.match(problem!, /^BROKERLAB_TOKEN: is required in classroom mode/);
    assert.match(problem!, /npm run classroom/);
  });

  test("a misspelt mode, a bad code and a short secret name their variable; the secret is not shown", () => {
    assert.match(problems({ BROKERLAB_MODE: "class" })[0]!, /^BROKERLAB_MODE \(got "class"\): must be lab or classroom/);
    assert.match(problems({ BROKERLAB_CLASS_CODE: "ab<script>" })[0]!, /^BROKERLAB_CLASS_CODE .*letters, digits, spaces and dashes/);
    const [secret] = problems({ BROKERLAB_SESSION_SECRET: "too-short-secret" });
    assert.match(secret!, /^BROKERLAB_SESSION_SECRET \(got a value of 16 characters\): must be at least 32/);
    assert.ok(!secret!.includes("too-short-secret"));
  });
});
