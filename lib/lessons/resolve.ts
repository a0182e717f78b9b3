// Turns a step's scenario source into scenario text: an example's YAML (which the server reads
// from examples/), inline YAML, or the learner's current text, each with the step's patches.
import type { Lesson, ScenarioSource, Step } from "./schema";
import { applyPatches, type PatchResult } from "./patch";

/** Example ids a lesson loads, so the server sends their text along with the lesson. */
export function examplesUsed(lesson: Lesson): string[] {
  const ids = lesson.steps.flatMap((step) => [step.scenario, step.solution]).flatMap((source) => (source && "example" in source ? [source.example] : []));
  return [...new Set(ids)];
}

/** The text of a source; `current` is what the editor holds (a patch-only source edits it). */
export function resolveScenario(source: ScenarioSource, current: string | undefined, examples: Readonly<Record<string, string>>): PatchResult {
  let text: string | undefined;
  if ("example" in source) {
    text = examples[source.example];
    if (text === undefined) return { ok: false, error: `the example "${source.example}" is not available` };
  } else if ("yaml" in source) text = source.yaml;
  else text = current;
  if (text === undefined || text.trim() === "") return { ok: false, error: "there is no scenario to change yet; load the lesson's first step" };
  return source.patch && source.patch.length > 0 ? applyPatches(text, source.patch) : { ok: true, text };
}

const isFull = (source: ScenarioSource | undefined): source is Extract<ScenarioSource, { example: string } | { yaml: string }> =>
  source !== undefined && ("example" in source || "yaml" in source);

/**
 * The scenario a step starts from: its own (a patch-only one edits the previous step's start), or,
 * without one, the previous step's start: the editor keeps what it has.
 */
export function stepStartText(lesson: Lesson, stepIndex: number, examples: Readonly<Record<string, string>>): PatchResult {
  const step: Step | undefined = lesson.steps[stepIndex];
  if (!step) return { ok: false, error: "no earlier step loads a scenario" };
  if (isFull(step.scenario)) return resolveScenario(step.scenario, undefined, examples);
  const previous = stepStartText(lesson, stepIndex - 1, examples);
  if (!previous.ok || !step.scenario) return previous;
  return resolveScenario(step.scenario, previous.text, examples);
}

/** What "Show me" loads: the step's solution (a patch-only one edits the step's start), else its start. */
export function stepSolutionText(lesson: Lesson, stepIndex: number, examples: Readonly<Record<string, string>>): PatchResult {
  const step = lesson.steps[stepIndex];
  if (!step) return { ok: false, error: "no such step" };
  if (isFull(step.solution)) return resolveScenario(step.solution, undefined, examples);
  const start = stepStartText(lesson, stepIndex, examples);
  if (!start.ok || !step.solution) return start;
  return resolveScenario(step.solution, start.text, examples);
}

/** A step with neither a scenario nor a solution of its own goes on with the run of the step before (its text says so). */
export const continuesPreviousRun = (step: Step): boolean => step.scenario === undefined && step.solution === undefined;
