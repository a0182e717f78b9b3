// How much one engine runs at once. 1,000 run:start calls were once all accepted, each forking its
// service processes; now a run that would pass a cap is refused with LIMIT_REACHED, saying which
// limit, which runs hold it, and which environment variable raises it.
import type { RunStatus } from "../../lib/run/model";
import type { Scenario } from "../../lib/scenario/schema";
import { RunError } from "./run";

export interface EngineLimits {
  /** Runs starting, running or stopping at once (BROKERLAB_MAX_RUNS). */
  maxRuns: number;
  /** Service processes of those runs together (BROKERLAB_MAX_SERVICE_PROCESSES). */
  maxServiceProcesses: number;
  /** Finished and failed runs kept in memory for their reports (BROKERLAB_KEEP_FINISHED_RUNS). */
  keepFinishedRuns: number;
  /** Run directories kept on disk: the newest this many... (BROKERLAB_KEEP_RUN_DIRS) */
  keepRunDirs: number;
  /** ...and any younger than this (BROKERLAB_RUN_DIR_MAX_AGE_HOURS). */
  runDirMaxAgeMs: number;
}

/** What the caps need to know of a run. */
export interface RunLoad {
  id: string;
  scenario: Pick<Scenario, "services">;
  status(): RunStatus;
}

export const isActive = (status: RunStatus) => status === "starting" || status === "running" || status === "stopping";

/** One service process per replica of every service. */
export const serviceProcessesOf = (scenario: Pick<Scenario, "services">) => scenario.services.reduce((sum, service) => sum + service.replicas, 0);

function named(runs: RunLoad[], withProcesses = false): string {
  const shown = runs.slice(0, 10).map((run) => (withProcesses ? `${run.id} (${serviceProcessesOf(run.scenario)})` : run.id));
  return `${shown.join(", ")}${runs.length > shown.length ? ` and ${runs.length - shown.length} more` : ""}`;
}

/** Throws a RunError LIMIT_REACHED when starting `scenario` beside `runs` would pass a cap. */
export function checkCapacity(scenario: Pick<Scenario, "services">, runs: Iterable<RunLoad>, limits: EngineLimits): void {
  const active = [...runs].filter((run) => isActive(run.status()));
  if (active.length >= limits.maxRuns) {
    throw new RunError(
      "LIMIT_REACHED",
      `${active.length} runs are active, the most Brokerlab runs at once (BROKERLAB_MAX_RUNS=${limits.maxRuns}): ${named(active)}. ` +
        `Stop one of them, or wait for one to end, then start again; or raise BROKERLAB_MAX_RUNS and restart the server.`,
    );
  }
  const needed = serviceProcessesOf(scenario);
  if (needed > limits.maxServiceProcesses) {
    throw new RunError(
      "LIMIT_REACHED",
      `This scenario needs ${needed} service processes (one per replica), more than Brokerlab runs at once (BROKERLAB_MAX_SERVICE_PROCESSES=${limits.maxServiceProcesses}). ` +
        `Lower the services' replicas, or raise BROKERLAB_MAX_SERVICE_PROCESSES and restart the server.`,
    );
  }
  const inUse = active.reduce((sum, run) => sum + serviceProcessesOf(run.scenario), 0);
  if (inUse + needed > limits.maxServiceProcesses) {
    throw new RunError(
      "LIMIT_REACHED",
      `This scenario needs ${needed} service processes, and active runs use ${inUse} of at most ${limits.maxServiceProcesses} (BROKERLAB_MAX_SERVICE_PROCESSES): ${named(active, true)}. ` +
        `Stop one of them or wait for one to end; or lower the services' replicas, or raise BROKERLAB_MAX_SERVICE_PROCESSES and restart the server.`,
    );
  }
}

/** The ids of finished and failed runs to forget: all but the newest `keep`, oldest first. */
export function runsToForget(runs: Iterable<RunLoad & { startedAt(): number }>, keep: number): string[] {
  const ended = [...runs].filter((run) => !isActive(run.status())).sort((a, b) => a.startedAt() - b.startedAt());
  return ended.slice(0, Math.max(0, ended.length - keep)).map((run) => run.id);
}
