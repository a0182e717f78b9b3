// The Docker path: where a Docker engine answers, the stack is docker-compose.yml's services.
// BROKERLAB_STACK=local or =docker overrides the detection.
import { spawn } from "node:child_process";
import path from "node:path";
import type { ServiceName } from "./paths";
import { repoRoot } from "./paths";
import { run } from "./process";

export type StackMode = "docker" | "local";

let detected: Promise<StackMode> | undefined;

/**
 * "docker" when `docker info` succeeds within a few seconds (an engine answers, not just a
 * client) and the compose plugin is there; "local" otherwise.
 */
export function stackMode(env: NodeJS.ProcessEnv = process.env): Promise<StackMode> {
  const forced = env.BROKERLAB_STACK;
  if (forced === "local" || forced === "docker") return Promise.resolve(forced);
  const succeeds = (args: string[]) =>
    run("docker", args, { timeoutMs: 5_000 }).then(
      (result) => result.code === 0,
      () => false,
    );
  detected ??= (async (): Promise<StackMode> => {
    const [engine, compose] = await Promise.all([succeeds(["info", "--format", "{{.ServerVersion}}"]), succeeds(["compose", "version"])]);
    return engine && compose ? "docker" : "local";
  })();
  return detected;
}

/** Runs `docker compose -f docker-compose.yml <args>` with its output shown to the user. */
export function compose(args: string[]): Promise<number> {
  const file = path.join(repoRoot, "docker-compose.yml");
  return new Promise((resolve) => {
    const child = spawn("docker", ["compose", "-f", file, ...args], { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

export const composeUp = (services: ServiceName[]) => compose(["up", "-d", "--wait", ...services]);
export const composeStop = (services: ServiceName[]) => compose(["stop", ...services]);
