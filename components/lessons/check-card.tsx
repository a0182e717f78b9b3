// A step's live check: green when it holds, amber when part of it does, red when not yet, with each
// condition and what is still missing. Re-evaluated by the server and pushed as it changes; no
// verdict at all until a run of the step has started, so another step's run never reads as "Almost".
import type { CheckResult } from "../../lib/lessons/evaluate";

const words = { pass: "Done", partial: "Almost", fail: "Not yet" } as const;

function Condition({ result }: { result: CheckResult }) {
  return (
    <li className={`lesson-condition lesson-condition--${result.state}`} data-testid={`check-${result.id}`} data-state={result.state}>
      <span className="lesson-condition__dot" aria-hidden="true" />
      <div>
        <p className="lesson-condition__label">{result.label}</p>
        <p className="lesson-condition__detail">{result.detail}</p>
        {result.children ? (
          <ul className="lesson-conditions lesson-conditions--nested">
            {result.children.map((child) => (
              <Condition key={child.id} result={child} />
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

export function CheckCard({ result, started, completedAt, checkedAt }: { result?: CheckResult; started?: boolean; completedAt?: number; checkedAt?: number }) {
  const state = result?.state ?? "fail";
  const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  if (result && started === false) return <IdleCheck label={result.label} completedAt={completedAt} time={time} />;
  return (
    <section className={`lesson-check lesson-check--${result ? state : "waiting"}`} aria-labelledby="check-heading" data-testid="step-check" data-state={result ? state : "waiting"}>
      <header className="lesson-check__head">
        <span className="lesson-check__light" aria-hidden="true" />
        <div className="lesson-check__titles">
          <p className="lesson-eyebrow">Live check</p>
          <h3 id="check-heading">{result?.label ?? "Connecting to the lesson service…"}</h3>
        </div>
        {/* Only the verdict is announced; the details change every reading. */}
        <span className={`lesson-check__word lesson-check__word--${state}`} data-testid="check-word" role="status" aria-live="polite">
          {result ? words[state] : "…"}
        </span>
      </header>
      {result ? (
        result.children ? (
          <ul className="lesson-conditions">
            {result.children.map((child) => (
              <Condition key={child.id} result={child} />
            ))}
          </ul>
        ) : (
          <p className="lesson-check__detail" data-testid={`check-${result.id}`} data-state={result.state}>
            {result.detail}
          </p>
        )
      ) : null}
      <footer className="lesson-check__foot">
        {completedAt !== undefined ? <span className="lesson-check__done">✓ Step completed at {time(completedAt)}</span> : <span>Checked against the live system every 1.5 s.</span>}
        {checkedAt !== undefined ? <span>Last reading {time(checkedAt)}</span> : null}
      </footer>
    </section>
  );
}

/** Before any run of the step: what the check will look for, and no verdict. */
function IdleCheck({ label, completedAt, time }: { label: string; completedAt?: number; time: (ms: number) => string }) {
  return (
    <section className="lesson-check lesson-check--idle" aria-labelledby="check-heading" data-testid="step-check" data-state="idle">
      <header className="lesson-check__head">
        <span className="lesson-check__light" aria-hidden="true" />
        <div className="lesson-check__titles">
          <p className="lesson-eyebrow">Live check</p>
          <h3 id="check-heading">{label}</h3>
        </div>
      </header>
      <p className="lesson-check__detail" data-testid="check-idle">
        No run of this step yet. Press Start (or Show me) in the run panel; the check reads that run.
      </p>
      <footer className="lesson-check__foot">
        {completedAt !== undefined ? <span className="lesson-check__done">✓ Step completed at {time(completedAt)}</span> : <span>Checked against the live system every 1.5 s once it runs.</span>}
      </footer>
    </section>
  );
}
