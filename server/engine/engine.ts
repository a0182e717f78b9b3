// The engine: starts runs within its limits, keeps them addressable by id, forgets (and prunes the
// directories of) old finished runs, and stops them all on shutdown. The web server and the
// headless runner both drive runs through it.
import type { Scenario } from "../../lib/scenario/schema";
import type { EngineContext } from "./context";
import { cleanOrphanedResources } from "./orphans";
import { killLeftoverServiceProcesses } from "./leftover-processes";
import { createClaimRegistry } from "./resource-claims";
import { createRun, type Run, type RunOptions } from "./run";
import { pruneRunDirs } from "./run-dirs";
import type { RunRecorder } from "../runs/recorder";
import { checkCapacity, isActive, runsToForget } from "./run-limits";
import { checkQuotas, defaultQuotas } from "./quotas";
import { learnerOfRequester } from "./learner-brokers";

/** A recorder keeps every run in the run store (server/runs/); without one, runs are not recorded. */
export function createEngine(context: EngineContext, engineOptions: { recorder?: RunRecorder } = {}) {
  const runs = new Map<string, Run>();
  /** Who asked for each run that had a requester, for its quotas (quotas.ts). */
  const requesters = new Map<string, string>();
  /** Two active runs never share a queue, topic, exchange or consumer group (resource-claims.ts). */
  const claims = createClaimRegistry(context);
  // Service processes a server that died left running are killed first (leftover-processes.ts), so
  // that none still uses what is deleted next.
  const leftovers = killLeftoverServiceProcesses(context.dataDir);
  for (const found of leftovers.killed) console.warn(`killed leftover service process ${found}`);
  for (const problem of leftovers.problems) console.warn(problem);
  // What runs of a server that died created is deleted now (orphans.ts); the promise is for tests and logs.
  const orphansCleaned = cleanOrphanedResources(context).then((result) => {
    for (const runId of result.cleaned) console.warn(`deleted the broker resources run ${runId} left behind when its server died`);
    for (const problem of result.problems) console.warn(problem);
    return result;
  });
  const { limits } = context;
  let pruning: Promise<{ removed: string[]; problems: string[] }> | undefined;

  function forget() {
    for (const id of runsToForget(runs.values(), limits.keepFinishedRuns)) {
      runs.delete(id);
      requesters.delete(id);
    }
  }

  /** One pruning pass at a time; a pass asked for meanwhile shares it. */
  function pruneDirs() {
    const active = new Set([...runs.values()].filter((run) => isActive(run.status())).map((run) => run.id));
    pruning ??= pruneRunDirs(context.dataDir, { keep: limits.keepRunDirs, maxAgeMs: limits.runDirMaxAgeMs, active })
      .catch((error: unknown) => ({ removed: [], problems: [`could not prune run directories: ${String(error)}`] }))
      .finally(() => (pruning = undefined));
    return pruning;
  }
  // Old run directories go once the clean-up has read what it needs from them.
  void orphansCleaned.then(pruneDirs);

  /** Refused with LIMIT_REACHED beyond the caps and its requester's quotas; once it ends, old runs are forgotten and their directories pruned. */
  function admit(scenario: Scenario, options: RunOptions): Run {
    forget();
    checkCapacity(scenario, runs.values(), limits);
    const { requester } = options;
    // Classroom mode: a learner's run gets the learner's prefix on brokers without namespaces, and
    // reaches every broker as the learner (learner-brokers.ts).
    const learnerBrokers = context.learnerBrokers;
    const learner = learnerBrokers ? learnerOfRequester(requester) : undefined;
    if (learnerBrokers && learner !== undefined) {
      const own = learnerBrokers.scenarioFor(learner, scenario, options.resourceNames);
      return admitAs(own.scenario, { ...options, resourceNames: own.names, learner }, (brokers) => learnerBrokers.place(learner, brokers));
    }
    return admitAs(scenario, options);
  }

  function admitAs(scenario: Scenario, options: RunOptions, place?: Parameters<typeof claims.check>[1]): Run {
    const { requester } = options;
    if (requester !== undefined) checkQuotas(scenario, [...runs.values()].filter((r) => requesters.get(r.id) === requester), context.quotas ?? defaultQuotas);
    const claimed = claims.check(scenario, place);
    const run = createRun(scenario, context, { ...options, leftoversCleaned: orphansCleaned });
    runs.set(run.id, run);
    if (requester !== undefined) requesters.set(run.id, requester);
    claims.hold(run, claimed);
    engineOptions.recorder?.record(run, options.recordAs ?? { origin: "lab" });
    void run.done().then(() => {
      forget();
      void pruneDirs();
    });
    return run;
  }

  return {
    context,
    orphansCleaned,
    /** Creates a run and starts it; resolves once resources exist and every replica is ready. */
    async start(scenario: Scenario, options: RunOptions = {}): Promise<Run> {
      const run = admit(scenario, options);
      await run.start();
      return run;
    },
    create: (scenario: Scenario, options: RunOptions = {}): Run => admit(scenario, options),
    /** Deletes run directories beyond BROKERLAB_KEEP_RUN_DIRS and older than BROKERLAB_RUN_DIR_MAX_AGE_HOURS. */
    pruneRunDirs: pruneDirs,
    get: (id: string) => runs.get(id),
    list: () => [...runs.values()],
    async shutdown() {
      await Promise.all([...runs.values()].filter((r) => isActive(r.status())).map((r) => r.stop("server shutting down")));
      // The class ends with the server: the learners' vhosts, users and ACL users go (made again at a learner's next run).
      for (const problem of (await context.learnerBrokers?.removeAll()) ?? []) console.warn(problem);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
