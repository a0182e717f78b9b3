// The stack command: `up`, `status` and `down` for RabbitMQ, Kafka, Jaeger and moto (SQS, SNS,
// EventBridge), all of them or the ones named (`npm run stack:down -- rabbitmq`). Uses Docker
// where an engine answers. An optional service that fails is reported, and the others go on.
// The on-demand services (the lesson broker) start only when named; `down` and `status` include them.
import { existsSync } from "node:fs";
import { ConfigError, loadConfig, type Config } from "../server/config";
import { composeStop, composeUp, stackMode } from "./docker";
import { down, up, type Outcome } from "./lifecycle";
import { logFile, ON_DEMAND_SERVICE_NAMES, pidFile, SERVICE_NAMES, shown, type ServiceName } from "./paths";
import { readLivePid } from "./process";
import type { ProbeResult } from "../server/health/probes";
import { localServices } from "./services";
import type { LocalService, StackContext } from "./services/service";

/** Whether a service being down fails the command: an optional one only when named on the command line. */
type Required = (service: LocalService) => boolean;
const ALL_NAMES: readonly ServiceName[] = [...SERVICE_NAMES, ...ON_DEMAND_SERVICE_NAMES];
const USAGE = `usage: npm run stack:up|stack:status|stack:down [-- ${ALL_NAMES.join("|")} ...]`;

const context = (service: LocalService, config: Config): StackContext => ({
  config,
  say: (line) => console.log(`[${service.name}] ${line}`),
});

const localPid = (service: LocalService) => readLivePid(pidFile(service.name), service.marker);
const onDemand = (service: LocalService) => (ON_DEMAND_SERVICE_NAMES as readonly string[]).includes(service.name);

function statusLine(service: LocalService, config: Config, probe: ProbeResult): string {
  const local = service.isLocal(config);
  const pid = local ? localPid(service) : undefined;
  const version = probe.version ?? (pid ? service.localVersion : undefined);
  const log = logFile(service.name);
  const where = !local ? "(configured elsewhere)" : pid || (!probe.up && existsSync(log)) ? `log ${shown(log)}` : probe.up ? "(not started by this checkout)" : "";
  const columns = [service.name.padEnd(8), (probe.up ? "up" : "down").padEnd(4), service.endpoints(config), version ? `v${version.replace(/^v/, "")}` : "", where];
  if (!probe.up && onDemand(service)) columns.push(`(not running: the first run that needs it starts it, or npm run stack:up -- ${service.name})`);
  else if (!probe.up) {
    const fix = local ? `start it: npm run stack:up -- ${service.name}` : "check that service, or the variables that point at it (docs/stack.md)";
    columns.push(`(${probe.detail ?? "no answer"}; ${fix}${service.optional ? "; optional for now" : ""})`);
  }
  return columns.filter(Boolean).join("  ");
}

async function printStatus(services: LocalService[], config: Config, required: Required): Promise<boolean> {
  const probes = await Promise.all(services.map((service) => service.probe(config)));
  services.forEach((service, i) => console.log(statusLine(service, config, probes[i])));
  return probes.every((probe, i) => probe.up || !required(services[i]));
}

function report(service: LocalService, outcome: Outcome, required: Required = () => true): boolean {
  if (outcome.ok) {
    console.log(`[${service.name}] ${outcome.message}`);
    return true;
  }
  console.error(`[${service.name}] FAILED at step "${outcome.error.step}": ${outcome.error.message}`);
  if (required(service)) return false;
  console.error(`[${service.name}] is optional for now: the other services go on without it (npm run stack:up -- ${service.name} tries again)`);
  return true;
}

async function commandUp(services: LocalService[], config: Config, required: Required): Promise<boolean> {
  const probes = await Promise.all(services.map((service) => service.probe(config)));
  const missing = services.filter((_, i) => !probes[i].up);
  if (missing.length > 0) {
    const local = missing.filter((service) => service.isLocal(config));
    if (local.length > 0 && (await stackMode()) === "docker") {
      const names = local.map((service) => service.name);
      console.log(`A Docker engine answers: docker compose up ${names.join(" ")}`);
      const code = await composeUp(names);
      if (code !== 0) console.error(`docker compose up exited with code ${code}; see: docker compose logs ${names.join(" ")}`);
    } else {
      // In parallel: Jaeger's first build takes minutes and the brokers need not wait for it.
      const outcomes = await Promise.all(missing.map((service) => up(service, context(service, config))));
      missing.forEach((service, i) => report(service, outcomes[i], required));
    }
    console.log("");
  }
  return printStatus(services, config, required);
}

/** Exit code of `down` when a service it was asked to stop runs, but this checkout's stack did not start it. */
const notStartedHere = 4;

async function commandDown(services: LocalService[], config: Config): Promise<number> {
  // Local services this checkout did not start may be Docker's.
  const external = services.filter((service) => service.isLocal(config) && !localPid(service));
  const docker = external.length > 0 && (await stackMode()) === "docker" ? external : [];
  if (docker.length > 0) {
    const code = await composeStop(docker.map((service) => service.name));
    if (code !== 0) console.error(`docker compose stop exited with code ${code}`);
  }
  // What another checkout, Docker or a person started is never stopped from here: say so instead.
  const candidates = services.filter((service) => !docker.includes(service));
  const probes = await Promise.all(candidates.map((service) => (service.isLocal(config) && !localPid(service) ? service.probe(config) : undefined)));
  const foreign = candidates.filter((_, i) => probes[i]?.up);
  for (const service of foreign) {
    console.error(`[${service.name}] not stopped: it runs, but this checkout's stack did not start it (another checkout, Docker or a manual start); stop it where it was started`);
  }
  const local = candidates.filter((service) => !foreign.includes(service));
  const outcomes = await Promise.all(local.map((service) => down(service, context(service, config))));
  const ok = local.map((service, i) => report(service, outcomes[i])).every(Boolean);
  return !ok ? 1 : foreign.length > 0 ? notStartedHere : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...names] = argv;
  const unknown = names.filter((name) => !(ALL_NAMES as readonly string[]).includes(name));
  if (!command || !["up", "status", "down"].includes(command) || unknown.length > 0) {
    console.error(unknown.length ? `unknown service: ${unknown.join(", ")}\n${USAGE}` : USAGE);
    return 2;
  }
  // Unnamed, `up` leaves the on-demand services to whoever needs them; `down` and `status` include them.
  const services = await localServices(names.length ? (names as ServiceName[]) : command === "up" ? SERVICE_NAMES : ALL_NAMES);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const required: Required = (service) => !(service.optional || onDemand(service)) || names.includes(service.name);
  const since = Date.now();
  const code =
    command === "up" ? Number(!(await commandUp(services, config, required))) : command === "down" ? await commandDown(services, config) : Number(!(await printStatus(services, config, required)));
  if (command !== "status") console.log(`stack ${command} ${code === 0 ? "done" : code === notStartedHere ? "refused" : "FAILED"} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
