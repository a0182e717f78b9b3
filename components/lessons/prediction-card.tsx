"use client";
// Predict, then run: the learner commits to an answer before the run; the run's final numbers
// decide it, and the explanation says why.
import { useState } from "react";
import { optionFor, type PredictionProgress } from "../../lib/lessons/progress";
import type { Prediction } from "../../lib/lessons/schema";
import { InlineText } from "./rich-text";

interface Props {
  prediction: Prediction;
  state?: PredictionProgress;
  onPredict: (choice: number) => Promise<unknown>;
}

export function PredictionCard({ prediction, state, onPredict }: Props) {
  const [choice, setChoice] = useState<number | undefined>(state?.choice);
  const [busy, setBusy] = useState(false);
  const locked = state?.runId !== undefined;
  const decided = state?.correct !== undefined;
  const skipped = state?.choice === -1;

  async function commit(value: number) {
    setBusy(true);
    await onPredict(value);
    setBusy(false);
  }

  const status = decided
    ? state!.correct
      ? "right"
      : "wrong"
    : locked
      ? "locked"
      : state && !skipped
        ? "answered"
        : "open";

  return (
    <section className={`lesson-predict lesson-predict--${status}`} aria-labelledby="predict-heading" data-testid="prediction" data-status={status}>
      <p className="lesson-eyebrow">Predict, then run</p>
      <h3 id="predict-heading">
        <InlineText text={prediction.prompt} />
      </h3>
      <div className="lesson-options" role="radiogroup" aria-labelledby="predict-heading">
        {prediction.options.map((option, i) => {
          const outcome = decided && state!.actual !== undefined && optionFor(prediction, state!.actual) === i;
          return (
            <label key={i} className={`lesson-option ${choice === i ? "lesson-option--chosen" : ""} ${outcome ? "lesson-option--right" : ""} ${decided && state!.choice === i && !state!.correct ? "lesson-option--wrong" : ""}`}>
              <input type="radio" name="prediction" checked={choice === i} disabled={locked} onChange={() => setChoice(i)} />
              <span>
                <InlineText text={option.text} />
              </span>
            </label>
          );
        })}
      </div>
      {status === "open" || status === "answered" ? (
        <div className="lesson-predict__actions">
          <button type="button" className="button lesson-button--primary" disabled={choice === undefined || busy || (status === "answered" && choice === state?.choice)} onClick={() => void commit(choice!)}>
            {status === "answered" ? "Change my prediction" : "Lock in my prediction"}
          </button>
          {status === "open" ? (
            <button type="button" className="lesson-link-button" disabled={busy} onClick={() => void commit(-1)}>
              Skip and just run it
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="lesson-predict__status" role="status" data-testid="prediction-status">
        {status === "open" && !skipped ? "Answer before you start the run: the run decides." : null}
        {status === "open" && skipped ? "Skipped: this run will not be graded." : null}
        {status === "answered" ? "Locked in. Now start the run; your answer is checked against it when it ends." : null}
        {status === "locked" ? "The run is on; the answer comes when it ends." : null}
        {decided ? (
          <>
            <strong>{state!.correct ? "Your prediction was right." : "Your prediction was wrong."}</strong> The run measured {state!.actual}.
          </>
        ) : null}
      </p>
      {decided ? (
        <p className="lesson-explanation">
          <InlineText text={prediction.explanation} />
        </p>
      ) : null}
    </section>
  );
}
