// Records every run the engine starts into the run store: the scenario (secrets removed) at once,
// frames downsampled (lib/runs/history.ts) and written once a second in one transaction, the report
// at the end. Recording is beside the data path, never in it: frames are the engine's 10 Hz
// aggregates, and a store that fails stops recording that run (said once in the log), not the run.
import { stringify } from "yaml";
import { createFrameSampler, type RunOrigin } from "../../lib/runs/history";
import type { RunFrame } from "../../lib/run/model";
import { scenarioWithoutSecrets } from "../../lib/secrets";
import type { Run } from "../engine/run";
import type { RunStore } from "./store";

export interface RecordedAs {
  origin: RunOrigin;
  lessonId?: string;
  stepId?: string;
  /** The classroom learner who started the run (none for the teacher, outside classroom mode). */
  owner?: string;
}

export interface RunRecorder {
  record(run: Run, as: RecordedAs): void;
  /** Resolves once every run recorded so far has written its report (tests, shutdown). */
  settled(): Promise<void>;
}

const flushEveryMs = 1_000;

export function createRunRecorder(store: RunStore, log: (message: string, error?: unknown) => void): RunRecorder {
  const pending = new Set<Promise<void>>();

  function record(run: Run, as: RecordedAs): void {
    let failed = false;
    const guard = (what: string, write: () => void) => {
      if (failed) return;
      try {
        write();
      } catch (error) {
        failed = true;
        log(`the run store could not ${what} for run ${run.id}; this run is not recorded further`, error);
      }
    };
    const brokers = [...new Set(Object.values(run.scenario.brokers).map((broker) => broker.kind))].sort();
    guard("record the start", () => store.begin({
      runId: run.id, scenario: run.scenario.name, origin: as.origin, ...(as.lessonId ? { lessonId: as.lessonId } : {}), ...(as.stepId ? { stepId: as.stepId } : {}),
      ...(as.owner ? { owner: as.owner } : {}), brokers, startedAt: new Date(run.startedAt()).toISOString(), scenarioText: stringify(scenarioWithoutSecrets(run.scenario)),
    }));
    const sampler = createFrameSampler();
    let batch: RunFrame[] = [];
    const flush = () => {
      const frames = batch;
      batch = [];
      guard("write frames", () => store.addFrames(run.id, frames));
    };
    const timer = setInterval(flush, flushEveryMs);
    timer.unref();
    run.events.on("frame", (frame) => {
      const kept = sampler.offer(frame);
      if (kept) batch.push(kept);
    });
    const finished = run.done().then((report) => {
      clearInterval(timer);
      const last = sampler.flush();
      if (last) batch.push(last);
      flush();
      guard("write the report", () => {
        const pruned = store.finish(report);
        if (pruned > 0) log(`the run store is over its size limit: ${pruned} oldest unpinned run(s) deleted`);
      });
    }, (error: unknown) => log(`run ${run.id} ended without a report to record`, error));
    pending.add(finished);
    void finished.finally(() => pending.delete(finished));
  }

  return {
    record,
    settled: async () => void (await Promise.all([...pending])),
  };
}
