// The engine: starts runs, keeps them addressable by id, and stops them all on shutdown.
// The web server and the headless runner both drive runs through it.
import type { Scenario } from "../../lib/scenario/schema";
import type { EngineContext } from "./context";
import { createRun, type Run, type RunOptions } from "./run";

export function createEngine(context: EngineContext, { keepFinished = 20 } = {}) {
  const runs = new Map<string, Run>();

  function forget() {
    const finished = [...runs.values()].filter((r) => r.status() === "finished" || r.status() === "failed");
    for (const run of finished.slice(0, Math.max(0, finished.length - keepFinished))) runs.delete(run.id);
  }

  return {
    context,
    /** Creates a run and starts it; resolves once resources exist and every replica is ready. */
    async start(scenario: Scenario, options: RunOptions = {}): Promise<Run> {
      forget();
      const run = createRun(scenario, context, options);
      runs.set(run.id, run);
      await run.start();
      return run;
    },
    create(scenario: Scenario, options: RunOptions = {}): Run {
      forget();
      const run = createRun(scenario, context, options);
      runs.set(run.id, run);
      return run;
    },
    get: (id: string) => runs.get(id),
    list: () => [...runs.values()],
    async shutdown() {
      await Promise.all([...runs.values()].filter((r) => r.status() === "running" || r.status() === "starting").map((r) => r.stop("server shutting down")));
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
