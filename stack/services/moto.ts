// Amazon SQS, SNS and EventBridge, emulated by moto's server (stack/install/moto.sh puts it in a
// Python virtual environment in the per-user cache), listening on 127.0.0.1 only. Optional for
// now: when it cannot be installed the stack says so and the other services go on.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import { ensureDebianPackages, runInstallScript } from "../install";
import { cacheDir, logFile, serviceDir, stackDir } from "../paths";
import { isAlive, rotateLog, run, spawnDaemon, terminate } from "../process";
import { isLoopbackHost, withoutCredentials } from "../../server/health/probes";
import { probeMoto } from "../../server/health/moto-probe";
import type { LocalService, StackContext, Started } from "./service";

export const MOTO_VERSION = process.env.MOTO_VERSION || "5.2.5";

/** The Python of the virtual environment stack/install/moto.sh makes; it has boto3 too, as moto depends on it. */
export function motoVenvPython(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `moto-${MOTO_VERSION}`, "bin", "python");
}

/** The port of AWS_ENDPOINT_URL: 4566 (LocalStack's and moto's usual one) unless the URL names another. */
export function motoPort(config: Pick<Config, "AWS_ENDPOINT_URL">): number {
  const url = new URL(config.AWS_ENDPOINT_URL);
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

const launcher = () => path.join(serviceDir("moto"), "moto_server.py");

/**
 * moto_server through a launcher in this checkout's .stack folder: its path on the command line
 * tells our process from another checkout's moto; it quiets the line werkzeug logs for every
 * request (the health page probes every two seconds) and names moto's version in the Server header
 * (moto has no version endpoint), for the health probe.
 */
function writeLauncher(): string {
  const file = launcher();
  writeFileSync(
    file,
    `# Written by the Brokerlab stack command on every start; edits are overwritten.
import logging
import sys

import moto
from moto.moto_server.werkzeug_app import MotoRequestHandler
from moto.server import main

logging.getLogger("werkzeug").setLevel(logging.WARNING)
MotoRequestHandler.server_version = f"Moto/{moto.__version__} Werkzeug"
sys.exit(main())
`,
  );
  return file;
}

/** Whether python3 can make a virtual environment (Debian ships the venv module apart, as python3-venv). */
const canMakeVenv = () => run("python3", ["-c", "import ensurepip, venv"], { timeoutMs: 20_000 }).then((result) => result.code === 0, () => false);

async function start(ctx: StackContext): Promise<Started> {
  const say = (line: string) => ctx.say(line.replace(/^\[moto\] /, ""));
  if (!(await canMakeVenv())) await ensureDebianPackages(say);
  const binary = await runInstallScript("moto.sh", say, 10 * 60_000);
  const python = path.join(path.dirname(binary), "python");
  const log = logFile("moto");
  rotateLog(log);
  const args = [writeLauncher(), "-H", "127.0.0.1", "-p", String(motoPort(ctx.config))];
  const pid = spawnDaemon(python, args, { log, cwd: serviceDir("moto"), env: { ...process.env, PYTHONUNBUFFERED: "1" } });
  return { pid, running: () => isAlive(pid) };
}

async function stop(_ctx: StackContext, pid: number | undefined): Promise<void> {
  if (pid) await terminate(pid, 10_000);
}

export const moto: LocalService = {
  name: "moto",
  marker: path.join(stackDir, "moto", "moto_server.py"),
  optional: true,
  isLocal: (config) => isLoopbackHost(new URL(config.AWS_ENDPOINT_URL).hostname),
  ports: (config) => [{ port: motoPort(config), role: "moto server (SQS, SNS, EventBridge)" }],
  probe: probeMoto,
  endpoints: (config) => `${withoutCredentials(config.AWS_ENDPOINT_URL)}  region ${config.AWS_REGION}`,
  localVersion: MOTO_VERSION,
  startTimeoutMs: 30_000,
  start,
  stop,
};
