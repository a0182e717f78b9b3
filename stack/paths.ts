// Where the local stack keeps things: data, logs and pid files under the git-ignored `.stack/`
// in the repository; slow downloads and builds in a per-user cache shared by every checkout.
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

import { serviceIds, type ServiceId } from "../lib/stack";

// The stack's one list of services is lib/stack.ts's (the home page reads it too).
export const SERVICE_NAMES = serviceIds;
/** Services started only when something needs them (the lesson broker, on a lesson run's first use); `down` stops them too. */
export const ON_DEMAND_SERVICE_NAMES = ["rabbitmq-lesson"] as const;
export type ServiceName = ServiceId | (typeof ON_DEMAND_SERVICE_NAMES)[number];

export const repoRoot = path.resolve(__dirname, "..");
/** BROKERLAB_STACK_DIR runs a second, private stack from the same checkout (with other ports in the URLs). */
export const stackDir = process.env.BROKERLAB_STACK_DIR ? path.resolve(process.env.BROKERLAB_STACK_DIR) : path.join(repoRoot, ".stack");
export const logsDir = path.join(stackDir, "logs");
export const pidsDir = path.join(stackDir, "pids");
export const installDir = path.join(repoRoot, "stack", "install");

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BROKERLAB_CACHE || path.join(homedir(), ".cache", "brokerlab");
}

/** The service's own folder for data and generated configuration, created on demand. */
export function serviceDir(name: ServiceName): string {
  const dir = path.join(stackDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function logFile(name: ServiceName): string {
  mkdirSync(logsDir, { recursive: true });
  return path.join(logsDir, `${name}.log`);
}

export function pidFile(name: ServiceName): string {
  mkdirSync(pidsDir, { recursive: true });
  return path.join(pidsDir, `${name}.pid`);
}

/** A path as a user should read it: relative to the repository when inside it. */
export function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
