// The SQLite database of one service replica, in the run's directory (`<service>-<replica>.sqlite`),
// so a restarted replica opens the same file. Opened once per process, shared by its producers and
// consumers.
import os from "node:os";
import path from "node:path";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { openSqlite } from "../sqlite/open";
import type { SqliteDatabase } from "../sqlite/open";

const opened = new Map<string, SqliteDatabase>();

export function serviceDatabaseFile(launch: Pick<ServiceLaunch, "dataDir" | "runId" | "service" | "replica">): string {
  // A launch without a run directory (a test starting a process by hand) still gets a file per run.
  const dir = launch.dataDir ?? path.join(os.tmpdir(), `brokerlab-${launch.runId}`);
  return path.join(dir, `${launch.service.name}-${launch.replica}.sqlite`);
}

export function serviceDatabase(launch: ServiceLaunch): SqliteDatabase {
  const file = serviceDatabaseFile(launch);
  let db = opened.get(file);
  if (!db) opened.set(file, (db = openSqlite(file)));
  return db;
}
