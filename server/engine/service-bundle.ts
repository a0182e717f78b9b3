// How the engine starts a service process. The service code is bundled with esbuild for each run
// (≈ 0.1 s; npm packages stay external, so OpenTelemetry's instrumentations still patch amqplib
// and kafkajs as they load) and run by plain Node: no TypeScript loader in every process, which
// starts faster and costs less per message than compiling on the fly with tsx. If the build fails,
// the process runs the TypeScript entry through tsx, as before, and the run notes why.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

export interface ServiceEntry {
  file: string;
  execArgv: string[];
  /** Why the bundle is not used, when it is not. */
  fallback?: string;
}

const sourceEntry = path.resolve(__dirname, "../service/main.ts");
/** Inside the project's node_modules, so the bundle's `require`s find the same packages. */
const outDir = path.resolve(__dirname, "../../node_modules/.cache/brokerlab");
const tsxEntry: ServiceEntry = { file: sourceEntry, execArgv: ["--import", "tsx"] };

/** Builds into `service-<content hash>.cjs` (same content, same file: concurrent engines share it). */
async function build(): Promise<ServiceEntry> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [sourceEntry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    // No source map: parsing one costs every process ~0.2 s at start; stack traces still name
    // the functions, and the bundle marks each source file in comments.
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `service-${hash}.cjs`);
  if (!existsSync(file)) {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return { file, execArgv: [] };
}

/** The entry to fork for a run: built anew for each run (≈ 0.1 s), so it always matches the source. */
export function serviceEntry(): Promise<ServiceEntry> {
  return build().catch((error: unknown) => ({ ...tsxEntry, fallback: `the service bundle could not be built (${error instanceof Error ? error.message : String(error)}); running the TypeScript through tsx` }));
}
