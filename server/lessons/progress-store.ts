// Learners' lesson progress in one JSON file, so it survives reloads and server restarts. Reads
// once, keeps the file's content in memory, and writes each change atomically (temp file + rename).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { emptyProgress, progressFileSchema, type LearnerProgress, type LessonProgress, type ProgressFile } from "../../lib/lessons/progress";

export interface ProgressStore {
  learner(learnerId: string): Promise<LearnerProgress>;
  /** Every learner's progress by learner id (a copy: changing it changes nothing stored). */
  learners(): Promise<Record<string, LearnerProgress>>;
  lesson(learnerId: string, lessonId: string): Promise<LessonProgress>;
  /** Applies a change to one lesson's progress and persists it; resolves with the new progress. */
  update(learnerId: string, lessonId: string, change: (current: LessonProgress) => LessonProgress): Promise<LessonProgress>;
  reset(learnerId: string, lessonId: string): Promise<LessonProgress>;
  /** Resolves when every write so far is on disk. */
  flush(): Promise<void>;
}

export interface ProgressStoreOptions {
  file: string;
  now?: () => number;
  log?: (message: string) => void;
}

// Learner and lesson ids are keys: "constructor" or "toString" must find only what was stored
// under them, never what every object inherits.
const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
function put<T>(record: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

export function createProgressStore(options: ProgressStoreOptions): ProgressStore {
  const { file } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message) => console.error(`[lessons] ${message}`));
  let data: Promise<ProgressFile> | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function load(): Promise<ProgressFile> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, learners: {} };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = progressFileSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Never lose a learner's work silently: keep the unreadable file beside the fresh one.
    const aside = `${file}.unreadable-${now()}`;
    await rename(file, aside).catch(() => {});
    log(`${file} could not be read; kept it as ${aside} and started afresh`);
    return { version: 1, learners: {} };
  }

  const read = () => (data ??= load());

  function persist(snapshot: ProgressFile): Promise<void> {
    const body = `${JSON.stringify(snapshot, null, 1)}\n`;
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, body, "utf8");
      await rename(temp, file);
    }).catch((error: unknown) => log(`could not save progress to ${file}: ${(error as Error).message}`));
    return writing;
  }

  return {
    async learner(learnerId) {
      return own((await read()).learners, learnerId)?.lessons ?? {};
    },
    async learners() {
      const all = (await read()).learners;
      return structuredClone(Object.fromEntries(Object.entries(all).map(([id, learner]) => [id, learner.lessons])));
    },
    async lesson(learnerId, lessonId) {
      const lessons = own((await read()).learners, learnerId)?.lessons;
      return (lessons && own(lessons, lessonId)) ?? emptyProgress(lessonId, now());
    },
    async update(learnerId, lessonId, change) {
      const snapshot = await read();
      const lessons = (own(snapshot.learners, learnerId) ?? put(snapshot.learners, learnerId, { lessons: {} })).lessons;
      const next = change(own(lessons, lessonId) ?? emptyProgress(lessonId, now()));
      put(lessons, lessonId, next);
      await persist(snapshot);
      return next;
    },
    async reset(learnerId, lessonId) {
      const snapshot = await read();
      const lessons = own(snapshot.learners, learnerId)?.lessons;
      if (lessons && Object.hasOwn(lessons, lessonId)) delete lessons[lessonId];
      await persist(snapshot);
      return emptyProgress(lessonId, now());
    },
    flush: () => writing,
  };
}
