// A RabbitMQ node from the operating system's package (Debian's rabbitmq-server), run as the
// current user with every file under .stack/<service> and every listener, Erlang's included, on
// 127.0.0.1. The stack runs two: the shared broker (rabbitmq) and the lesson broker
// (rabbitmq-lesson), each with its own node name, ports, data, log and pid file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import type { ServiceName } from "../paths";
import { ensureDebianPackages } from "../install";
import { logFile, pidFile, serviceDir, stackDir } from "../paths";
import { readLivePid, run, spawnDaemon, StepError, terminate } from "../process";
import { isLoopbackHost, probeRabbitmq, withoutCredentials } from "../../server/health/probes";
import type { LocalService, StackContext, Started } from "./service";
import { ensureTlsFiles, stackTlsPort, tlsConfigLines, type TlsFiles } from "./rabbitmq-tls";

/** Which node: its service name, its Erlang node name, and its two URLs as the configuration names them. */
export interface RabbitNodeSpec {
  name: ServiceName;
  /** The node name for an AMQP port: two nodes (or two stacks) never share one. */
  nodeName(amqpPort: number): string;
  url(config: Config): string;
  managementUrl(config: Config): string;
  /** What \`status\` says after the endpoints, e.g. "(on demand)". */
  note?: string;
  /** Also listen for AMQP over TLS, on the port below the plain one, with a certificate from the stack's own CA (rabbitmq-tls.ts). */
  tls?: boolean;
}

const LOOPBACK_DIST = "-kernel inet_dist_use_interface {127,0,0,1}";
// The scripts in /usr/lib/rabbitmq/bin run as the caller; Debian's /usr/sbin ones switch to the rabbitmq user.
const SCRIPT_DIRS = ["/usr/lib/rabbitmq/bin", "/usr/local/opt/rabbitmq/sbin", "/opt/homebrew/opt/rabbitmq/sbin"];

function amqpPort(amqpUrl: string): number {
  const url = new URL(amqpUrl);
  return url.port ? Number(url.port) : url.protocol === "amqps:" ? 5671 : 5672;
}

function managementPort(managementUrl: string): number {
  const url = new URL(managementUrl);
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

function scriptDir(): string | undefined {
  return SCRIPT_DIRS.find((dir) => existsSync(path.join(dir, "rabbitmq-server")));
}

export function rabbitNode(spec: RabbitNodeSpec): LocalService {
  const { name } = spec;
  const amqp = (config: Config) => amqpPort(spec.url(config));
  const management = (config: Config) => managementPort(spec.managementUrl(config));
  // The probe reads RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL: hand it this node's.
  const asProbed = (config: Config): Config => ({ ...config, RABBITMQ_URL: spec.url(config), RABBITMQ_MANAGEMENT_URL: spec.managementUrl(config) });

  /** The environment both the server and rabbitmqctl need to find the same node. */
  function rabbitEnv(config: Config): NodeJS.ProcessEnv {
    const dir = serviceDir(name);
    const home = path.join(dir, "home");
    mkdirSync(home, { recursive: true });
    return {
      ...process.env,
      HOME: home, // the Erlang cookie lives here
      RABBITMQ_NODENAME: spec.nodeName(amqp(config)),
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(amqp(config)),
      RABBITMQ_DIST_PORT: String(amqp(config) + 20000),
      RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
      RABBITMQ_LOG_BASE: path.join(dir, "log"),
      RABBITMQ_LOGS: logFile(name),
      RABBITMQ_PID_FILE: pidFile(name),
      RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, "advanced.config"),
      RABBITMQ_CONF_ENV_FILE: path.join(dir, "rabbitmq-env.conf"),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
      ERL_EPMD_ADDRESS: "127.0.0.1",
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: LOOPBACK_DIST,
      RABBITMQ_CTL_ERL_ARGS: LOOPBACK_DIST,
    };
  }

  function writeConfig(config: Config, tls: TlsFiles | undefined): void {
    const dir = serviceDir(name);
    writeFileSync(
      path.join(dir, "rabbitmq.conf"),
      [
        "# Written by the Brokerlab stack command on every start; edits are overwritten.",
        `listeners.tcp.default = 127.0.0.1:${amqp(config)}`,
        ...(tls ? tlsConfigLines(stackTlsPort(amqp(config)), tls) : []),
        "management.tcp.ip = 127.0.0.1",
        `management.tcp.port = ${management(config)}`,
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
    writeConfig(ctx.config, spec.tls ? await ensureTlsFiles(ctx.say) : undefined);
    const env = rabbitEnv(ctx.config);
    // -detached forks the Erlang VM and returns; the VM writes its pid to RABBITMQ_PID_FILE while booting.
    spawnDaemon(path.join(dir, "rabbitmq-server"), ["-detached"], { log: logFile(name), cwd: serviceDir(name), env });
    const since = Date.now();
    return {
      running: () => readLivePid(pidFile(name), service.marker) !== undefined || Date.now() - since < 20_000,
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

  const service: LocalService = {
    name,
    // The VM's command line names the cookie's home folder, which is this checkout's own.
    marker: path.join(stackDir, name, "home"),
    isLocal: (config) => isLoopbackHost(new URL(spec.url(config)).hostname) && isLoopbackHost(new URL(spec.managementUrl(config)).hostname),
    ports: (config) => [
      { port: amqp(config), role: "AMQP" },
      { port: management(config), role: "management API" },
      { port: amqp(config) + 20000, role: "Erlang distribution" },
      ...(spec.tls ? [{ port: stackTlsPort(amqp(config)), role: "AMQP over TLS" }] : []),
    ],
    probe: (config) => probeRabbitmq(asProbed(config)),
    endpoints: (config) => `${withoutCredentials(spec.url(config))}  management ${withoutCredentials(spec.managementUrl(config))}${spec.note ? `  ${spec.note}` : ""}`,
    startTimeoutMs: 90_000,
    start,
    stop,
  };
  return service;
}
