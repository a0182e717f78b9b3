// Applies a drill's fault to every active run that has the named service, all at once, and says
// which runs it reached and which it skipped and why (no such service, still starting, refused).
import { AppError } from "../../lib/errors";
import type { DrillReached, DrillResult, DrillSkipped } from "../../lib/classroom/drill";
import { describeFault, faultProblems, type FaultSpec } from "../../lib/scenario/faults";
import type { Engine } from "../engine/engine";
import { isActive } from "../engine/run-limits";

export interface DrillOptions {
  /** Whose run it is, when known, so the teacher reads names rather than run ids. */
  ownerOf?: (runId: string) => string | undefined;
  log?: (message: string, error?: unknown) => void;
}

export async function applyDrill(engine: Engine, spec: FaultSpec, options: DrillOptions = {}): Promise<DrillResult> {
  const reached: DrillReached[] = [];
  const skipped: DrillSkipped[] = [];
  const active = engine.list().filter((run) => isActive(run.status()));
  await Promise.all(active.map(async (run) => {
    const owner = options.ownerOf?.(run.id);
    const base = { runId: run.id, scenario: run.scenario.name, ...(owner ? { learnerId: owner } : {}) };
    const skip = (why: string) => void skipped.push({ ...base, why });
    if (!("service" in spec) || !run.scenario.services.some((s) => s.name === spec.service)) {
      return skip(`has no service "${"service" in spec ? spec.service : ""}" (services: ${run.scenario.services.map((s) => s.name).join(", ") || "none"})`);
    }
    if (run.status() !== "running") return skip(`is ${run.status()}; faults apply to a running run`);
    const problems = faultProblems(run.scenario, spec);
    if (problems.length > 0) return skip(problems.map((p) => `${p.field}: ${p.message}`).join("; "));
    try {
      const outcome = await run.applyFault(spec);
      reached.push({ ...base, affected: outcome.affected, ...(outcome.faultId ? { faultId: outcome.faultId } : {}) });
    } catch (error) {
      // One run refusing (it ended meanwhile, a broker is down) leaves the others drilled.
      if (error instanceof AppError) return skip(error.message);
      options.log?.(`a drill on run ${run.id} failed`, error);
      skip("the fault failed on this run; the server log says why");
    }
  }));
  const byRun = (a: { runId: string }, b: { runId: string }) => a.runId.localeCompare(b.runId);
  return { fault: describeFault(spec), reached: reached.sort(byRun), skipped: skipped.sort(byRun) };
}
