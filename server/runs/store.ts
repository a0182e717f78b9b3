// The run store: every run's scenario, downsampled frames and report in one SQLite file beside the
// run directories (better-sqlite3, synchronous and fast: a frame insert is a few microseconds, and
// the recorder batches them once a second). Schema changes are numbered migrations (user_version).
// Past the size limit the oldest unpinned finished runs are pruned, and the count is kept for the UI.
import { statSync } from "node:fs";
import path from "node:path";
import type { RunFilter, RunOrigin, StoredRun, StoredRunSummary } from "../../lib/runs/history";
import { outcomesOf } from "../../lib/runs/history";
import type { RunFrame, RunReport, RunStatus } from "../../lib/run/model";
import { openSqlite, type SqliteDatabase } from "../sqlite/open";

// A migration is SQL, or a function for what SQL cannot say (outcomes are computed from the report in TypeScript).
const migrations: (string | ((db: SqliteDatabase) => void))[] = [
  `CREATE TABLE runs (
     run_id TEXT PRIMARY KEY, scenario TEXT NOT NULL, title TEXT, origin TEXT NOT NULL, lesson_id TEXT, step_id TEXT,
     brokers TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, duration_ms INTEGER, pinned INTEGER NOT NULL DEFAULT 0,
     outcomes TEXT NOT NULL DEFAULT '', ledger TEXT, scenario_text TEXT NOT NULL, report TEXT, frames INTEGER NOT NULL DEFAULT 0,
     bytes INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE frames (run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE, elapsed_ms INTEGER NOT NULL, frame TEXT NOT NULL);
   CREATE INDEX frames_by_run ON frames (run_id, elapsed_ms);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The process that records a run: a run still "running" whose recorder is gone was abandoned.
  "ALTER TABLE runs ADD COLUMN pid INTEGER;",
  // Stops were counted as errors: recount the finished runs' outcomes with the stop note left out.
  (db) => {
    const recount = db.prepare("UPDATE runs SET outcomes = ? WHERE run_id = ?");
    for (const row of db.prepare("SELECT run_id, report FROM runs WHERE report IS NOT NULL").all() as { run_id: string; report: string }[]) {
      recount.run(outcomesOf(JSON.parse(row.report) as RunReport).join(","), row.run_id);
    }
  },
  // The classroom learner who started the run; NULL for the teacher, outside classroom mode and for older runs.
  "ALTER TABLE runs ADD COLUMN owner TEXT; CREATE INDEX runs_by_owner ON runs (owner);",
];

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export interface NewStoredRun {
  runId: string;
  scenario: string;
  origin: RunOrigin;
  lessonId?: string;
  stepId?: string;
  brokers: string[];
  startedAt: string;
  scenarioText: string;
  /** The classroom learner who started it; none for the teacher or outside classroom mode. */
  owner?: string;
}

interface Row {
  run_id: string; scenario: string; title: string | null; origin: RunOrigin; lesson_id: string | null; step_id: string | null;
  brokers: string; status: RunStatus; started_at: string; duration_ms: number | null; pinned: number; outcomes: string;
  ledger: string | null; owner: string | null; scenario_text?: string; report?: string | null; frames: number; bytes: number;
}

const summaryColumns = "run_id, scenario, title, origin, lesson_id, step_id, brokers, status, started_at, duration_ms, pinned, outcomes, ledger, owner, frames, bytes";

function toSummary(row: Row): StoredRunSummary {
  return {
    runId: row.run_id,
    scenario: row.scenario,
    ...(row.title ? { title: row.title } : {}),
    origin: row.origin,
    ...(row.lesson_id ? { lessonId: row.lesson_id } : {}),
    ...(row.step_id ? { stepId: row.step_id } : {}),
    brokers: row.brokers ? row.brokers.split(",") : [],
    status: row.status,
    startedAt: row.started_at,
    ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
    pinned: row.pinned === 1,
    outcomes: (row.outcomes ? row.outcomes.split(",") : []) as StoredRunSummary["outcomes"],
    ...(row.ledger ? { ledger: JSON.parse(row.ledger) as RunReport["ledger"] } : {}),
    ...(row.owner ? { owner: row.owner } : {}),
    frames: row.frames,
    bytes: row.bytes,
  };
}

export function openRunStore(file: string, options: { maxBytes: number }) {
  const db: SqliteDatabase = openSqlite(file);
  db.pragma("foreign_keys = ON");
  // NORMAL, not FULL: a recording may lose its last second in a power cut, and the data path never waits on a disk flush.
  db.pragma("synchronous = NORMAL");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      const migration = migrations[v]!;
      if (typeof migration === "string") db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }

  // Runs whose recording process died (a server killed mid-run) end as failed, so the history
  // never shows a run as running forever.
  const active = db.prepare("SELECT run_id, pid FROM runs WHERE status IN ('starting', 'running', 'stopping')").all() as { run_id: string; pid: number | null }[];
  const markAbandoned = db.prepare("UPDATE runs SET status = 'failed', outcomes = 'errors' WHERE run_id = ?");
  for (const run of active) if (run.pid === null || (run.pid !== process.pid && !alive(run.pid))) markAbandoned.run(run.run_id);

  const insertFrame = db.prepare("INSERT INTO frames (run_id, elapsed_ms, frame) VALUES (?, ?, ?)");
  const countFrames = db.prepare("UPDATE runs SET frames = frames + ?, bytes = bytes + ?, status = ? WHERE run_id = ?");
  const pruned = () => Number((db.prepare("SELECT value FROM meta WHERE key = 'pruned'").get() as { value: string } | undefined)?.value ?? 0);

  function fileBytes(): number {
    return [file, `${file}-wal`].reduce((sum, f) => { try { return sum + statSync(f).size; } catch { return sum; } }, 0);
  }

  /** Deletes the oldest unpinned finished runs until the recorded bytes fit; returns how many went. */
  function prune(): number {
    const total = (db.prepare("SELECT COALESCE(SUM(bytes), 0) AS n FROM runs").get() as { n: number }).n;
    if (total <= options.maxBytes) return 0;
    const candidates = db.prepare("SELECT run_id, bytes FROM runs WHERE pinned = 0 AND status IN ('finished', 'failed') ORDER BY started_at").all() as { run_id: string; bytes: number }[];
    let over = total - options.maxBytes;
    const gone: string[] = [];
    for (const candidate of candidates) {
      if (over <= 0) break;
      gone.push(candidate.run_id);
      over -= candidate.bytes;
    }
    db.transaction(() => {
      const remove = db.prepare("DELETE FROM runs WHERE run_id = ?");
      for (const id of gone) remove.run(id);
      db.prepare("INSERT INTO meta (key, value) VALUES ('pruned', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(pruned() + gone.length));
    })();
    return gone.length;
  }

  return {
    file,
    begin(run: NewStoredRun): void {
      db.prepare(`INSERT INTO runs (run_id, scenario, origin, lesson_id, step_id, brokers, status, started_at, scenario_text, bytes, pid, owner)
        VALUES (?, ?, ?, ?, ?, ?, 'starting', ?, ?, ?, ?, ?)`).run(run.runId, run.scenario, run.origin, run.lessonId ?? null, run.stepId ?? null, run.brokers.join(","), run.startedAt, run.scenarioText, run.scenarioText.length, process.pid, run.owner ?? null);
    },
    /** One transaction for a batch of frames (the recorder's second's worth). */
    addFrames(runId: string, frames: RunFrame[]): void {
      if (frames.length === 0) return;
      db.transaction(() => {
        let bytes = 0;
        for (const frame of frames) {
          const text = JSON.stringify(frame);
          bytes += text.length;
          insertFrame.run(runId, Math.round(frame.elapsedMs), text);
        }
        countFrames.run(frames.length, bytes, frames.at(-1)!.status, runId);
      })();
    },
    finish(report: RunReport): number {
      const text = JSON.stringify(report);
      db.prepare("UPDATE runs SET status = ?, duration_ms = ?, outcomes = ?, ledger = ?, report = ?, bytes = bytes + ? WHERE run_id = ?")
        .run(report.status, Math.round(report.durationMs), outcomesOf(report).join(","), JSON.stringify(report.ledger), text, text.length, report.runId);
      return prune();
    },
    /** `owner`: only that learner's runs (classroom mode); undefined: everyone's. */
    list(filter: RunFilter, owner?: string): StoredRunSummary[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (owner !== undefined) { where.push("owner = ?"); args.push(owner); }
      if (filter.scenario) { where.push("(scenario LIKE ? OR title LIKE ?)"); args.push(`%${filter.scenario}%`, `%${filter.scenario}%`); }
      if (filter.broker) { where.push("(',' || brokers || ',') LIKE ?"); args.push(`%,${filter.broker},%`); }
      if (filter.lesson) { where.push("lesson_id = ?"); args.push(filter.lesson); }
      if (filter.origin) { where.push("origin = ?"); args.push(filter.origin); }
      if (filter.outcome === "clean") where.push("outcomes = '' AND status = 'finished'");
      else if (filter.outcome) { where.push("(',' || outcomes || ',') LIKE ?"); args.push(`%,${filter.outcome},%`); }
      const sql = `SELECT ${summaryColumns} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY pinned DESC, started_at DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, filter.limit) as Row[]).map(toSummary);
    },
    get(runId: string): StoredRun | undefined {
      const row = db.prepare(`SELECT ${summaryColumns}, scenario_text, report FROM runs WHERE run_id = ?`).get(runId) as Row | undefined;
      if (!row) return undefined;
      return { ...toSummary(row), scenarioText: row.scenario_text ?? "", ...(row.report ? { report: JSON.parse(row.report) as RunReport } : {}) };
    },
    frames(runId: string): RunFrame[] {
      return (db.prepare("SELECT frame FROM frames WHERE run_id = ? ORDER BY elapsed_ms").all(runId) as { frame: string }[]).map((r) => JSON.parse(r.frame) as RunFrame);
    },
    edit(runId: string, edit: { title?: string; pinned?: boolean }): boolean {
      const result = db.prepare("UPDATE runs SET title = COALESCE(?, title), pinned = COALESCE(?, pinned) WHERE run_id = ?")
        .run(edit.title ?? null, edit.pinned === undefined ? null : edit.pinned ? 1 : 0, runId);
      return result.changes > 0;
    },
    remove(runId: string): boolean {
      return db.prepare("DELETE FROM runs WHERE run_id = ?").run(runId).changes > 0;
    },
    /** What the history page says about the store: its size, its limit, the runs pruned so far. */
    usage: () => ({ runs: (db.prepare("SELECT COUNT(*) AS n FROM runs").get() as { n: number }).n, bytes: fileBytes(), maxBytes: options.maxBytes, pruned: pruned() }),
    close: () => db.close(),
  };
}

export type RunStore = ReturnType<typeof openRunStore>;

export const runStoreFile = (dataDir: string) => path.join(dataDir, "runs.sqlite");

/** The store the configuration asks for (BROKERLAB_RUN_STORE_MB; 0: none), for the composition roots. */
export function runStoreFromConfig(config: { BROKERLAB_DATA_DIR: string; BROKERLAB_RUN_STORE_MB: number }): RunStore | undefined {
  if (config.BROKERLAB_RUN_STORE_MB === 0) return undefined;
  return openRunStore(runStoreFile(config.BROKERLAB_DATA_DIR), { maxBytes: config.BROKERLAB_RUN_STORE_MB * 1_000_000 });
}
