// Prunes run directories (service logs, process records) under the data directory: the newest
// `keep` stay, and so does any touched within `maxAgeMs`; a directory of an active run, of this
// engine or of another live server sharing the data directory, is never deleted, nor one whose
// record of created broker resources still waits for the clean-up of a dead server's runs.
import { existsSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { runMayBeLive } from "./leftover-processes";
import { readManifest } from "./resource-manifest";

export interface RunDirPruning {
  keep: number;
  maxAgeMs: number;
  /** Ids (directory names) of this engine's active runs. */
  active: ReadonlySet<string>;
  now?: number;
}

/** The newest modification time of a directory and its direct entries (a log grows while its run lasts). */
async function lastTouched(dir: string): Promise<number> {
  let newest = (await stat(dir)).mtimeMs;
  for (const name of await readdir(dir)) {
    const entry = await stat(path.join(dir, name)).catch(() => undefined);
    if (entry) newest = Math.max(newest, entry.mtimeMs);
  }
  return newest;
}

/** Deletes the run directories the policy lets go; answers their names and what could not be removed. */
export async function pruneRunDirs(dataDir: string, { keep, maxAgeMs, active, now = Date.now() }: RunDirPruning): Promise<{ removed: string[]; problems: string[] }> {
  const removed: string[] = [];
  const problems: string[] = [];
  if (!existsSync(dataDir)) return { removed, problems };
  const dirs: { name: string; touched: number }[] = [];
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const touched = await lastTouched(path.join(dataDir, entry.name)).catch(() => undefined);
    if (touched !== undefined) dirs.push({ name: entry.name, touched });
  }
  dirs.sort((a, b) => b.touched - a.touched);
  for (const { name, touched } of dirs.slice(keep)) {
    if (now - touched < maxAgeMs || active.has(name)) continue;
    const dir = path.join(dataDir, name);
    if (runMayBeLive(dir) || readManifest(dir)?.state === "active") continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch (error) {
      problems.push(`could not remove run directory ${name}: ${(error as Error).message}`);
    }
  }
  return { removed, problems };
}
