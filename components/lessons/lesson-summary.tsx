// The end of a lesson: which steps were completed (and which with help from Show me), how the quiz
// and the predictions went, what to take away, and where to go next.
import Link from "next/link";
import { solvedWithHelp, tally, type LessonProgress, type LessonTally } from "../../lib/lessons/progress";
import type { Lesson } from "../../lib/lessons/schema";
import { InlineText } from "./rich-text";

function lead(t: LessonTally): string {
  if (t.complete) return t.stepsWithHelp > 0 ? `Every check held on the live system; ${t.stepsWithHelp} step(s) after Show me showed the solution.` : "Every check held on the live system.";
  const unanswered = t.questions - t.answered;
  if (t.stepsDone === t.steps) return `Every check held; answer the ${unanswered} quiz question(s) still open to complete the lesson.`;
  return `${t.stepsDone} of ${t.steps} steps have passed their check; the rest are waiting for you.${unanswered > 0 ? ` ${unanswered} quiz question(s) are still open.` : ""}`;
}

export function LessonSummary({ lesson, progress, next, onReset, onStep }: { lesson: Lesson; progress?: LessonProgress; next?: Lesson; onReset: () => void; onStep: (index: number) => void }) {
  const t = tally(lesson, progress);
  return (
    <section className="lesson-step lesson-summary" aria-labelledby="summary-heading" data-testid="lesson-summary" data-complete={t.complete}>
      <p className="lesson-eyebrow">Summary</p>
      <h2 id="summary-heading">{t.complete ? "Lesson complete" : "Almost there"}</h2>
      <p className="lesson-summary__lead">{lead(t)}</p>
      <dl className="lesson-summary__numbers">
        <div>
          <dt>Steps</dt>
          <dd data-testid="summary-steps">
            {t.stepsDone}/{t.steps}
          </dd>
        </div>
        <div>
          <dt>Solved with help</dt>
          <dd data-testid="summary-help">
            {t.stepsWithHelp}/{t.steps}
          </dd>
        </div>
        {t.questions > 0 ? (
          <div>
            <dt>Quiz answered</dt>
            <dd data-testid="summary-answered">
              {t.answered}/{t.questions}
            </dd>
          </div>
        ) : null}
        {t.questions > 0 ? (
          <div>
            <dt>Quiz, right first time</dt>
            <dd>
              {t.rightFirstTime}/{t.questions}
            </dd>
          </div>
        ) : null}
        {t.predictions > 0 ? (
          <div>
            <dt>Predictions right</dt>
            <dd>
              {t.predictionsRight}/{t.predictionsDecided || t.predictions}
            </dd>
          </div>
        ) : null}
      </dl>
      <ol className="lesson-summary__steps">
        {lesson.steps.map((step, i) => {
          const done = progress?.steps[step.id]?.completedAt !== undefined;
          const helped = solvedWithHelp(progress, step.id);
          const open = (step.quiz ?? []).filter((q) => !progress?.answers[q.id]).length;
          return (
            <li key={step.id} className={done ? "lesson-summary__step--done" : ""} data-testid={`summary-step-${step.id}`} data-help={helped}>
              <span className="lesson-summary__mark" aria-hidden="true">{done ? "✓" : i + 1}</span>
              <button type="button" className="lesson-link-button" onClick={() => onStep(i)}>
                {step.title}
              </button>
              {helped ? <span className="lesson-chip lesson-chip--help">solved with help</span> : null}
              <span className="muted"> · {done ? (step.check.label ?? progress!.steps[step.id]!.detail) : "not passed yet"}</span>
              {open > 0 ? <span className="muted"> · {open} quiz question(s) unanswered</span> : null}
            </li>
          );
        })}
      </ol>
      <h3>What to take away</h3>
      <ul className="lesson-summary__recap">
        {lesson.recap.map((line) => (
          <li key={line}>
            <InlineText text={line} />
          </li>
        ))}
      </ul>
      <div className="lesson-step__nav">
        <button type="button" className="lesson-link-button" onClick={onReset}>
          Start this lesson over
        </button>
        {next ? (
          <Link className="button lesson-button--primary" href={`/lessons/${next.id}`}>
            Next: {next.title} →
          </Link>
        ) : (
          <Link className="button lesson-button--primary" href="/lessons">
            Back to the lessons
          </Link>
        )}
      </div>
    </section>
  );
}
