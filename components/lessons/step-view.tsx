// One step of a lesson: what to do, the code to compare with, the prediction, the live check,
// hints and quiz questions, and the way to the next step.
import type { CallResult } from "../../lib/client/lessons-call";
import type { LessonAnswered, LessonCheckUpdate } from "../../lib/lessons/events";
import { solvedWithHelp, type LessonProgress } from "../../lib/lessons/progress";
import type { Step } from "../../lib/lessons/schema";
import { CheckCard } from "./check-card";
import { CodeTabs } from "./code-tabs";
import { Hints } from "./hints";
import { PredictionCard } from "./prediction-card";
import { QuizQuestion } from "./quiz-question";
import { RichText } from "./rich-text";

interface Props {
  step: Step;
  index: number;
  count: number;
  progress?: LessonProgress;
  check?: LessonCheckUpdate;
  onPredict: (choice: number) => Promise<unknown>;
  onAnswer: (questionId: string, choices: number[]) => Promise<CallResult<LessonAnswered>>;
  onGo: (index: number) => void;
}

export function StepView({ step, index, count, progress, check, onPredict, onAnswer, onGo }: Props) {
  const completedAt = progress?.steps[step.id]?.completedAt;
  const result = check?.stepId === step.id ? check.result : undefined;
  return (
    <article className="lesson-step" aria-labelledby="step-heading" data-testid="lesson-step" data-step={step.id}>
      <p className="lesson-eyebrow">
        Step {index + 1} of {count}
        {completedAt !== undefined ? <span className="lesson-step__done"> · completed{solvedWithHelp(progress, step.id) ? " with help (Show me)" : ""}</span> : null}
      </p>
      <h2 id="step-heading">{step.title}</h2>
      <RichText text={step.body} />
      {step.code ? <CodeTabs samples={step.code} /> : null}
      {step.predict ? <PredictionCard key={step.id} prediction={step.predict} state={progress?.predictions[step.id]} onPredict={onPredict} /> : null}
      <CheckCard result={result} started={check?.stepId === step.id ? check.started : undefined} completedAt={completedAt} checkedAt={check?.stepId === step.id ? check.at : undefined} />
      <Hints hints={step.hints} stepId={step.id} />
      {step.quiz && step.quiz.length > 0 ? (
        <section className="lesson-quiz" aria-label="Quiz">
          <h3>Check your understanding</h3>
          {step.quiz.map((question) => (
            <QuizQuestion key={question.id} question={question} answered={progress?.answers[question.id]} onAnswer={onAnswer} />
          ))}
        </section>
      ) : null}
      <nav className="lesson-step__nav" aria-label="Steps">
        {index > 0 ? (
          <button type="button" className="button" onClick={() => onGo(index - 1)}>
            ← Previous
          </button>
        ) : (
          <span />
        )}
        <button type="button" className={`button ${completedAt !== undefined ? "lesson-button--primary" : ""}`} data-testid="next-step" onClick={() => onGo(index + 1)}>
          {index + 1 < count ? "Next step →" : "Finish: summary →"}
        </button>
      </nav>
    </article>
  );
}
