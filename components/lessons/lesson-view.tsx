"use client";
// A lesson page: the steps on the left with their live checks, the run panel on the right. Opens the
// lesson with the server, keeps the step in the URL (?step=), and reports every attempt.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createLessonRunStore, useLessonRun } from "../../lib/client/lessons-run";
import { saveScenario, savedScenario } from "../../lib/client/lessons-learner";
import { useLessonSession } from "../../lib/client/lessons-session";
import { lessonBadge } from "../../lib/lessons/catalogue";
import { tally } from "../../lib/lessons/progress";
import { stepSolutionText, stepStartText } from "../../lib/lessons/resolve";
import type { Lesson } from "../../lib/lessons/schema";
import { parseScenarioText } from "../../lib/scenario/validate";
import { stepComparesRuns } from "../../lib/lessons/compare-runs";
import { BrokerChips } from "./broker-chips";
import { CompareRunsLink } from "./compare-runs-link";
import { LessonSummary } from "./lesson-summary";
import { MeasuredTable } from "./measured-table";
import { RichText } from "./rich-text";
import { RunPanel } from "./run-panel";
import { StepNav } from "./step-nav";
import { StepView } from "./step-view";

function stepFromUrl(lesson: Lesson): number | undefined {
  const id = new URLSearchParams(window.location.search).get("step");
  if (id === "summary") return lesson.steps.length;
  const index = lesson.steps.findIndex((s) => s.id === id);
  return index >= 0 ? index : undefined;
}

export function LessonView({ lesson, next }: { lesson: Lesson; next?: Lesson }) {
  const session = useLessonSession(lesson.id);
  const store = useMemo(() => createLessonRunStore(), []);
  const run = useLessonRun(store);
  const [index, setIndex] = useState<number | undefined>(undefined);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const loadedFor = useRef<string | undefined>(undefined);
  const { opened, progress } = session;
  const step = index !== undefined ? lesson.steps[index] : undefined;
  const examples = useMemo(() => opened?.examples ?? {}, [opened]);
  // Changes when a run of the lesson starts or ends, so what reads the run history reads it again.
  const runKey = `${run.runId ?? ""}:${run.report ? "reported" : (run.status ?? "")}`;

  // Where to begin: the step in the URL, else where the learner left off; follow the lesson's last run.
  useEffect(() => {
    if (!opened || index !== undefined) return;
    const fromProgress = lesson.steps.findIndex((s) => s.id === opened.progress.currentStep);
    setIndex(stepFromUrl(lesson) ?? (fromProgress >= 0 ? fromProgress : 0));
    if (opened.run) void store.follow(opened.run.runId);
  }, [opened, index, lesson, store]);

  // Keep the step in the address bar, so a link or a reload lands on it.
  useEffect(() => {
    if (index === undefined) return;
    const url = new URL(window.location.href);
    url.searchParams.set("step", index >= lesson.steps.length ? "summary" : lesson.steps[index]!.id);
    window.history.replaceState(null, "", url);
  }, [index, lesson]);

  // A step with a scenario of its own loads it (unless the learner's edits for it are saved).
  useEffect(() => {
    if (!opened || index === undefined || !step || loadedFor.current === step.id) return;
    loadedFor.current = step.id;
    const saved = savedScenario(lesson.id);
    if (saved?.stepId === step.id) return setText(saved.text);
    if (step.scenario || !text.trim()) {
      const start = stepStartText(lesson, index, examples);
      if (start.ok) {
        setText(start.text);
        saveScenario(lesson.id, step.id, start.text);
      }
    } else saveScenario(lesson.id, step.id, text);
  }, [opened, index, step, lesson, examples, text]);

  const { watch } = session;
  useEffect(() => {
    if (step && opened) void watch(step.id, run.runId);
  }, [step, opened, run.runId, watch]);

  const onText = useCallback((value: string) => {
    setText(value);
    if (step) saveScenario(lesson.id, step.id, value);
  }, [lesson.id, step]);

  const start = useCallback(async (scenario: string, solution = false) => {
    if (!step) return;
    setBusy(true);
    try {
      if (!parseScenarioText(scenario).ok) {
        // Refused before any broker is touched; the server checks the same text and records the try.
        await session.attempt(step.id, scenario, {}, solution);
        return;
      }
      const outcome = await store.start(scenario, step.run?.durationSeconds, { lessonId: lesson.id, stepId: step.id });
      await session.attempt(step.id, scenario, outcome, solution);
    } finally {
      setBusy(false);
    }
  }, [lesson.id, step, store, session]);

  const showMe = useCallback(() => {
    if (index === undefined) return;
    const solution = stepSolutionText(lesson, index, examples);
    if (!solution.ok) return;
    onText(solution.text);
    void start(solution.text, true);
  }, [index, lesson, examples, onText, start]);

  const reset = useCallback(() => {
    if (index === undefined) return;
    const scenario = stepStartText(lesson, index, examples);
    if (scenario.ok) onText(scenario.text);
  }, [index, lesson, examples, onText]);

  const go = useCallback((target: number) => {
    setIndex(Math.max(0, Math.min(target, lesson.steps.length)));
    window.scrollTo({ top: 0, behavior: "smooth" });
  }, [lesson.steps.length]);

  const blocked = step?.predict && !progress?.predictions[step.id] ? "Answer the prediction first (or skip it): the run decides it." : undefined;
  const { stepsDone: done, stepsWithHelp } = tally(lesson, progress);

  return (
    <main className="page lesson-page">
      <section className="lesson-hero" aria-labelledby="lesson-title">
        <div className="lesson-hero__top">
          <span className={`lesson-badge ${lesson.kind === "exercise" ? "lesson-badge--exercise" : ""}`}>{lessonBadge(lesson)}</span>
          <BrokerChips brokers={lesson.brokers} />
          <span className="lesson-chip">{lesson.minutes} min</span>
          <span className="lesson-chip" data-testid="lesson-progress">
            {done}/{lesson.steps.length} steps done
          </span>
          {stepsWithHelp > 0 ? (
            <span className="lesson-chip lesson-chip--help" data-testid="lesson-help" title="Steps that passed after Show me loaded their solution">
              {stepsWithHelp} solved with help
            </span>
          ) : null}
        </div>
        <h1 id="lesson-title">{lesson.title}</h1>
        <RichText text={lesson.intro} className="lesson-hero__intro" />
      </section>
      {session.error ? <p className="notice notice--error">The lesson service answered: {session.error.message}</p> : null}
      <StepNav lesson={lesson} index={index} progress={progress} onGo={go} />
      <div className="lesson-layout">
        <div className="lesson-main">
          {index === undefined ? (
            <p className="lesson-loading muted">Opening the lesson…</p>
          ) : step ? (
            <StepView
              step={step}
              index={index}
              count={lesson.steps.length}
              progress={progress}
              check={session.check}
              onPredict={(choice) => session.predict(step.id, choice)}
              onAnswer={session.answerQuestion}
              onGo={go}
            />
          ) : (
            <LessonSummary lesson={lesson} progress={progress} next={next} onStep={go} onReset={() => void session.reset().then(() => go(0))} />
          )}
          {lesson.comparison && (!step || lesson.comparison.some((row) => row.step === step.id)) ? (
            <MeasuredTable lessonId={lesson.id} rows={lesson.comparison} refreshKey={runKey} />
          ) : null}
          {step && stepComparesRuns(lesson, step.id) ? (
            <CompareRunsLink lesson={lesson} stepId={step.id} refreshKey={runKey} />
          ) : null}
        </div>
        <RunPanel
          run={run}
          text={text}
          onText={onText}
          onStart={() => void start(text)}
          onShowMe={showMe}
          onReset={reset}
          onStop={() => void store.stop()}
          onFault={(action, service, replica) => void store.fault(action, service, replica)}
          onReplay={(service, projection, from) => void store.replay(service, projection, from)}
          blocked={step ? blocked : "Pick a step to run its scenario."}
          busy={busy}
          durationSeconds={step?.run?.durationSeconds}
        />
      </div>
    </main>
  );
}
