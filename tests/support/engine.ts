// Runs scenarios in-process on the real stack for integration tests.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseScenarioText, formatProblems } from "../../lib/scenario/validate";
import type { Scenario } from "../../lib/scenario/schema";
import type { RunReport } from "../../lib/run/model";
import { loadConfig } from "../../server/config";
import { createKafkaAdmin, createRabbitAdmin } from "../../server/brokers";
import { engineContextFrom } from "../../server/engine/context";
import { createEngine } from "../../server/engine/engine";
import type { RunOptions } from "../../server/engine/run";

export const repoRoot = path.resolve(__dirname, "../..");

export function loadScenario(text: string): Scenario {
  const result = parseScenarioText(text);
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.scenario;
}

export function loadExample(name: string): Scenario {
  return loadScenario(readFileSync(path.join(repoRoot, "examples", `${name}.yaml`), "utf8"));
}

export function testEngine() {
  return createEngine(engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }));
}

/** Starts the scenario and waits for its report (drained, or after `durationMs`). */
export async function runToReport(scenario: Scenario, options: RunOptions = {}): Promise<RunReport> {
  const engine = testEngine();
  const run = await engine.start(scenario, { limitMs: 90_000, ...options });
  return run.done();
}

/** A name no other test uses, for queues, topics and groups. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
