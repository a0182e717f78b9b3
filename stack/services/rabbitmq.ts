// RabbitMQ from the operating system's package (Debian's rabbitmq-server), run as the current
// user with every file under .stack/rabbitmq and every listener, Erlang's included, on 127.0.0.1.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import { ensureDebianPackages } from "../install";
import { logFile, pidFile, serviceDir, stackDir } from "../paths";
import { readLivePid, run, spawnDaemon, StepError, terminate } from "../process";
import { isLoopbackHost, probeRabbitmq, withoutCredentials } from "../../server/health/probes";
import type { LocalService, StackContext, Started } from "./service";

const LOOPBACK_DIST = "-kernel inet_dist_use_interface {127,0,0,1}";
// The scripts in /usr/lib/rabbitmq/bin run as the caller; Debian's /usr/sbin ones switch to the rabbitmq user.
const SCRIPT_DIRS = ["/usr/lib/rabbitmq/bin", "/usr/local/opt/rabbitmq/sbin", "/opt/homebrew/opt/rabbitmq/sbin"];

function amqpPort(config: Config): number {
  const url = new URL(config.RABBITMQ_URL);
  return url.port ? Number(url.port) : url.protocol === "amqps:" ? 5671 : 5672;
}

function managementPort(config: Config): number {
  const url = new URL(config.RABBITMQ_MANAGEMENT_URL);
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** The Erlang node's name; one on another port gets its own, so two stacks can run side by side. */
function nodeName(config: Config): string {
  const port = amqpPort(config);
  return port === 5672 ? "brokerlab@localhost" : `brokerlab-${port}@localhost`;
}

function scriptDir(): string | undefined {
  return SCRIPT_DIRS.find((dir) => existsSync(path.join(dir, "rabbitmq-server")));
}

/** The environment both the server and rabbitmqctl need to find the same node. */
function rabbitEnv(config: Config): NodeJS.ProcessEnv {
  const dir = serviceDir("rabbitmq");
  const home = path.join(dir, "home");
  mkdirSync(home, { recursive: true });
  return {
    ...process.env,
    HOME: home, // the Erlang cookie lives here
    RABBITMQ_NODENAME: nodeName(config),
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(amqpPort(config)),
    RABBITMQ_DIST_PORT: String(amqpPort(config) + 20000),
    RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(dir, "log"),
    RABBITMQ_LOGS: logFile("rabbitmq"),
    RABBITMQ_PID_FILE: pidFile("rabbitmq"),
    RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, "advanced.config"),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, "rabbitmq-env.conf"),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
    ERL_EPMD_ADDRESS: "127.0.0.1",
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: LOOPBACK_DIST,
    RABBITMQ_CTL_ERL_ARGS: LOOPBACK_DIST,
  };
}

function writeConfig(config: Config): void {
  const dir = serviceDir("rabbitmq");
  writeFileSync(
    path.join(dir, "rabbitmq.conf"),
    [
      "# Written by the Brokerlab stack command on every start; edits are overwritten.",
      `listeners.tcp.default = 127.0.0.1:${amqpPort(config)}`,
      "management.tcp.ip = 127.0.0.1",
      `management.tcp.port = ${managementPort(config)}`,
      "log.console = false",
      "log.file.level = info",
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "enabled_plugins"), "[rabbitmq_management].\n");
}

async function start(ctx: StackContext): Promise<Started> {
  if (!scriptDir()) {
    ctx.say("rabbitmq-server is not installed; installing it");
    await ensureDebianPackages(ctx.say);
  }
  const dir = scriptDir();
  if (!dir) throw new StepError("install", "rabbitmq-server was not found (on Debian/Ubuntu: apt-get install rabbitmq-server; on macOS: brew install rabbitmq)");
  writeConfig(ctx.config);
  const env = rabbitEnv(ctx.config);
  // -detached forks the Erlang VM and returns; the VM writes its pid to RABBITMQ_PID_FILE while booting.
  spawnDaemon(path.join(dir, "rabbitmq-server"), ["-detached"], { log: logFile("rabbitmq"), cwd: serviceDir("rabbitmq"), env });
  const since = Date.now();
  return {
    running: () => readLivePid(pidFile("rabbitmq"), rabbitmq.marker) !== undefined || Date.now() - since < 20_000,
  };
}

async function stop(ctx: StackContext, pid: number | undefined): Promise<void> {
  if (pid) {
    // RabbitMQ shuts down cleanly on SIGTERM, like `rabbitmqctl stop`, without the CLI's start-up time.
    await terminate(pid, 30_000);
    return;
  }
  // No pid file: our node may still run under its name; anyone else's node refuses our cookie.
  const dir = scriptDir();
  if (dir) await run(path.join(dir, "rabbitmqctl"), ["stop"], { env: rabbitEnv(ctx.config), timeoutMs: 20_000 });
}

export const rabbitmq: LocalService = {
  name: "rabbitmq",
  // The VM's command line names the cookie's home folder, which is this checkout's own.
  marker: path.join(stackDir, "rabbitmq", "home"),
  isLocal: (config) => isLoopbackHost(new URL(config.RABBITMQ_URL).hostname) && isLoopbackHost(new URL(config.RABBITMQ_MANAGEMENT_URL).hostname),
  ports: (config) => [
    { port: amqpPort(config), role: "AMQP" },
    { port: managementPort(config), role: "management API" },
    { port: amqpPort(config) + 20000, role: "Erlang distribution" },
  ],
  probe: probeRabbitmq,
  endpoints: (config) => `${withoutCredentials(config.RABBITMQ_URL)}  management ${withoutCredentials(config.RABBITMQ_MANAGEMENT_URL)}`,
  startTimeoutMs: 90_000,
  start,
  stop,
};
