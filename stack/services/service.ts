// What the stack command needs to know about one local service: its ports, how to probe it,
// how to install and start it, and how to stop it. Lifecycle rules live in ../lifecycle.ts.
import type { Config } from "../../server/config";
import type { ServiceName } from "../paths";
import type { PortSpec } from "../ports";
import type { ProbeResult } from "../../server/health/probes";

export interface StackContext {
  config: Config;
  /** A progress line for the user, already attributed to the service. */
  say(line: string): void;
}

export interface Started {
  /** The daemon's pid when known at once; RabbitMQ writes its own pid file a moment later. */
  pid?: number;
  /** False once the daemon has visibly died, so a failed start is reported without waiting out the timeout. */
  running(): boolean;
}

export interface LocalService {
  name: ServiceName;
  /** A piece of the daemon's command line, to tell our process from an unrelated one reusing its pid. */
  marker: string;
  /** When it cannot start, the stack says so and succeeds with the others (unless it was named on the command line). */
  optional?: boolean;
  /** False when the configuration points at a broker elsewhere: then the stack only probes it. */
  isLocal(config: Config): boolean;
  ports(config: Config): PortSpec[];
  probe(config: Config): Promise<ProbeResult>;
  /** The endpoints shown by `status`, e.g. "amqp://127.0.0.1:5672  management http://127.0.0.1:15672". */
  endpoints(config: Config): string;
  /** The version of what the stack runs locally, when the probe cannot tell. */
  localVersion?: string;
  startTimeoutMs: number;
  /** Installs what is missing (streaming progress through `say`), writes configuration, starts the daemon. */
  start(ctx: StackContext): Promise<Started>;
  /** Stops the daemon gracefully, then forcefully; `pid` is undefined when no pid file names it. */
  stop(ctx: StackContext, pid: number | undefined): Promise<void>;
}
