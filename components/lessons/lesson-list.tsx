"use client";
// The lesson list with the learner's progress: each lesson's steps done, and where to continue.
import Link from "next/link";
import type { CatalogueEntry } from "../../lib/lessons/catalogue";
import { lessonBadge } from "../../lib/lessons/catalogue";
import { lessonComplete, solvedWithHelp, type LessonProgress } from "../../lib/lessons/progress";
import { useLearnerProgress } from "../../lib/client/lessons-session";
import { BrokerChips } from "./broker-chips";

type Status = "new" | "started" | "done";

function statusOf(entry: CatalogueEntry, progress: LessonProgress | undefined): { status: Status; done: number; helped: number } {
  const done = entry.steps.filter((s) => progress?.steps[s.id]?.completedAt !== undefined).length;
  const helped = entry.steps.filter((s) => solvedWithHelp(progress, s.id)).length;
  // Complete means every check passed and every quiz question answered.
  const shape = { steps: entry.steps.map((s) => ({ id: s.id, quiz: s.questionIds.map((id) => ({ id })) })) };
  if (lessonComplete(shape, progress)) return { status: "done", done, helped };
  return { status: progress && (done > 0 || Object.keys(progress.answers).length > 0 || progress.currentStep) ? "started" : "new", done, helped };
}

const statusWords: Record<Status, string> = { new: "Not started", started: "In progress", done: "Completed" };

export function LessonList({ entries }: { entries: CatalogueEntry[] }) {
  const { progress, error } = useLearnerProgress();
  const states = entries.map((entry) => statusOf(entry, progress?.[entry.id]));
  const completed = states.filter((s) => s.status === "done").length;
  const next = entries.find((_, i) => states[i]!.status !== "done");

  return (
    <section className="section" aria-labelledby="lesson-list-heading">
      <div className="section__head">
        <div>
          <h2 id="lesson-list-heading">The course</h2>
          <p className="section__lead">
            {progress ? `${completed} of ${entries.length} completed.` : "Loading your progress…"} {next && progress ? <>Next up: <Link href={`/lessons/${next.id}`}>{next.title}</Link>.</> : null}
          </p>
        </div>
        <div className="lesson-overall" aria-hidden="true">
          <div className="lesson-progress">
            <span style={{ width: `${(completed / entries.length) * 100}%` }} />
          </div>
        </div>
      </div>
      {error ? <p className="notice notice--error">Progress could not be loaded: {error.message}</p> : null}
      <ol className="lesson-grid">
        {entries.map((entry, i) => {
          const { status, done, helped } = states[i]!;
          return (
            <li key={entry.id}>
              <article className={`lesson-card lesson-card--${status}`} data-testid={`lesson-card-${entry.id}`} data-status={status}>
                <div className="lesson-card__top">
                  <span className={`lesson-badge ${entry.kind === "exercise" ? "lesson-badge--exercise" : ""}`}>{lessonBadge(entry)}</span>
                  <span className={`lesson-status lesson-status--${status}`}>{statusWords[status]}</span>
                </div>
                <h3 className="lesson-card__title">
                  <Link href={`/lessons/${entry.id}`} className="lesson-card__link">
                    {entry.title}
                  </Link>
                </h3>
                <p className="lesson-card__summary">{entry.summary}</p>
                <div className="lesson-card__meta">
                  <BrokerChips brokers={entry.brokers} />
                  <span className="lesson-chip">{entry.minutes} min</span>
                  {entry.steps.some((s) => s.predict) ? <span className="lesson-chip lesson-chip--predict">Predict, then run</span> : null}
                  {helped > 0 ? (
                    <span className="lesson-chip lesson-chip--help" data-testid={`lesson-help-${entry.id}`}>
                      {helped} solved with help
                    </span>
                  ) : null}
                </div>
                <div className="lesson-card__progress">
                  <div className="lesson-progress" role="progressbar" aria-label={`${entry.title}: steps done`} aria-valuemin={0} aria-valuemax={entry.steps.length} aria-valuenow={done}>
                    <span style={{ width: `${(done / entry.steps.length) * 100}%` }} />
                  </div>
                  <span className="lesson-card__count">
                    {done}/{entry.steps.length} steps
                  </span>
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
