"use client";
// Hints, one at a time: the learner asks for the next one instead of seeing the answer at once.
import { useState } from "react";
import { InlineText } from "./rich-text";

export function Hints({ hints, stepId }: { hints: string[]; stepId: string }) {
  const [shown, setShown] = useState(0);
  const [forStep, setForStep] = useState(stepId);
  if (forStep !== stepId) {
    setForStep(stepId);
    setShown(0);
  }
  return (
    <section className="lesson-hints" aria-label="Hints">
      {shown > 0 ? (
        <ol className="lesson-hints__list">
          {hints.slice(0, shown).map((hint, i) => (
            <li key={i}>
              <InlineText text={hint} />
            </li>
          ))}
        </ol>
      ) : null}
      {shown < hints.length ? (
        <button type="button" className="lesson-link-button" onClick={() => setShown(shown + 1)}>
          {shown === 0 ? "Need a hint?" : "Another hint"} ({hints.length - shown} left)
        </button>
      ) : null}
    </section>
  );
}
