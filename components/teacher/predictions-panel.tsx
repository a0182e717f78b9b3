// How the class predicted each predict-then-run question, before the runs decide: the prompt for a
// discussion. Counts are shown as numbers and bars, never as a colour alone.
import type { ClassGrid, PredictionTally } from "../../lib/classroom/grid";

function Question({ tally, lessonTitle, stepTitle }: { tally: PredictionTally; lessonTitle: string; stepTitle: string }) {
  const answered = tally.options.reduce((sum, option) => sum + option.count, 0);
  const most = Math.max(1, ...tally.options.map((o) => o.count));
  return (
    <li className="prediction" data-testid="prediction">
      <p className="prediction__where">{lessonTitle} · {stepTitle}</p>
      <p className="prediction__prompt">{tally.prompt}</p>
      <ul className="prediction__options">
        {tally.options.map((option) => (
          <li key={option.text}>
            <span className="prediction__text">{option.text}</span>
            <span className="prediction__bar" aria-hidden="true"><span style={{ width: `${(option.count / most) * 100}%` }} /></span>
            <span className="prediction__count">{option.count} learner{option.count === 1 ? "" : "s"}</span>
          </li>
        ))}
      </ul>
      <p className="muted prediction__foot">
        {answered === 0 ? "Nobody has predicted yet" : `${answered} predicted`}
        {tally.skipped ? `, ${tally.skipped} skipped` : ""}. {tally.decided} decided by a finished run so far.
      </p>
    </li>
  );
}

export function PredictionsPanel({ grid }: { grid: ClassGrid }) {
  const lessons = new Map(grid.lessons.map((l) => [l.id, l]));
  return (
    <section className="teacher-card" aria-labelledby="predictions-heading" data-testid="predictions-panel">
      <h3 id="predictions-heading">Predictions</h3>
      {grid.predictions.length === 0 ? (
        <p className="muted">None of the lessons opened so far asks for a prediction.</p>
      ) : (
        <ul className="predictions">
          {grid.predictions.map((tally) => {
            const lesson = lessons.get(tally.lessonId);
            const step = lesson?.steps.find((s) => s.id === tally.stepId);
            return <Question key={`${tally.lessonId}/${tally.stepId}`} tally={tally} lessonTitle={lesson?.title ?? tally.lessonId} stepTitle={step?.title ?? tally.stepId} />;
          })}
        </ul>
      )}
    </section>
  );
}
