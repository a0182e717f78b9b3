// A drill: one fault the teacher applies to every learner's running run at once ("kill the
// consumer"). The body names the fault by kind; its fields and bounds are those of a run's faults.
import { z } from "zod";
import type { InputProblem } from "../errors";
import { faultSpecSchema, faultTargets, type FaultAction, type FaultSpec } from "../scenario/faults";

/** Faults on one service of a run. Broker-wide ones (stopBroker) would hit the broker every learner shares, once per run. */
export const drillKinds = (Object.keys(faultTargets) as FaultAction[]).filter((action) => faultTargets[action] === "service");


const bodySchema = z.strictObject({
  fault: z.object({ kind: z.string({ error: "is required: one of " + drillKinds.join(", ") }) }).catchall(z.unknown()),
});

export type DrillParse = { ok: true; spec: FaultSpec } | { ok: false; problems: InputProblem[] };

const field = (path: readonly PropertyKey[]) => path.map(String).join(".") || "body";

/** Parses a drill request body (already JSON-decoded) into the fault spec to apply to each run. */
export function parseDrillBody(body: unknown): DrillParse {
  const outer = bodySchema.safeParse(body);
  if (!outer.success) {
    const problems = outer.error.issues.map((issue) => ({
      path: issue.code === "unrecognized_keys" ? field([...issue.path, issue.keys[0]!]) : field(issue.path),
      message: issue.path.length === 0 && issue.code === "invalid_type" ? 'send a JSON object like { "fault": { "kind": "kill", "service": "worker" } }' : issue.message,
    }));
    return { ok: false, problems };
  }
  const { kind, ...rest } = outer.data.fault;
  if (!(drillKinds as string[]).includes(kind)) {
    const broker = Object.hasOwn(faultTargets, kind) ? ` (${kind} acts on a broker every learner shares, not on one run)` : "";
    return { ok: false, problems: [{ path: "fault.kind", message: `"${kind.slice(0, 40)}" is not a drill fault${broker}; use one of ${drillKinds.join(", ")}` }] };
  }
  const spec = faultSpecSchema.safeParse({ action: kind, ...rest });
  if (!spec.success) {
    return {
      ok: false,
      problems: spec.error.issues.map((issue) => ({
        path: issue.code === "unrecognized_keys" ? `fault.${issue.keys[0]}` : `fault.${field(issue.path)}`,
        message: issue.message.replace(/^Invalid input: /, ""),
      })),
    };
  }
  return { ok: true, spec: spec.data };
}

/** What the drill did to one run. */
export interface DrillRunResult {
  runId: string;
  scenario: string;
  /** The learner whose run it is, when known (their lesson's last run, or the run's owner). */
  learnerId?: string;
}
export interface DrillReached extends DrillRunResult {
  affected: number;
  faultId?: string;
}
export interface DrillSkipped extends DrillRunResult {
  why: string;
}
export interface DrillResult {
  fault: string;
  reached: DrillReached[];
  skipped: DrillSkipped[];
}
