// OS processes for the local stack: pid files that survive crashes, detached daemons whose
// output goes to a log file, install scripts whose progress streams through to the user.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";

export class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly log?: string,
  ) {
    super(message);
    this.name = "StepError";
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line of a process, where the OS shows it (Linux /proc); undefined elsewhere. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in a pid file when that process still runs and still looks like ours:
 * after a crash or a reboot the number may belong to an unrelated process.
 */
export function readLivePid(file: string, marker: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const cmd = commandLine(pid);
  if (cmd !== undefined && !cmd.includes(marker)) return undefined;
  return pid;
}

export function writePid(file: string, pid: number): void {
  writeFileSync(file, `${pid}\n`);
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** Polls `check` until it returns a value other than undefined, or gives up after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}

/** Sends SIGTERM, waits for the process to exit, then SIGKILL. Resolves once it is gone. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  signal(pid, "SIGTERM");
  if (await waitFor(() => (isAlive(pid) ? undefined : true), graceMs)) return;
  signal(pid, "SIGKILL");
  await waitFor(() => (isAlive(pid) ? undefined : true), 5_000);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Keeps one previous generation of a log, so a restart does not grow it forever. */
export function rotateLog(file: string, maxBytes = 20 * 1024 * 1024): void {
  if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
}

/** Starts a daemon in its own session with output appended to `log`; returns its pid. */
export function spawnDaemon(command: string, args: string[], options: { log: string; cwd: string; env?: NodeJS.ProcessEnv }): number {
  const fd = openSync(options.log, "a");
  try {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion. Each stderr line is passed to `onLine` as it arrives (progress
 * of slow installs); stdout is collected. A timeout kills the command.
 */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      if (!options.onLine) return;
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) options.onLine(line);
    });
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      if (timer) clearTimeout(timer);
      if (partial.trim() && options.onLine) options.onLine(partial);
      resolve({ code: code ?? (killedBy ? 128 : 1), stdout, stderr });
    });
  });
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return "";
  const size = statSync(file).size;
  const fd = openSync(file, "r");
  try {
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
      const read = readSync(fd, buffer, offset, length - offset, size - length + offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer
      .toString("utf8")
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .slice(-lines)
      .map((line) => (line.length > 240 ? `${line.slice(0, 240)}…` : line))
      .join("\n");
  } finally {
    closeSync(fd);
  }
}
