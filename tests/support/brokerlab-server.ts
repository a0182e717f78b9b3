// Starts the real Brokerlab server (server/index.ts, a free port, without its pages: a second Next.js
// development server in one checkout is refused) as a child process, for tests of what happens to
// the processes around it; and reads /proc for the service processes of a run.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./engine";
import { waitFor } from "./wait-for";

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly base: string;
  output(): string;
}

/** Resolves once the server prints its address; `env` is added to the test's environment. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server", "index.ts")], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: "", PORT: "0", HOST: "127.0.0.1", BROKERLAB_PAGES: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the server exited with code ${code}:\n${output}`))));
  const base = await Promise.race([
    waitFor(() => /ready on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1], { timeoutMs: 60_000, intervalMs: 100, description: "the server to print its address" }),
    exited,
  ]);
  return { child, pid: child.pid!, base, output: () => output };
}

/** A live (not zombie) process's state letter, CPU time (ms) and resident memory (MB); undefined once it is gone. */
export function processUsage(pid: number): { state: string; cpuMs: number; rssMb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = fields[0]!;
    if (state === "Z" || state === "X") return undefined;
    // utime + stime in clock ticks (100 per second on Linux), rss in 4 KiB pages.
    return { state, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, rssMb: (Number(fields[21]) * 4096) / 2 ** 20 };
  } catch {
    return undefined;
  }
}

/** Pids of the live service processes of a run, found by the launch spec in their environment. */
export function serviceProcessesOfRun(runId: string): number[] {
  const needle = `"runId":"${runId}"`;
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      return environ.split("\0").some((entry) => entry.startsWith("BROKERLAB_LAUNCH=") && entry.includes(needle)) && processUsage(pid) !== undefined;
    } catch {
      return false;
    }
  });
}
