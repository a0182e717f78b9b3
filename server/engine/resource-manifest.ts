// The resources a run created, written to `resources.json` in its data directory the moment they
// exist, so that a server killed mid-run can have them deleted by the next server start (orphans.ts).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { processStartTime } from "./leftover-processes";
import { manifestEntrySchemas } from "../brokers/registry";

export { withoutCredentials } from "../brokers/driver";

export const manifestFileName = "resources.json";

export const manifestSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  /** The server process that owns the run, and its start time in clock ticks since boot (a reused pid is not the owner). */
  ownerPid: z.number().int().positive(),
  ownerStart: z.string().optional(),
  /** active: the run may still hold what it created; released: torn down (or kept on purpose); cleaned: deleted by a later start. */
  state: z.enum(["active", "released", "cleaned"]),
  /** Each broker's entry in its driver's shape: `{ kind, ...endpoints without credentials, created }`. */
  brokers: z.record(z.string(), z.discriminatedUnion("kind", manifestEntrySchemas)),
  note: z.string().optional(),
});

export type ResourceManifest = z.output<typeof manifestSchema>;
export type ManifestBroker = ResourceManifest["brokers"][string];

/** This process as a manifest's owner. */
export function ownerOfThisProcess(): Pick<ResourceManifest, "ownerPid" | "ownerStart"> {
  const start = processStartTime(process.pid);
  return { ownerPid: process.pid, ...(start ? { ownerStart: start } : {}) };
}

/** Whether the server that wrote a manifest still runs: its pid is alive with the same start time. */
export function ownerAlive(manifest: Pick<ResourceManifest, "ownerPid" | "ownerStart">): boolean {
  try {
    process.kill(manifest.ownerPid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const start = processStartTime(manifest.ownerPid);
  // Without /proc (or without a recorded start) a live pid is taken for the owner: better kept than wrongly deleted.
  return start === undefined || manifest.ownerStart === undefined || start === manifest.ownerStart;
}

export function readManifest(runDir: string): ResourceManifest | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(runDir, manifestFileName), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a manifest. */
export function writeManifest(runDir: string, manifest: ResourceManifest): void {
  const file = path.join(runDir, manifestFileName);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
