"use client";
// One quiz question: pick (or, when several are right, tick) the answers, check them with the
// server, and read why the right ones are right.
import { useState } from "react";
import type { CallResult } from "../../lib/client/lessons-call";
import type { LessonAnswered } from "../../lib/lessons/events";
import type { LessonProgress } from "../../lib/lessons/progress";
import type { Question } from "../../lib/lessons/schema";
import { InlineText } from "./rich-text";

interface Props {
  question: Question;
  answered?: LessonProgress["answers"][string];
  onAnswer: (questionId: string, choices: number[]) => Promise<CallResult<LessonAnswered>>;
}

export function QuizQuestion({ question, answered, onAnswer }: Props) {
  const multiple = question.options.filter((o) => o.correct).length > 1;
  const [chosen, setChosen] = useState<number[]>(answered?.choices ?? []);
  const [result, setResult] = useState<{ correct: boolean; correctChoices: number[] } | undefined>(
    answered ? { correct: answered.correct, correctChoices: question.options.flatMap((o, i) => (o.correct ? [i] : [])) } : undefined,
  );
  const [busy, setBusy] = useState(false);

  const toggle = (i: number) => {
    setResult(undefined);
    setChosen(multiple ? (chosen.includes(i) ? chosen.filter((c) => c !== i) : [...chosen, i]) : [i]);
  };

  async function check() {
    setBusy(true);
    const answer = await onAnswer(question.id, chosen);
    setBusy(false);
    if ("data" in answer) setResult({ correct: answer.data.correct, correctChoices: answer.data.correctChoices });
  }

  const name = `q-${question.id}`;
  return (
    <fieldset className={`lesson-question ${result ? (result.correct ? "lesson-question--right" : "lesson-question--wrong") : ""}`} data-testid={`question-${question.id}`}>
      <legend className="lesson-question__prompt">
        <InlineText text={question.prompt} />
        {multiple ? <span className="lesson-question__hint"> (choose all that apply)</span> : null}
      </legend>
      <div className="lesson-options">
        {question.options.map((option, i) => {
          const mark = result ? (result.correctChoices.includes(i) ? "right" : chosen.includes(i) ? "wrong" : "") : "";
          return (
            <label key={i} className={`lesson-option ${chosen.includes(i) ? "lesson-option--chosen" : ""} ${mark ? `lesson-option--${mark}` : ""}`}>
              <input type={multiple ? "checkbox" : "radio"} name={name} checked={chosen.includes(i)} onChange={() => toggle(i)} />
              <span>
                <InlineText text={option.text} />
              </span>
            </label>
          );
        })}
      </div>
      <div className="lesson-question__foot">
        <button type="button" className="button" disabled={chosen.length === 0 || busy} onClick={() => void check()}>
          {result ? "Check again" : "Check answer"}
        </button>
        {result ? (
          <p className={`lesson-verdict ${result.correct ? "lesson-verdict--right" : "lesson-verdict--wrong"}`} role="status">
            {result.correct ? "Right." : "Not quite."}
          </p>
        ) : null}
      </div>
      {result ? (
        <p className="lesson-explanation">
          <InlineText text={question.explanation} />
        </p>
      ) : null}
    </fieldset>
  );
}
