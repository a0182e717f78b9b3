// Redis from Debian's redis-server package (stack/install/debian.sh), a local process on 127.0.0.1
// without persistence: no RDB snapshots, no append-only file, so a stop forgets every stream and
// group (the driver declares a run's again after a restart). Its configuration file's path is on
// its process title, which tells our redis-server from another checkout's.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import { probeRedis } from "../../server/health/redis-probe";
import { isLoopbackHost, withoutCredentials } from "../../server/health/probes";
import { ensureDebianPackages, onPath } from "../install";
import { logFile, serviceDir, stackDir } from "../paths";
import { isAlive, rotateLog, spawnDaemon, StepError, terminate } from "../process";
import type { LocalService, StackContext, Started } from "./service";

/** The port of REDIS_URL: 6379 unless the URL names another. */
export const redisPort = (config: Pick<Config, "REDIS_URL">): number => Number(new URL(config.REDIS_URL).port || 6379);

const configFile = () => path.join(serviceDir("redis"), "redis.conf");

function writeConfig(config: Config): string {
  const file = configFile();
  writeFileSync(
    file,
    `# Written by the Brokerlab stack command on every start; edits are overwritten.
bind 127.0.0.1
port ${redisPort(config)}
protected-mode yes
daemonize no
# No persistence: nothing is written to disk, a restart starts empty.
save ""
appendonly no
dir ${serviceDir("redis")}
loglevel notice
proc-title-template "{title} {listen-addr} {config-file}"
`,
  );
  return file;
}

async function start(ctx: StackContext): Promise<Started> {
  if (!onPath("redis-server")) await ensureDebianPackages(ctx.say);
  if (!onPath("redis-server")) throw new StepError("install", "redis-server is not installed: run `apt-get install redis-server` (Debian/Ubuntu) or install Redis 7 another way");
  const log = logFile("redis");
  rotateLog(log);
  const pid = spawnDaemon("redis-server", [writeConfig(ctx.config)], { log, cwd: serviceDir("redis") });
  return { pid, running: () => isAlive(pid) };
}

async function stop(_ctx: StackContext, pid: number | undefined): Promise<void> {
  if (pid) await terminate(pid, 10_000);
}

export const redis: LocalService = {
  name: "redis",
  marker: path.join(stackDir, "redis", "redis.conf"),
  isLocal: (config) => isLoopbackHost(new URL(config.REDIS_URL).hostname),
  ports: (config) => [{ port: redisPort(config), role: "Redis (Pub/Sub, Streams)" }],
  probe: probeRedis,
  endpoints: (config) => withoutCredentials(config.REDIS_URL),
  startTimeoutMs: 15_000,
  start,
  stop,
};
