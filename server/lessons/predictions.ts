// Predict, then run, on the server: a prediction locked to a run is decided by that run's final
// frame; one whose run is gone (a server restart) or failed waits for the next run instead.
import { metricValue } from "../../lib/lessons/metric-path";
import { decidePrediction, type LessonProgress } from "../../lib/lessons/progress";
import type { Lesson, Step } from "../../lib/lessons/schema";
import type { Engine } from "../engine/engine";
import type { Run } from "../engine/run";
import type { ProgressStore } from "./progress-store";

const unlocked = (progress: LessonProgress, stepId: string): LessonProgress => {
  const { runId: _dropped, actual: _actual, correct: _correct, ...open } = progress.predictions[stepId]!;
  return { ...progress, predictions: { ...progress.predictions, [stepId]: open } };
};

export function createPredictionJudge(options: { progress: ProgressStore; now: () => number; log: (message: string, error?: unknown) => void }) {
  const { progress, now, log } = options;
  const deciding = new Set<string>();

  /** Once the run a step's prediction is locked to ends, its final frame decides the prediction. */
  function decideWhenDone(learnerId: string, lesson: Lesson, step: Step, run: Run): void {
    const key = `${learnerId}|${lesson.id}|${step.id}|${run.id}`;
    if (!step.predict || deciding.has(key)) return;
    deciding.add(key);
    void run.done().then(async () => {
      const actual = metricValue(run.latestFrame(), step.predict!.metric);
      await progress.update(learnerId, lesson.id, (current) => {
        if (current.predictions[step.id]?.runId !== run.id) return current;
        // A run that failed or never produced the metric decides nothing: the next run will.
        if (run.status() === "failed" || actual === undefined) return unlocked(current, step.id);
        return decidePrediction(current, step.id, step.predict!, actual, now());
      });
    }).catch((error: unknown) => log("deciding a prediction failed", error)).finally(() => deciding.delete(key));
  }

  /** Unlocks predictions whose run the engine no longer has, and follows the ones whose run is still on. */
  async function resume(learnerId: string, lesson: Lesson, engine: Engine, current: LessonProgress): Promise<LessonProgress> {
    const stale = Object.entries(current.predictions).filter(([, p]) => p.runId && p.correct === undefined && !engine.get(p.runId)).map(([id]) => id);
    const next = stale.length > 0 ? await progress.update(learnerId, lesson.id, (p) => stale.reduce((acc, id) => (acc.predictions[id] ? unlocked(acc, id) : acc), p)) : current;
    for (const [stepId, prediction] of Object.entries(next.predictions)) {
      const run = prediction.runId && prediction.correct === undefined ? engine.get(prediction.runId) : undefined;
      const step = lesson.steps.find((s) => s.id === stepId);
      if (run && step) decideWhenDone(learnerId, lesson, step, run);
    }
    return next;
  }

  return { decideWhenDone, resume };
}
