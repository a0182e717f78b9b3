// The lesson page's session with the lesson service: open the lesson (progress, example texts),
// watch the current step's live check, report attempts, predict, answer quizzes, start over.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorPayload } from "../errors";
import type { LessonCheckUpdate, LessonOpened } from "../lessons/events";
import type { LearnerProgress, LessonProgress } from "../lessons/progress";
import { call } from "./lessons-call";
import { learnerId } from "./lessons-learner";
import { getSocket } from "./socket";

export interface LessonSessionView {
  opened?: LessonOpened;
  progress?: LessonProgress;
  check?: LessonCheckUpdate;
  error?: ErrorPayload;
}

export function useLessonSession(lessonId: string) {
  const [view, setView] = useState<LessonSessionView>({});
  const focus = useRef<{ stepId: string; runId?: string } | undefined>(undefined);

  const take = useCallback((update: LessonCheckUpdate) => {
    if (update.lessonId !== lessonId || update.stepId !== focus.current?.stepId) return;
    setView((current) => ({ ...current, check: update, progress: update.progress }));
  }, [lessonId]);

  useEffect(() => {
    const socket = getSocket();
    let alive = true;
    const open = async () => {
      const answer = await call("lesson:open", { learnerId: learnerId(), lessonId });
      if (!alive) return;
      if ("error" in answer) setView((current) => ({ ...current, error: answer.error }));
      else setView((current) => ({ ...current, opened: answer.data, progress: answer.data.progress, error: undefined }));
    };
    const rewatch = () => {
      const current = focus.current;
      if (!current) return;
      void call("lesson:watch", { learnerId: learnerId(), lessonId, ...current }).then((answer) => {
        if ("data" in answer) take(answer.data);
      });
    };
    void open();
    socket.on("lesson:check", take);
    socket.on("connect", rewatch);
    return () => {
      alive = false;
      socket.off("lesson:check", take);
      socket.off("connect", rewatch);
      void call("lesson:unwatch", {});
    };
  }, [lessonId, take]);

  const watch = useCallback(async (stepId: string, runId?: string) => {
    focus.current = { stepId, ...(runId ? { runId } : {}) };
    setView((current) => (current.check?.stepId === stepId ? current : { ...current, check: undefined }));
    const answer = await call("lesson:watch", { learnerId: learnerId(), lessonId, stepId, ...(runId ? { runId } : {}) });
    if ("data" in answer) take(answer.data);
    else setView((current) => ({ ...current, error: answer.error }));
  }, [lessonId, take]);

  /** `solution`: "Show me" loaded this scenario; the server records it in the progress. */
  const attempt = useCallback(async (stepId: string, scenario: string, outcome: { runId: string } | { error: ErrorPayload } | Record<string, never>, solution = false) => {
    if ("runId" in outcome) focus.current = { stepId, runId: outcome.runId };
    const error = "error" in outcome && outcome.error.code !== "UNAUTHORIZED" && outcome.error.code !== "TRACING_UNAVAILABLE" && outcome.error.code !== "LIMIT_REACHED" && outcome.error.code !== "RATE_LIMITED" && outcome.error.code !== "FORBIDDEN" ? { code: outcome.error.code, message: outcome.error.message } : undefined;
    const answer = await call("lesson:attempt", { learnerId: learnerId(), lessonId, stepId, scenario, ...("runId" in outcome ? { runId: outcome.runId } : {}), ...(error ? { error } : {}), ...(solution ? { solution: true as const } : {}) });
    if ("data" in answer) take(answer.data);
  }, [lessonId, take]);

  const predict = useCallback(async (stepId: string, choice: number) => {
    const answer = await call("lesson:predict", { learnerId: learnerId(), lessonId, stepId, choice });
    if ("data" in answer) setView((current) => ({ ...current, progress: answer.data }));
    return answer;
  }, [lessonId]);

  const answerQuestion = useCallback(async (questionId: string, choices: number[]) => {
    const answer = await call("lesson:answer", { learnerId: learnerId(), lessonId, questionId, choices });
    if ("data" in answer) setView((current) => ({ ...current, progress: answer.data.progress }));
    return answer;
  }, [lessonId]);

  const reset = useCallback(async () => {
    const answer = await call("lesson:reset", { learnerId: learnerId(), lessonId });
    if ("data" in answer) setView((current) => ({ ...current, progress: answer.data, check: undefined }));
  }, [lessonId]);

  return { ...view, watch, attempt, predict, answerQuestion, reset };
}

/** Every lesson's progress for this learner, for the lesson list. */
export function useLearnerProgress(): { progress?: LearnerProgress; error?: ErrorPayload } {
  const [state, setState] = useState<{ progress?: LearnerProgress; error?: ErrorPayload }>({});
  useEffect(() => {
    let alive = true;
    void call("lesson:progress", { learnerId: learnerId() }).then((answer) => {
      if (alive) setState("error" in answer ? { error: answer.error } : { progress: answer.data });
    });
    return () => {
      alive = false;
    };
  }, []);
  return state;
}
