// The rules every local service follows: `up` leaves a healthy service alone, clears a stale pid
// file, refuses a port another process holds, and waits for a real health probe; `down` stops
// the service and waits until its ports are closed. A lock file keeps two commands apart.
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { logFile, pidFile, pidsDir, shown } from "./paths";
import { firstBusyPort, portOwner, waitPortsClosed } from "./ports";
import { isAlive, readLivePid, removeFile, sleep, StepError, tail, waitFor, writePid } from "./process";
import type { ProbeResult } from "../server/health/probes";
import type { LocalService, StackContext } from "./services/service";

export type Outcome = { ok: true; message: string } | { ok: false; error: StepError };

async function withLock<T>(service: LocalService, ctx: StackContext, body: () => Promise<T>): Promise<T> {
  const lock = `${pidsDir}/${service.name}.lock`;
  pidFile(service.name); // creates the folder
  let waiting = false;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        removeFile(lock);
        continue;
      }
      if (!waiting) ctx.say(`waiting for another stack command (pid ${holder}) to finish with ${service.name}`);
      waiting = true;
      await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    removeFile(lock);
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Waits for the health probe while the daemon lives; returns the last probe result. */
async function waitHealthy(service: LocalService, ctx: StackContext, running: () => boolean): Promise<ProbeResult> {
  let last: ProbeResult = { up: false, url: "" };
  await waitFor(async () => {
    last = await service.probe(ctx.config);
    if (last.up) return true;
    if (!running()) return false;
    return undefined;
  }, service.startTimeoutMs, 500);
  return last;
}

/** A failed step, with the end of the service's log when the log can explain it. */
function failure(step: string, message: string, service: LocalService, withLog = true): Outcome {
  const log = logFile(service.name);
  const lines = withLog ? tail(log, 12) : "";
  const where = `log: ${shown(log)}`;
  return { ok: false, error: new StepError(step, `${message}\n${lines ? `last lines of ${shown(log)}:\n${lines.replace(/^/gm, "  | ")}\n` : ""}${where}`, log) };
}

export function up(service: LocalService, ctx: StackContext): Promise<Outcome> {
  const since = Date.now();
  return withLock(service, ctx, async (): Promise<Outcome> => {
    const probe = await service.probe(ctx.config);
    if (probe.up) return { ok: true, message: "already up" };
    if (!service.isLocal(ctx.config)) {
      return { ok: false, error: new StepError("probe", `is configured on another machine and does not answer: ${probe.detail ?? ""}`) };
    }
    const file = pidFile(service.name);
    const existing = readLivePid(file, service.marker);
    if (existing) {
      // Probably still starting (another command started it): give it the usual time.
      ctx.say(`pid ${existing} is running but not answering yet; waiting`);
      const result = await waitHealthy(service, ctx, () => isAlive(existing));
      if (result.up) return { ok: true, message: `up after ${seconds(since)}` };
      return failure("health check", `pid ${existing} runs but does not answer (${result.detail ?? "no detail"}); try: npm run stack:down -- ${service.name}`, service);
    }
    removeFile(file); // stale: the process it names is gone
    const busy = await firstBusyPort(service.ports(ctx.config));
    if (busy) {
      const owner = portOwner(busy.port);
      return failure(
        "port check",
        `port ${busy.port} (${busy.role}) on 127.0.0.1 is already in use by another process${owner ? `: ${owner}` : ""}; stop it, or point Brokerlab at that service with the environment variables in docs/stack.md`,
        service,
        false,
      );
    }
    ctx.say("starting");
    let started;
    try {
      started = await service.start(ctx);
    } catch (error) {
      // An install step's message already ends with the script's own output; the daemon's log is older news.
      if (error instanceof StepError) return failure(error.step, error.message, service, error.log !== undefined);
      return failure("start", (error as Error).message, service);
    }
    if (started.pid) writePid(file, started.pid);
    const result = await waitHealthy(service, ctx, started.running);
    if (result.up) return { ok: true, message: `started in ${seconds(since)}` };
    const why = started.running() ? `no healthy answer within ${service.startTimeoutMs / 1000} s (${result.detail ?? "no detail"})` : "the process exited during start-up";
    return failure("health check", why, service);
  });
}

export function down(service: LocalService, ctx: StackContext): Promise<Outcome> {
  return withLock(service, ctx, async (): Promise<Outcome> => {
    if (!service.isLocal(ctx.config)) return { ok: true, message: "configured on another machine; left alone" };
    const file = pidFile(service.name);
    const pid = readLivePid(file, service.marker);
    const ports = service.ports(ctx.config);
    const wasOpen = await firstBusyPort(ports);
    if (!pid && !wasOpen) {
      removeFile(file);
      return { ok: true, message: "already down" };
    }
    ctx.say(pid ? `stopping pid ${pid}` : "stopping");
    try {
      await service.stop(ctx, pid);
    } catch (error) {
      return failure("stop", (error as Error).message, service);
    }
    removeFile(file);
    const open = await waitPortsClosed(ports, pid ? 15_000 : 3_000);
    if (open.length === 0) return { ok: true, message: "stopped" };
    const owner = portOwner(open[0].port);
    const holder = pid ? "is still open after the stop" : `is held by a process this checkout did not start${owner ? ` (${owner})` : ""}`;
    return failure("stop", `port ${open[0].port} (${open[0].role}) ${holder}`, service, Boolean(pid));
  });
}
