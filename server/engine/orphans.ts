// Broker resources of runs a killed server left behind. On engine start every run manifest still
// "active" whose owning server is gone has what its run created deleted, then is marked cleaned;
// one that cannot be cleaned now (a broker down) stays active for the next start.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { EngineContext } from "./context";
import { driverOf } from "../brokers/registry";
import { ownerAlive, readManifest, writeManifest, type ManifestBroker } from "./resource-manifest";

export interface OrphanCleanup {
  /** Run ids whose leftover resources were deleted. */
  cleaned: string[];
  problems: string[];
}

async function deleteCreated(context: EngineContext, runId: string, entry: ManifestBroker): Promise<void> {
  const driver = driverOf(entry);
  const admin = driver.createAdmin(driver.fromManifest(entry, context), context, `brokerlab-cleanup-${runId}`);
  try {
    await admin.teardown(entry.created);
  } finally {
    await admin.close().catch(() => {});
  }
}

/** New runs wait for the clean-up: a broker that does not answer must not hold them for long. */
const perRunMs = 15_000;
const wholePassMs = 30_000;

function within<T>(ms: number, what: string, operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)));
  return Promise.race([operation, late]).finally(() => clearTimeout(timer));
}

export async function cleanOrphanedResources(context: EngineContext): Promise<OrphanCleanup> {
  const result: OrphanCleanup = { cleaned: [], problems: [] };
  const deadline = Date.now() + wholePassMs;
  let dirs: string[];
  try {
    dirs = readdirSync(context.dataDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(context.dataDir, d.name));
  } catch {
    return result; // no data directory yet: no run ever left anything
  }
  for (const dir of dirs) {
    const manifest = readManifest(dir);
    if (!manifest || manifest.state !== "active" || ownerAlive(manifest)) continue;
    if (Date.now() > deadline) {
      result.problems.push(`the resources run ${manifest.runId} left behind wait for the next start (this one's clean-up ran out of time)`);
      continue;
    }
    try {
      await within(perRunMs, "deleting them", (async () => {
        for (const entry of Object.values(manifest.brokers)) await deleteCreated(context, manifest.runId, entry);
      })());
      writeManifest(dir, { ...manifest, state: "cleaned", note: `deleted by the server started at ${new Date().toISOString()} (pid ${process.pid}): run ${manifest.runId}'s server had died` });
      result.cleaned.push(manifest.runId);
    } catch (error) {
      result.problems.push(`could not delete the resources run ${manifest.runId} left behind (tried again at the next start): ${(error as Error).message}`);
    }
  }
  return result;
}
