// Service processes a dead server left behind. Each forked service process carries a unique marker
// in its environment and is recorded (pid, marker, owning server) in its run's directory; the next
// server start kills those whose owning server is dead, but only after /proc shows the marker in
// the process's environment, so a process that merely reused the pid is never touched.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The environment variable a service process is marked with. */
export const serviceMarkerVariable = "BROKERLAB_SERVICE_MARKER";
const recordFile = "processes.jsonl";

const recordSchema = z.object({
  pid: z.number().int().positive(),
  marker: z.string().min(1),
  ownerPid: z.number().int().positive(),
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat), so a reused owner pid reads as dead. */
  ownerStart: z.string().optional(),
  service: z.string(),
  replica: z.number().int(),
});
export type ServiceProcessRecord = z.infer<typeof recordSchema>;

/** A process's start time from /proc/<pid>/stat (field 22), or undefined when there is no such process. */
export function processStartTime(pid: number, proc = "/proc"): string | undefined {
  try {
    const stat = readFileSync(path.join(proc, String(pid), "stat"), "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export const newServiceMarker = () => `brokerlab-service-${randomUUID()}`;

let ownStart: string | undefined;

/** Appends a forked service process to its run's record; answers why not when it could not. */
export function recordServiceProcess(runDir: string, spawned: Pick<ServiceProcessRecord, "pid" | "marker" | "service" | "replica">): string | undefined {
  ownStart ??= processStartTime(process.pid);
  const record: ServiceProcessRecord = { ...spawned, ownerPid: process.pid, ...(ownStart ? { ownerStart: ownStart } : {}) };
  try {
    appendFileSync(path.join(runDir, recordFile), `${JSON.stringify(record)}\n`);
    return undefined;
  } catch (error) {
    return `could not record service process ${spawned.pid}: ${(error as Error).message}`;
  }
}

function readRecords(file: string): ServiceProcessRecord[] {
  return readFileSync(file, "utf8").split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const parsed = recordSchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** True while the server that forked the record's process still runs (same pid, same start time). */
function ownerAlive(record: Pick<ServiceProcessRecord, "ownerPid" | "ownerStart">, proc = "/proc"): boolean {
  const start = processStartTime(record.ownerPid, proc);
  return start !== undefined && (record.ownerStart === undefined || start === record.ownerStart);
}

/** True when the pid is alive and its environment carries this exact marker. */
function carriesMarker(pid: number, marker: string, proc: string): boolean {
  try {
    return readFileSync(path.join(proc, String(pid), "environ"), "utf8").split("\0").includes(`${serviceMarkerVariable}=${marker}`);
  } catch {
    return false;
  }
}

/**
 * True while another live server owns the run (it may still be running there), or one of its
 * recorded service processes is still alive: its directory (and the records the next start needs)
 * must stay. This server's own runs are judged by whether they are active, not here.
 */
export function runMayBeLive(runDir: string, proc = "/proc"): boolean {
  const file = path.join(runDir, recordFile);
  if (!existsSync(file)) return false;
  const records = readRecords(file);
  return records.some((record) => (record.ownerPid !== process.pid && ownerAlive(record, proc)) || carriesMarker(record.pid, record.marker, proc));
}

export interface LeftoverCleanup {
  /** Leftover service processes killed, as "<run>/<service>[<replica>] pid <pid>". */
  killed: string[];
  /** Why a record could not be acted on (a kill refused, say). */
  problems: string[];
}

/**
 * Kills the service processes recorded under `dataDir` whose owning server is dead and whose pid
 * still carries the recorded marker; forgets the records of dead owners. Synchronous: it runs once,
 * at start-up, before this server forks anything. Without /proc it cannot verify a pid: it kills nothing.
 */
export function killLeftoverServiceProcesses(dataDir: string, { proc = "/proc" } = {}): LeftoverCleanup {
  const result: LeftoverCleanup = { killed: [], problems: [] };
  if (!existsSync(dataDir) || !existsSync(path.join(proc, "self", "environ"))) return result;
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const file = path.join(dataDir, entry.name, recordFile);
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const records = readRecords(file);
    if (records.some((record) => ownerAlive(record, proc))) continue;
    const problemsBefore = result.problems.length;
    for (const record of records) {
      if (!carriesMarker(record.pid, record.marker, proc)) continue;
      try {
        process.kill(record.pid, "SIGKILL");
        result.killed.push(`${entry.name}/${record.service}[${record.replica}] pid ${record.pid}`);
      } catch (error) {
        result.problems.push(`could not kill leftover service process ${record.pid} of run ${entry.name}: ${(error as Error).message}`);
      }
    }
    // Kept when a kill failed, so the next start tries again.
    if (result.problems.length === problemsBefore) rmSync(file, { force: true });
  }
  return result;
}
