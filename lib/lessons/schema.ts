// A lesson is data: ordered steps, each with instructions, an optional scenario to load, a live
// check, hints, quiz questions and an optional predict-then-run question. Validated by zod.
import { z } from "zod";
import { brokerKinds } from "../brokers";
import { checkSchema } from "./checks";
import { comparisonRowSchema } from "./measured-table";
import { metricPathSchema } from "./metric-path";
import { patchSchema } from "./patch";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a lowercase slug (a-z, 0-9, -)");

/** Where a step's scenario comes from: an example of examples/, inline YAML, or the current one; then patches. */
export const scenarioSourceSchema = z.union([
  z.strictObject({ example: slug, patch: z.array(patchSchema).optional() }),
  z.strictObject({ yaml: z.string().min(1), patch: z.array(patchSchema).optional() }),
  z.strictObject({ patch: z.array(patchSchema).min(1) }),
]);

export const questionSchema = z
  .strictObject({
    id: slug,
    prompt: z.string().min(1),
    options: z.array(z.strictObject({ text: z.string().min(1), correct: z.boolean().optional() })).min(2).max(6),
    /** Shown after answering, right or wrong: why the right answer is right. */
    explanation: z.string().min(1),
  })
  .refine((q) => q.options.some((o) => o.correct), "needs at least one correct option");

/** A question answered before the run and decided by it: the option whose range holds the metric wins. */
export const predictionSchema = z
  .strictObject({
    prompt: z.string().min(1),
    /** A run metric path, read from the run's final frame; "*" sums over matches. */
    metric: metricPathSchema,
    options: z.array(z.strictObject({ text: z.string().min(1), min: z.number(), max: z.number().optional() })).min(2).max(5),
    explanation: z.string().min(1),
  })
  .superRefine((p, ctx) => {
    const ranges = p.options.map((o) => [o.min, o.max ?? Number.POSITIVE_INFINITY] as const).sort((a, b) => a[0] - b[0]);
    ranges.forEach(([min, max], i) => {
      if (max < min) ctx.addIssue({ code: "custom", path: ["options", i], message: "max is below min" });
      const next = ranges[i + 1];
      if (next && next[0] <= max) ctx.addIssue({ code: "custom", path: ["options"], message: "option ranges overlap, so an outcome could match two answers" });
    });
  });

export const codeSampleSchema = z.strictObject({
  language: z.enum(["typescript", "python", "java", "yaml", "shell"]),
  label: z.string().min(1),
  source: z.string().min(1),
});

export const stepSchema = z.strictObject({
  id: slug,
  title: z.string().min(1).max(80),
  /** Markdown-ish text: paragraphs, `code`, **bold**, lists with "- " or "1. ". */
  body: z.string().min(1),
  /** Loaded into the editor when the step opens; without it, the editor keeps what it has. */
  scenario: scenarioSourceSchema.optional(),
  /** What "Show me" loads and starts; the step's scenario when absent. */
  solution: scenarioSourceSchema.optional(),
  /** Runs of this step last exactly this long instead of stopping when drained. */
  run: z.strictObject({ durationSeconds: z.number().int().min(5).max(600) }).optional(),
  check: checkSchema,
  hints: z.array(z.string().min(1)).min(1),
  predict: predictionSchema.optional(),
  quiz: z.array(questionSchema).optional(),
  code: z.array(codeSampleSchema).optional(),
});

export const lessonSchema = z
  .strictObject({
    id: slug,
    /** 1, 2, … in catalogue order for the course's lessons; absent for an exercise. */
    number: z.number().int().min(1).max(99).optional(),
    kind: z.enum(["lesson", "exercise"]),
    title: z.string().min(1).max(80),
    summary: z.string().min(1).max(300),
    brokers: z.array(z.enum(brokerKinds)),
    minutes: z.number().int().min(1).max(120),
    intro: z.string().min(1),
    steps: z.array(stepSchema).min(1),
    /** What the learner takes away: the summary at the end. */
    recap: z.array(z.string().min(1)).min(1),
    /** A table of what the learner's runs of these steps measured, one row each (lesson 34). */
    comparison: z.array(comparisonRowSchema).min(2).optional(),
  })
  .superRefine((lesson, ctx) => {
    const ids = lesson.steps.map((s) => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `step id "${id}" is used twice` });
    });
    const questions = lesson.steps.flatMap((s) => s.quiz ?? []).map((q) => q.id);
    questions.forEach((id, i) => {
      if (questions.indexOf(id) !== i) ctx.addIssue({ code: "custom", path: ["steps"], message: `question id "${id}" is used twice` });
    });
    (lesson.comparison ?? []).forEach((row, i) => {
      if (!ids.includes(row.step)) ctx.addIssue({ code: "custom", path: ["comparison", i, "step"], message: `no step "${row.step}" in this lesson` });
    });
    if (!lesson.steps[0]!.scenario) ctx.addIssue({ code: "custom", path: ["steps", 0, "scenario"], message: "the first step loads a scenario" });
    if (lesson.kind === "lesson" && lesson.number === undefined) ctx.addIssue({ code: "custom", path: ["number"], message: "a course lesson has a number" });
  });

export type ScenarioSource = z.infer<typeof scenarioSourceSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Prediction = z.infer<typeof predictionSchema>;
export type CodeSample = z.infer<typeof codeSampleSchema>;
export type Step = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
