"use client";
// The trace grader's verdict on the trace in view (lib/trace/grade-trace.ts): a compact
// "conventions: clean / N issues" line, and on demand the list of what breaks the OpenTelemetry
// messaging conventions, each with its rule and its span (click to select the span).
import { useMemo } from "react";
import { conventionRules, gradeSummary, gradeTrace } from "../../lib/trace/grade-trace";
import type { Trace } from "./trace-data";

export function TraceConventions(props: { trace: Trace; onSelect(spanId: string): void }) {
  const grade = useMemo(() => gradeTrace(props.trace), [props.trace]);
  if (grade.messagingSpans === 0) return null;
  const passed = grade.checks.length - grade.issues.length;
  return (
    <details className={`trace-conventions${grade.clean ? " is-clean" : " has-issues"}`} data-testid="trace-conventions">
      <summary title="Graded against the OpenTelemetry messaging conventions: span names, kinds, attributes and links">
        conventions: <b>{gradeSummary(grade)}</b>
        <span className="muted"> · {passed} of {grade.checks.length} checks on {grade.messagingSpans} messaging span{grade.messagingSpans === 1 ? "" : "s"} hold</span>
      </summary>
      {grade.clean ? (
        <p className="muted">Every messaging span follows the conventions: names <code>{"{operation} {destination}"}</code>, span kinds, the messaging.* attributes, and each process span tied to its message&apos;s send span.</p>
      ) : (
        <ul className="trace-conventions__issues">
          {grade.issues.map((issue) => (
            <li key={`${issue.spanId}-${issue.rule}`}>
              <button type="button" className="link-button" onClick={() => props.onSelect(issue.spanId)}>{issue.span}</button>
              {": "}
              {conventionRules[issue.rule]}
              {issue.detail ? <span className="muted"> ({issue.detail})</span> : null}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
