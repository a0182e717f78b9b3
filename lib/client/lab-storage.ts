// The lab's own corner of localStorage: the working draft (text and hand-placed positions), the
// scenarios a user saved by name, the text behind each run this browser started, and hints seen.
import { z } from "zod";

const keys = {
  draft: "brokerlab.lab.draft.v1",
  saved: "brokerlab.lab.saved.v1",
  runs: "brokerlab.lab.runs.v1",
  hint: "brokerlab.lab.first-run-hint-seen",
} as const;

const pointSchema = z.object({ x: z.number(), y: z.number() });
const draftSchema = z.object({ text: z.string(), positions: z.record(z.string(), pointSchema).default({}) });
const savedSchema = z.array(z.object({ name: z.string(), text: z.string(), savedAt: z.number() }));
const runsSchema = z.record(z.string(), z.string());

export type Draft = z.infer<typeof draftSchema>;
export type SavedScenario = z.infer<typeof savedSchema>[number];

function read<T>(key: string, schema: z.ZodType<T>): T | undefined {
  try {
    const value = window.localStorage.getItem(key);
    if (value === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): boolean {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    // Private mode or a full quota: the lab keeps working, it just cannot remember.
    return false;
  }
}

export const labStorage = {
  readDraft: (): Draft | undefined => read(keys.draft, draftSchema),
  writeDraft: (draft: Draft) => write(keys.draft, draft),
  listSaved: (): SavedScenario[] => read(keys.saved, savedSchema) ?? [],
  save(name: string, text: string): boolean {
    const others = labStorage.listSaved().filter((s) => s.name !== name);
    return write(keys.saved, [{ name, text, savedAt: Date.now() }, ...others].slice(0, 50));
  },
  removeSaved(name: string): void {
    write(keys.saved, labStorage.listSaved().filter((s) => s.name !== name));
  },
  /** The scenario text a run was started from, so reopening its link shows the author's own YAML. */
  rememberRun(runId: string, text: string): void {
    const runs = Object.entries(read(keys.runs, runsSchema) ?? {}).slice(-19);
    write(keys.runs, Object.fromEntries([...runs, [runId, text]]));
  },
  runText: (runId: string): string | undefined => read(keys.runs, runsSchema)?.[runId],
  hintSeen: (): boolean => read(keys.hint, z.boolean()) ?? false,
  markHintSeen: () => write(keys.hint, true),
};
