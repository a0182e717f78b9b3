// The class on disk (classroom.json in the data directory): its join code, the session secret it
// generated, the learners who joined, and which learner owns which run, so a restart keeps the class.
// Read once at start; each change is written atomically (temp file + rename), readable by the owner only.
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const learnerRecordSchema = z.object({ name: z.string(), joinedAt: z.number(), lastSeenAt: z.number() });
const classFileSchema = z.object({
  version: z.literal(1),
  code: z.string().optional(),
  secret: z.string().optional(),
  learners: z.record(z.string(), learnerRecordSchema).default({}),
  /** runId → learnerId, oldest first. */
  runOwners: z.record(z.string(), z.string()).default({}),
});
export type LearnerRecord = z.infer<typeof learnerRecordSchema>;
type ClassFile = z.infer<typeof classFileSchema>;

/** Owners of this many runs are remembered; older ones fall off (their runs are long gone from the engine). */
const maxRunOwners = 5_000;

export interface LearnerStore {
  readonly code: string | undefined;
  readonly secret: string | undefined;
  keep(fields: { code?: string; secret?: string }): Promise<void>;
  get(learnerId: string): LearnerRecord | undefined;
  all(): Array<LearnerRecord & { learnerId: string }>;
  put(learnerId: string, record: LearnerRecord): Promise<void>;
  /** Updates lastSeenAt in memory; it reaches the disk with the next write. */
  seen(learnerId: string, at: number): void;
  ownerOf(runId: string): string | undefined;
  setOwner(runId: string, learnerId: string): Promise<void>;
  runsOf(learnerId: string): string[];
  flush(): Promise<void>;
}

const emptyClass = (): ClassFile => ({ version: 1, learners: {}, runOwners: {} });

function load(file: string, log: (message: string) => void): ClassFile {
  if (!existsSync(file)) return emptyClass();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // Unreadable or not JSON: set aside below, like a file of the wrong shape.
  }
  const parsed = classFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const aside = `${file}.unreadable-${Date.now()}`;
  renameSync(file, aside);
  log(`${path.basename(file)} could not be read; kept it as ${path.basename(aside)} and started a new class`);
  return emptyClass();
}

export function createLearnerStore(options: { dataDir: string; log?: (message: string) => void }): LearnerStore {
  const log = options.log ?? ((message) => console.error(`[classroom] ${message}`));
  const file = path.join(options.dataDir, "classroom.json");
  mkdirSync(options.dataDir, { recursive: true });
  const data = load(file, log);
  // Plain maps: a learner or run id such as "__proto__" is a key like any other.
  const learners = new Map(Object.entries(data.learners));
  const runOwners = new Map(Object.entries(data.runOwners));
  let writing: Promise<void> = Promise.resolve();

  function persist(): Promise<void> {
    const snapshot: ClassFile = { version: 1, code: data.code, secret: data.secret, learners: Object.fromEntries(learners), runOwners: Object.fromEntries(runOwners) };
    const body = `${JSON.stringify(snapshot, null, 1)}\n`;
    writing = writing.then(async () => {
      await mkdir(options.dataDir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      // 0600: the file holds the session secret when the server generated it.
      await writeFile(temp, body, { encoding: "utf8", mode: 0o600 });
      await rename(temp, file);
    }).catch((error: unknown) => log(`could not save the class to ${path.basename(file)}: ${(error as Error).message}`));
    return writing;
  }

  return {
    get code() {
      return data.code;
    },
    get secret() {
      return data.secret;
    },
    keep(fields) {
      if (fields.code !== undefined) data.code = fields.code;
      if (fields.secret !== undefined) data.secret = fields.secret;
      return persist();
    },
    get: (learnerId) => learners.get(learnerId),
    all: () => [...learners].map(([learnerId, record]) => ({ learnerId, ...record })),
    put(learnerId, record) {
      learners.set(learnerId, record);
      return persist();
    },
    seen(learnerId, at) {
      const record = learners.get(learnerId);
      if (record) record.lastSeenAt = at;
    },
    ownerOf: (runId) => runOwners.get(runId),
    setOwner(runId, learnerId) {
      runOwners.set(runId, learnerId);
      for (const oldest of runOwners.keys()) {
        if (runOwners.size <= maxRunOwners) break;
        runOwners.delete(oldest);
      }
      return persist();
    },
    runsOf: (learnerId) => [...runOwners].filter(([, owner]) => owner === learnerId).map(([runId]) => runId),
    flush: () => writing,
  };
}
