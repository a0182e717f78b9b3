// Runs generated programs for real: TypeScript through tsx with the repository's node_modules,
// Python with the python3 on the PATH; collects what they print and kills what is left at the end.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GeneratedCode } from "../../lib/codegen/plan";
import { repoRoot } from "./engine";

export interface RunningProgram {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGINT (the programs stop on it), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function generatedPrograms(prefix: string): { start(code: GeneratedCode, env?: Record<string, string>): RunningProgram; cleanUp(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `brokerlab-${prefix}-`));
  const started: ChildProcess[] = [];
  return {
    start(code, env = {}) {
      const file = path.join(dir, code.fileName);
      writeFileSync(file, code.source);
      const [command, args] = code.language === "python" ? ["python3", ["-u", file]] : [process.execPath, ["--import", "tsx", file]];
      const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, NODE_PATH: path.join(repoRoot, "node_modules"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
      started.push(child);
      let text = "";
      child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (status) => resolve(status)));
      return {
        child,
        output: () => text,
        exited,
        async stop(graceMs = 5_000) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGINT");
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        },
      };
    },
    cleanUp() {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
