// Stops and starts a broker of the local stack for a fault, through the stack command itself
// (`stack/cli.ts down|up <kind>`), so its rules hold: a clean stop, ports closed, a real health
// check before "up" returns. Brokers elsewhere (a remote cluster) are never touched.
import { spawn } from "node:child_process";
import path from "node:path";
import { AppError } from "../../lib/errors";
import type { ResolvedBroker } from "../../lib/run/ipc";
import { splitAddress } from "../brokers/driver";
import { stackServiceOf } from "../../lib/brokers";
import { driverOf } from "../brokers/registry";
import { isLoopbackHost } from "../health/probes";

/** `service`: the stack service to stop or start when it is not the kind's own (the lesson broker's "rabbitmq-lesson"). */
export type BrokerLifecycle = (action: "up" | "down", broker: ResolvedBroker, log: (line: string) => void, service?: string) => Promise<void>;

const repoRoot = path.resolve(__dirname, "../..");
/** `stack/cli.ts down` exits with this when the broker runs but this checkout's stack did not start it. */
const notStartedHereExit = 4;
const stackCli = path.join(repoRoot, "stack", "cli.ts");

/** True when the stack command manages this broker (it listens on this machine). */
export function isStackBroker(broker: ResolvedBroker): boolean {
  return driverOf(broker).endpoints(broker).every((endpoint) => isLoopbackHost(endpoint.form === "url" ? new URL(endpoint.value).hostname : splitAddress(endpoint.value).host));
}

/**
 * The stack command's environment for this broker: its endpoints, whatever the server's defaults
 * are. The lesson broker's service reads its own variables; the shared broker's stay as they are.
 */
function stackEnv(broker: ResolvedBroker, lessonBroker: boolean): NodeJS.ProcessEnv {
  const endpoints = lessonBroker && broker.kind === "rabbitmq" ? { BROKERLAB_LESSON_RABBITMQ_URL: broker.url, BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL: broker.managementUrl } : driverOf(broker).stackEnv(broker);
  return { ...process.env, ...endpoints, NODE_OPTIONS: "" };
}

export function createStackLifecycle(options: { timeoutMs?: number } = {}): BrokerLifecycle {
  return (action, broker, log, named) => {
    if (!isStackBroker(broker)) {
      return Promise.reject(new AppError("CONFLICT", "Only a broker of the local stack (on 127.0.0.1) can be stopped and started; this one runs elsewhere."));
    }
    return new Promise<void>((resolve, reject) => {
      const service = named ?? stackServiceOf(broker.kind);
      const child = spawn(process.execPath, ["--import", "tsx", stackCli, action, service], { cwd: repoRoot, env: stackEnv(broker, named === "rabbitmq-lesson"), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        for (const line of chunk.toString().split("\n")) if (line.trim()) log(line.trim());
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(new AppError("INTERNAL", `could not run the stack command: ${error.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else if (action === "down" && code === notStartedHereExit) reject(new AppError("CONFLICT", `Brokerlab cannot stop ${service}: this Brokerlab's stack did not start it (another checkout, Docker or a manual start runs it), and it stops only what it started. Stop it where it was started, or use a link fault (latency, drop, cut) instead.`));
        else reject(new AppError("BROKER_UNAVAILABLE", `npm run stack:${action} -- ${service} failed (exit ${code}): ${output.trim().split("\n").slice(-3).join(" / ")}`));
      });
    });
  };
}
