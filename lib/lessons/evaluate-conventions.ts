// traceConforms: the run's traces that hold spans of a service, graded by the trace grader
// (lib/trace/grade-trace.ts) against the messaging conventions, all rules or the ones named, and
// with one propagation when the check asks for it (a process span linked, or a child).
import { conventionRules, gradeTrace } from "../trace/grade-trace";
import type { CheckOf } from "./checks";
import { opWord } from "./describe";
import type { TraceView } from "./snapshot";
import type { Verdict } from "./verdict";

export function conformsCheck(check: CheckOf<"traceConforms">, traces: TraceView[]): Verdict {
  const graded = traces.flatMap((trace) => (trace.gradable ? [{ traceId: trace.traceId, grade: gradeTrace(trace.gradable, check.propagation ? { propagation: check.propagation } : {}) }] : []))
    .filter(({ grade }) => grade.messagingSpans > 0)
    .map(({ traceId, grade }) => ({ traceId, issues: grade.issues.filter((issue) => !check.rules || check.rules.includes(issue.rule)) }));
  const atLeast = check.atLeast ?? 1;
  const what = `trace(s) of ${check.service}`;
  if (graded.length === 0) return { state: "fail", detail: `Jaeger holds no ${what} with messaging spans for this run yet` };
  const clean = graded.filter((t) => t.issues.length === 0);
  const broken = graded.filter((t) => t.issues.length > 0);
  if (broken.length === 0 && clean.length >= atLeast) return { state: "pass", detail: `${clean.length} ${what} grade clean` };
  const first = broken[0]?.issues[0];
  const why = first ? `; trace ${broken[0]!.traceId.slice(0, 12)}…: "${first.span}" breaks "${conventionRules[first.rule]}" (${first.detail ?? "see the trace"})` : `; needs ${opWord(">=", atLeast)}`;
  return { state: clean.length > 0 ? "partial" : "fail", detail: `${clean.length} of ${graded.length} ${what} grade clean${why}` };
}
