// Supervises one service replica: forks its OS process, relays its messages, keeps its log,
// records how it ended, and restarts, kills, pauses or resumes it on request.
import { fork, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import path from "node:path";
import type { EngineToService, ServiceLaunch, ServiceToEngine } from "../../lib/run/ipc";
import type { ReplicaState, ReplicaStatus } from "../../lib/run/model";
import { newServiceMarker, recordServiceProcess, serviceMarkerVariable } from "./leftover-processes";
import type { ServiceEntry } from "./service-bundle";

/** The TypeScript entry, run through tsx, when no built entry is given. */
const sourceEntry: ServiceEntry = { file: path.resolve(__dirname, "../service/main.ts"), execArgv: ["--import", "tsx"] };

export interface SupervisorEvents {
  message(message: ServiceToEngine): void;
  exit(status: ReplicaStatus): void;
  started?(status: ReplicaStatus): void;
}

export interface ReplicaSupervisor {
  readonly service: string;
  readonly replica: number;
  status(): ReplicaStatus;
  start(): void;
  send(message: EngineToService): boolean;
  /** Graceful stop: asks the process to finish in-flight work; SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Graceful stop, then start; the replica's connections read "restarting" meanwhile. */
  restart(graceMs?: number): Promise<void>;
  /** True while the process exists (running, starting or paused). */
  alive(): boolean;
  kill(): void;
  pause(): void;
  resume(): void;
  /** Closes the log once the replica will not run again. */
  dispose(): void;
}

/** `launch` may be a function: each start reads it anew (a restarted replica resumes its producers). */
export function createReplicaSupervisor(launchSpec: ServiceLaunch | (() => ServiceLaunch), logDir: string, events: SupervisorEvents, entry: ServiceEntry = sourceEntry): ReplicaSupervisor {
  const launchNow = typeof launchSpec === "function" ? launchSpec : () => launchSpec;
  const { service: { name: service }, replica } = launchNow();
  let child: ChildProcess | undefined;
  let state: ReplicaState = "starting";
  let exitCode: number | null | undefined;
  let restarts = -1;
  let killedOnPurpose = false;
  let stopping = false;
  let closed = true;
  let exited: Promise<void> = Promise.resolve();
  const connections: ReplicaStatus["connections"] = {};
  const log: WriteStream = createWriteStream(path.join(logDir, `${service}-${replica}.log`), { flags: "a" });

  const status = (): ReplicaStatus => ({ replica, pid: child?.pid, state, exitCode, restarts: Math.max(restarts, 0), connections: { ...connections } });
  const stamp = (line: string) => log.write(`${new Date().toISOString()} [supervisor] ${line}\n`);

  function start() {
    if (alive()) return;
    restarts += 1;
    killedOnPurpose = false;
    stopping = false;
    state = "starting";
    exitCode = undefined;
    for (const broker of Object.keys(connections)) if (connections[broker] !== "restarting") connections[broker] = "starting";
    // The marker lets the next server start find this process if this server dies without stopping it.
    const marker = newServiceMarker();
    const proc = fork(entry.file, [], {
      execArgv: entry.execArgv,
      env: { ...process.env, BROKERLAB_LAUNCH: JSON.stringify(launchNow()), NODE_OPTIONS: "", [serviceMarkerVariable]: marker },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
    });
    child = proc;
    closed = false;
    stamp(`started pid ${proc.pid} (${restarts === 0 ? "first start" : `restart ${restarts}`})`);
    if (proc.pid !== undefined) {
      const unrecorded = recordServiceProcess(logDir, { pid: proc.pid, marker, service, replica });
      if (unrecorded) stamp(unrecorded);
    }
    try {
      events.started?.(status());
    } catch (error) {
      stamp(`listener failed: ${String(error)}`);
    }
    proc.stdout?.pipe(log, { end: false });
    proc.stderr?.pipe(log, { end: false });
    proc.on("message", (message: ServiceToEngine) => {
      if (message.type === "ready" && state === "starting") state = "running";
      if (message.type === "state") connections[message.broker] = message.state;
      try {
        events.message(message);
      } catch (error) {
        stamp(`listener failed: ${String(error)}`);
      }
    });
    proc.on("error", (error) => stamp(`process error: ${error.message}`));
    exited = new Promise((resolve) => {
      // "close", not "exit": it comes after the last IPC message was read, so the engine has the
      // process's final counters before it folds them (an "exit" could overtake the last frame).
      proc.on("close", (code, signal) => {
        closed = true;
        exitCode = code;
        state = stopping ? "stopped" : killedOnPurpose || signal === "SIGKILL" ? "killed" : code === 0 ? "exited" : "crashed";
        for (const broker of Object.keys(connections)) connections[broker] = state === "crashed" ? "crashed" : "stopped";
        stamp(`exited with ${signal ? `signal ${signal}` : `code ${code}`} (${state})`);
        try {
          events.exit(status());
        } finally {
          resolve();
        }
      });
    });
  }

  /** Alive until "close": a new process starts only once the previous one's last messages are in. */
  const alive = () => !!child && !closed;

  async function stop(graceMs = 8000) {
    if (!alive()) return;
    stopping = true;
    if (state === "paused") child!.kill("SIGCONT");
    if (child!.connected) child!.send({ type: "stop" } satisfies EngineToService);
    else child!.kill("SIGTERM");
    const timer = setTimeout(() => {
      stamp(`did not stop within ${graceMs} ms; killing`);
      child?.kill("SIGKILL");
    }, graceMs);
    await exited;
    clearTimeout(timer);
  }

  return {
    service,
    replica,
    status,
    start,
    alive,
    stop,
    async restart(graceMs = 3000) {
      await stop(graceMs);
      for (const broker of Object.keys(connections)) connections[broker] = "restarting";
      state = "starting";
      start();
    },
    send(message) {
      if (!alive() || !child?.connected) return false;
      child.send(message);
      return true;
    },
    dispose() {
      if (!alive()) log.end();
    },
    kill() {
      if (!alive()) return;
      killedOnPurpose = true;
      child!.kill("SIGKILL");
    },
    pause() {
      if (!alive() || state === "paused") return;
      child!.kill("SIGSTOP");
      state = "paused";
      stamp("paused (SIGSTOP)");
    },
    resume() {
      if (!alive() || state !== "paused") return;
      child!.kill("SIGCONT");
      state = "running";
      stamp("resumed (SIGCONT)");
    },
  };
}
