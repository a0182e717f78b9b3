// Kafka in KRaft mode, one node as broker and controller, from the Apache jars on Maven Central
// (stack/install/kafka.sh), with its data under .stack/kafka and its listeners on 127.0.0.1: the
// admin listener (PLAINTEXT) for Brokerlab, the controller's, and the learners' (SASL/PLAIN, with
// ACLs; kafka-learners.ts).
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import { ensureDebianPackages, onPath, runInstallScript } from "../install";
import { logFile, serviceDir, stackDir } from "../paths";
import { isAlive, rotateLog, run, spawnDaemon, StepError, terminate } from "../process";
import { isLoopbackHost, probeKafka } from "../../server/health/probes";
import type { LocalService, StackContext, Started } from "./service";
import { ensureLearnerSlots, learnerBrokerSettings, learnerListenerName, learnerPort } from "./kafka-learners";

const VERSION = process.env.KAFKA_VERSION || "4.3.1";

function brokerAddress(config: Config): { host: string; port: number } {
  const broker = config.KAFKA_BROKERS[0];
  const separator = broker.lastIndexOf(":");
  return { host: broker.slice(0, separator).replace(/^\[|\]$/g, ""), port: Number(broker.slice(separator + 1)) };
}

const files = () => {
  const dir = serviceDir("kafka");
  return {
    dir,
    data: path.join(dir, "data"),
    properties: path.join(dir, "server.properties"),
    log4j: path.join(dir, "log4j2.properties"),
  };
};

// The controller listens next to the broker: 9092 and 9093 by default.
const controllerPort = (config: Config) => brokerAddress(config).port + 1;

function writeConfig(config: Config): void {
  const { port } = brokerAddress(config);
  const controller = controllerPort(config);
  const learner = `${learnerListenerName}://127.0.0.1:${learnerPort(port)}`;
  const { data, properties, log4j } = files();
  // The learners' passwords are in it: readable by its owner only.
  writeFileSync(
    properties,
    [
      "# Written by the Brokerlab stack command on every start; edits are overwritten.",
      "node.id=1",
      "process.roles=broker,controller",
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller},${learner}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port},${learner}`,
      `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,${learnerListenerName}:SASL_PLAINTEXT`,
      "inter.broker.listener.name=PLAINTEXT",
      "controller.listener.names=CONTROLLER",
      `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
      `log.dirs=${data}`,
      "num.partitions=1",
      "offsets.topic.replication.factor=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "share.coordinator.state.topic.replication.factor=1",
      "share.coordinator.state.topic.min.isr=1",
      "min.insync.replicas=1",
      "group.initial.rebalance.delay.ms=0",
      // The controller fences a broker whose heartbeats stop for this long, taking every
      // partition and group coordinator with it until it is back. With one node that never
      // helps, and a machine busy enough to starve the JVM for the default 9 s made every
      // run's consumers lose their groups and commits; a minute rides that out.
      "broker.session.timeout.ms=60000",
      "auto.create.topics.enable=false",
      "delete.topic.enable=true",
      ...learnerBrokerSettings(ensureLearnerSlots()),
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  chmodSync(properties, 0o600);
  // Kafka 4 logs through log4j2; the console appender lands in the log file the daemon's output goes to.
  writeFileSync(
    log4j,
    [
      "status = warn",
      "appender.out.type = Console",
      "appender.out.name = STDOUT",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = [%d] %p %m (%c)%n",
      "rootLogger.level = INFO",
      "rootLogger.appenderRef.out.ref = STDOUT",
      "logger.statechange.name = state.change.logger",
      "logger.statechange.level = WARN",
      "logger.request.name = kafka.request.logger",
      "logger.request.level = WARN",
      "",
    ].join("\n"),
  );
}

/** A KRaft cluster id: 16 random bytes in base64url, never starting with "-" (Kafka's own rule). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

async function java(): Promise<void> {
  const result = await run("java", ["-version"], { timeoutMs: 20_000 }).catch(() => undefined);
  if (!result || result.code !== 0) throw new StepError("install", "Java 17 or newer is required to run Kafka (on Debian/Ubuntu: apt-get install openjdk-17-jre-headless)");
}

async function start(ctx: StackContext): Promise<Started> {
  const say = (line: string) => ctx.say(line.replace(/^\[kafka\] /, ""));
  if (!onPath("mvn")) await ensureDebianPackages(say);
  const libs = await runInstallScript("kafka.sh", say, 20 * 60_000);
  await java();
  writeConfig(ctx.config);
  const { dir, data, properties, log4j } = files();
  const log = logFile("kafka");
  rotateLog(log);
  const classpath = `${libs}${path.sep}*`;
  const logging = `-Dlog4j2.configurationFile=${log4j}`;
  if (!existsSync(path.join(data, "meta.properties"))) {
    mkdirSync(data, { recursive: true });
    ctx.say("formatting storage (first start)");
    const id = clusterId();
    const format = await run("java", ["-cp", classpath, logging, "kafka.tools.StorageTool", "format", "--standalone", "-t", id, "-c", properties], { cwd: dir, timeoutMs: 120_000 });
    appendFileSync(log, format.stdout + format.stderr);
    if (format.code !== 0) throw new StepError("format storage", `kafka.tools.StorageTool exited with code ${format.code}:\n${(format.stdout + format.stderr).trim()}`, log);
  }
  const pid = spawnDaemon(
    "java",
    ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true", logging, "-cp", classpath, "kafka.Kafka", properties],
    { log, cwd: dir },
  );
  return { pid, running: () => isAlive(pid) };
}

async function stop(_ctx: StackContext, pid: number | undefined): Promise<void> {
  // SIGTERM makes Kafka shut down cleanly (no log recovery on the next start).
  if (pid) await terminate(pid, 30_000);
}

export const kafka: LocalService = {
  name: "kafka",
  marker: path.join(stackDir, "kafka", "server.properties"),
  isLocal: (config) => isLoopbackHost(brokerAddress(config).host),
  ports: (config) => [
    { port: brokerAddress(config).port, role: "Kafka broker" },
    { port: controllerPort(config), role: "Kafka controller" },
    { port: learnerPort(brokerAddress(config).port), role: "Kafka learner listener (SASL)" },
  ],
  probe: probeKafka,
  endpoints: (config) => config.KAFKA_BROKERS.join(","),
  localVersion: VERSION,
  startTimeoutMs: 90_000,
  start,
  stop,
};
