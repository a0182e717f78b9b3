// Child processes for the benchmark: bench scripts run as `node --import tsx` (so the pid is the
// process doing the work), Java tools directly; stdout is read line by line.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export const benchDir = path.resolve(__dirname, "..");
export const repoRoot = path.resolve(benchDir, "..");

export interface Started {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line that matches. */
  waitForLine(match: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves when the process exits (with its code). */
  exited: Promise<number | null>;
  stderr(): string;
}

export function start(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Started {
  const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiting: { match: RegExp; resolve: (line: string) => void }[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const waiter of [...waiting]) {
      if (waiter.match.test(line)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    waitForLine(match, timeoutMs) {
      const found = lines.find((line) => match.test(line));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${path.basename(command)} ${args.slice(-1)[0] ?? ""}: no line matching ${match} within ${timeoutMs} ms; stderr: ${stderr.slice(-600)}`)), timeoutMs);
        const exit = () => reject(new Error(`${path.basename(command)} exited before printing ${match}; stderr: ${stderr.slice(-600)}`));
        child.once("exit", exit);
        waiting.push({ match, resolve: (line) => { clearTimeout(timer); child.off("exit", exit); resolve(line); } });
      });
    },
  };
}

/** A TypeScript bench script in its own Node process, its spec as JSON in BENCH_SPEC. */
export function startScript(script: string, spec: object): Started {
  return start(process.execPath, ["--import", "tsx", path.join(benchDir, script)], { env: { BENCH_SPEC: JSON.stringify(spec), NODE_OPTIONS: "" } });
}

/** Waits for exit at most `ms`, then SIGKILLs. */
export async function exitWithin(started: Started, ms: number): Promise<number | null> {
  const timer = setTimeout(() => started.child.kill("SIGKILL"), ms);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}
