// Classroom mode's lower quota defaults: what they are, that BROKERLAB_QUOTA_* still overrides each,
// that outside a class the generous defaults stay, and that every lesson step (its start and its
// solution) fits them, so a learner never meets a quota by following a lesson.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { lessons } from "../../../lib/lessons/catalogue";
import { stepSolutionText, stepStartText } from "../../../lib/lessons/resolve";
import { parseScenarioText } from "../../../lib/scenario/validate";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { checkQuotas, classroomQuotas, defaultQuotas } from "../../../server/engine/quotas";

const classroomEnv = { BROKERLAB_MODE: "classroom", BROKERLAB_TOKEN: "classroom-quota-token-0123" };
const quotasOf = (env: Record<string, string>) => engineContextFrom(loadConfig(env), { createRabbitAdmin: () => assert.fail(), createKafkaAdmin: () => assert.fail() }).quotas;

const examplesDir = new URL("../../../examples/", import.meta.url);
const examples = Object.fromEntries(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).map((f) => [f.replace(/\.yaml$/, ""), readFileSync(new URL(f, examplesDir), "utf8")]));

describe("classroom quotas", () => {
  it("are lower than the lab's in classroom mode: 2 runs, 12 processes, 6 replicas, 10,000 messages/s, 256 KiB", () => {
    assert.deepEqual(quotasOf(classroomEnv), { runs: 2, serviceProcesses: 12, replicas: 6, messagesPerSecond: 10_000, messageBytes: 262_144 });
    assert.deepEqual(quotasOf(classroomEnv), classroomQuotas);
    assert.deepEqual(quotasOf({}), defaultQuotas, "outside a class the generous defaults stay");
    for (const limit of Object.keys(defaultQuotas) as (keyof typeof defaultQuotas)[]) assert.ok(classroomQuotas[limit] < defaultQuotas[limit], limit);
  });

  it("still take each BROKERLAB_QUOTA_* variable over the classroom default, the others unchanged", () => {
    const quotas = quotasOf({ ...classroomEnv, BROKERLAB_QUOTA_RUNS: "5", BROKERLAB_QUOTA_MESSAGE_BYTES: "1000" });
    assert.deepEqual(quotas, { ...classroomQuotas, runs: 5, messageBytes: 1000 });
    assert.equal(quotasOf({ BROKERLAB_QUOTA_REPLICAS: "3" })?.replicas, 3);
    assert.throws(() => loadConfig({ ...classroomEnv, BROKERLAB_QUOTA_RUNS: "0" }), /BROKERLAB_QUOTA_RUNS \(got "0"\): must be 1 or more/);
  });

  it("admit the start and the solution of every lesson step", () => {
    let steps = 0;
    for (const lesson of lessons) {
      lesson.steps.forEach((step, i) => {
        for (const [what, text] of [["start", stepStartText(lesson, i, examples)], ["solution", stepSolutionText(lesson, i, examples)]] as const) {
          if (!text.ok) continue;
          const parsed = parseScenarioText(text.text);
          if (!parsed.ok) continue;
          steps += 1;
          assert.doesNotThrow(() => checkQuotas(parsed.scenario, [], classroomQuotas), `${lesson.id} step ${step.id} (${what})`);
        }
      });
    }
    assert.ok(steps > 100, `only ${steps} lesson scenarios were checked`);
  });
});
