// A lesson service on the real stack for integration tests: the engine's runs, Jaeger, the brokers'
// dead-letter queues, and a progress file in a temporary folder that close() removes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../server/config";
import type { Engine } from "../../server/engine/engine";
import { createJaegerQueryClient } from "../../server/jaeger/query-client";
import { createDeadLetterReader } from "../../server/lessons/dead-letters";
import { createExampleSource } from "../../server/lessons/examples";
import { createProgressStore } from "../../server/lessons/progress-store";
import { createLessonService } from "../../server/lessons/service";
import { createSnapshotReader } from "../../server/lessons/snapshot";

export function testLessonService(engine: Engine, options: { intervalMs?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-lessons-"));
  const progress = createProgressStore({ file: path.join(dir, "progress.json") });
  const service = createLessonService({
    engine,
    progress,
    examples: createExampleSource(),
    readSnapshot: createSnapshotReader({ engine, jaeger: createJaegerQueryClient({ baseUrl: loadConfig().JAEGER_QUERY_URL }), readDeadLetters: createDeadLetterReader() }),
    intervalMs: options.intervalMs ?? 1000,
  });
  return {
    service,
    async close() {
      service.close();
      await progress.flush();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
