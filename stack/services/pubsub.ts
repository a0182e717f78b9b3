// Google Cloud Pub/Sub, emulated by Google's emulator (Debian's google-cloud-cli-pubsub-emulator,
// a Java program started through `gcloud beta emulators pubsub start`), on 127.0.0.1 only.
// Optional: where the package or Java is missing the stack says how to install it and goes on.
// The gcloud wrapper starts the emulator as a java child; both run in a process group of their
// own; the pid file names java, and a stop ends the whole group, also when the wrapper has died.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { emulatorLibDir, installedEmulatorVersion, installHint, probePubsub } from "../../server/brokers/pubsub/probe";
import { emulatorHostname, emulatorPort, pubsubSettings } from "../../server/brokers/pubsub/settings";
import { isLoopbackHost } from "../../server/health/probes";
import { logFile, serviceDir } from "../paths";
import { rotateLog, run, sleep, spawnDaemon, StepError, waitFor } from "../process";
import type { LocalService, StackContext, Started } from "./service";

const dataDir = () => path.join(serviceDir("pubsub"), "data");
/** On the emulator's java command line: the pid file names that process. */
const jarMarker = "cloud-pubsub-emulator";

/** The pids of the live processes in a process group (Linux /proc; field 5 of stat is the group). */
function groupMembers(group: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return fields[0] !== "Z" && Number(fields[2]) === group ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

function signalGroup(group: number, name: NodeJS.Signals): void {
  try {
    process.kill(-group, name);
  } catch {
    // The group is gone.
  }
}

async function stopGroup(group: number): Promise<void> {
  signalGroup(group, "SIGTERM");
  if (await waitFor(() => (groupMembers(group).length === 0 ? true : undefined), 10_000)) return;
  signalGroup(group, "SIGKILL");
  await waitFor(() => (groupMembers(group).length === 0 ? true : undefined), 5_000);
}

/** The process group of a pid (field 5 of /proc/<pid>/stat); undefined once it is gone. */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined;
  }
}

const isEmulator = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(jarMarker);
  } catch {
    return false;
  }
};

async function start(ctx: StackContext): Promise<Started> {
  const settings = pubsubSettings();
  if (!installedEmulatorVersion()) throw new StepError("install", `the Pub/Sub emulator is not installed (no ${emulatorLibDir}): ${installHint}`);
  const java = await run("java", ["-version"], { timeoutMs: 20_000 }).catch(() => ({ code: 127, stdout: "", stderr: "" }));
  if (java.code !== 0) throw new StepError("install", "the Pub/Sub emulator needs Java 17 or newer and there is no java on the PATH: apt-get install openjdk-17-jre-headless");
  const log = logFile("pubsub");
  rotateLog(log);
  // Its data folder is ours; it starts empty every time, as the emulator keeps nothing across restarts anyway.
  rmSync(dataDir(), { recursive: true, force: true });
  mkdirSync(dataDir(), { recursive: true });
  const args = ["beta", "emulators", "pubsub", "start", `--host-port=${settings.emulatorHost}`, `--project=${settings.project}`, `--data-dir=${dataDir()}`, "--quiet"];
  const group = spawnDaemon("gcloud", args, { log, cwd: serviceDir("pubsub"), env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: "1" } });
  // The pid file names the java child, the emulator itself: it outlives a wrapper that dies, and its group is the wrapper's.
  const emulator = await waitFor(() => groupMembers(group).find((pid) => pid !== group && isEmulator(pid)) ?? (groupMembers(group).length === 0 ? 0 : undefined), 30_000);
  if (!emulator) return { pid: group, running: () => false };
  ctx.say(`emulator pid ${emulator} (started by gcloud, pid ${group}, in its process group)`);
  return { pid: emulator, running: () => groupMembers(group).length > 0 };
}

async function stop(_ctx: StackContext, pid: number | undefined): Promise<void> {
  const group = pid === undefined ? undefined : groupOf(pid);
  if (group) await stopGroup(group);
  await sleep(100);
}

export const pubsub: LocalService = {
  name: "pubsub",
  marker: jarMarker,
  optional: true,
  isLocal: () => isLoopbackHost(emulatorHostname(pubsubSettings().emulatorHost)),
  ports: () => [{ port: emulatorPort(pubsubSettings().emulatorHost), role: "Pub/Sub emulator (gRPC and REST)" }],
  probe: () => probePubsub(),
  endpoints: () => `${pubsubSettings().emulatorHost}  project ${pubsubSettings().project}`,
  localVersion: installedEmulatorVersion(),
  // The JVM starts in about 5 s on an idle machine; a busy one (or a first gcloud run) takes longer.
  startTimeoutMs: 60_000,
  start,
  stop,
};
