// The lesson's steps as a row of numbered stops: done, current, still to do; and the summary.
import { lessonComplete, solvedWithHelp, type LessonProgress } from "../../lib/lessons/progress";
import type { Lesson } from "../../lib/lessons/schema";

export function StepNav({ lesson, index, progress, onGo }: { lesson: Lesson; index?: number; progress?: LessonProgress; onGo: (index: number) => void }) {
  return (
    <nav className="lesson-stepper" aria-label="Lesson steps">
      <ol>
        {lesson.steps.map((step, i) => {
          const done = progress?.steps[step.id]?.completedAt !== undefined;
          const current = i === index;
          const helped = solvedWithHelp(progress, step.id);
          return (
            <li key={step.id}>
              <button
                type="button"
                className={`lesson-stepper__stop ${done ? "lesson-stepper__stop--done" : ""} ${current ? "lesson-stepper__stop--current" : ""}`}
                aria-current={current ? "step" : undefined}
                data-testid={`step-tab-${step.id}`}
                data-done={done}
                data-help={helped}
                title={helped ? `${step.title}: solved with help (Show me)` : undefined}
                onClick={() => onGo(i)}
              >
                <span className="lesson-stepper__mark" aria-hidden="true">{done ? "✓" : i + 1}</span>
                <span className="lesson-stepper__title">{step.title}</span>
              </button>
            </li>
          );
        })}
        <li>
          <button
            type="button"
            className={`lesson-stepper__stop ${index === lesson.steps.length ? "lesson-stepper__stop--current" : ""} ${lessonComplete(lesson, progress) ? "lesson-stepper__stop--done" : ""}`}
            aria-current={index === lesson.steps.length ? "step" : undefined}
            data-testid="step-tab-summary"
            onClick={() => onGo(lesson.steps.length)}
          >
            <span className="lesson-stepper__mark" aria-hidden="true">★</span>
            <span className="lesson-stepper__title">Summary</span>
          </button>
        </li>
      </ol>
    </nav>
  );
}
