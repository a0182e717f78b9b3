"use client";
// "Compare these runs" under a lesson step that compares two runs (lib/lessons/compare-runs.ts):
// once both are in the run history, a link to /runs/compare with them; until then, what is missing.
// Reads the lesson's runs again whenever a run of the lesson ends (refreshKey).
import Link from "next/link";
import { useEffect, useState } from "react";
import { listRuns } from "../../lib/client/runs-call";
import { runsToCompare, type RunsToCompare } from "../../lib/lessons/compare-runs";
import type { Lesson } from "../../lib/lessons/schema";

interface Props {
  lesson: Lesson;
  stepId: string;
  refreshKey: string;
}

export function CompareRunsLink({ lesson, stepId, refreshKey }: Props) {
  const [pair, setPair] = useState<RunsToCompare | "missing" | { error: string }>("missing");
  useEffect(() => {
    let current = true;
    void listRuns(new URLSearchParams({ lesson: lesson.id, origin: "lesson", limit: "200" })).then((listed) => {
      if (current) setPair(listed.ok ? (runsToCompare(lesson, stepId, listed.data.runs) ?? "missing") : { error: listed.error.message });
    });
    return () => { current = false; };
  }, [lesson, stepId, refreshKey]);

  if (pair === "missing") {
    return <p className="lesson-run__note lesson-compare" data-testid="lesson-compare-waiting">This step compares two runs: once both have finished, a link here opens them side by side.</p>;
  }
  if ("error" in pair) return <p className="lesson-run__note lesson-compare" role="status">The run history did not answer ({pair.error}), so the comparison is not offered.</p>;
  const href = `/runs/compare?a=${encodeURIComponent(pair.a.runId)}&b=${encodeURIComponent(pair.b.runId)}`;
  return (
    <p className="lesson-compare" data-testid="lesson-compare">
      <Link className="button button--small" href={href} data-testid="lesson-compare-link">Compare these runs</Link>{" "}
      <span className="lesson-run__note">A: {pair.aIs}; B: {pair.bIs}.</span>
    </p>
  );
}
