// Runs the install scripts in stack/install/: their progress (stderr) streams through to the
// user, their answer (the last stdout line: a folder or a binary) comes back to the caller.
import { existsSync } from "node:fs";
import path from "node:path";
import { installDir } from "./paths";
import { StepError, run } from "./process";

export async function runInstallScript(script: string, say: (line: string) => void, timeoutMs: number): Promise<string> {
  const file = path.join(installDir, script);
  const result = await run("bash", [file], { timeoutMs, onLine: say });
  const answer = result.stdout.trim().split("\n").pop() ?? "";
  if (result.code !== 0 || !answer) {
    const last = result.stderr.trim().split("\n").slice(-10).join("\n");
    throw new StepError(`install (stack/install/${script})`, `exited with code ${result.code}${last ? `:\n${last}` : ""}`);
  }
  return answer;
}

/** True when `command` is an executable on the PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

let debianPackages: Promise<void> | undefined;

/**
 * Installs the Debian packages the stack needs (RabbitMQ, Maven for Kafka's jars) once per
 * command, on machines with apt-get; elsewhere the caller's own error says what to install.
 */
export function ensureDebianPackages(say: (line: string) => void): Promise<void> {
  if (!existsSync("/usr/bin/apt-get")) return Promise.resolve();
  debianPackages ??= (async () => {
    const file = path.join(installDir, "debian.sh");
    const result = await run("bash", [file], { timeoutMs: 20 * 60_000, onLine: say });
    if (result.code !== 0) {
      throw new StepError("install (stack/install/debian.sh)", `exited with code ${result.code}:\n${result.stderr.trim().split("\n").slice(-10).join("\n")}`);
    }
  })();
  return debianPackages;
}
