// Who holds a local port: the stack must not start a service on a port another process owns,
// and `down` is only done when the service's ports are closed again.
import { execFileSync } from "node:child_process";
import { connect } from "node:net";
import { waitFor } from "./process";

export interface PortSpec {
  port: number;
  /** What the port is for, as a user would call it: "AMQP", "management API". */
  role: string;
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = "127.0.0.1", timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Best effort: "pid 123 (beam.smp)" for the process listening on a port, from `ss` where present. */
export function portOwner(port: number): string | undefined {
  try {
    const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8", timeout: 2_000, stdio: ["ignore", "pipe", "ignore"] });
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    return match ? `pid ${match[2]} (${match[1]})` : undefined;
  } catch {
    return undefined;
  }
}

/** The first of the given ports that something already listens on. */
export async function firstBusyPort(ports: PortSpec[]): Promise<PortSpec | undefined> {
  const busy = await Promise.all(ports.map((spec) => isListening(spec.port)));
  return ports.find((_, index) => busy[index]);
}

/** Waits until none of the ports accepts connections; returns the ones still open after the timeout. */
export async function waitPortsClosed(ports: PortSpec[], timeoutMs: number): Promise<PortSpec[]> {
  let open: PortSpec[] = ports;
  await waitFor(async () => {
    const listening = await Promise.all(open.map((spec) => isListening(spec.port, "127.0.0.1", 500)));
    open = open.filter((_, index) => listening[index]);
    return open.length === 0 ? true : undefined;
  }, timeoutMs);
  return open;
}
