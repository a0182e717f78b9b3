// Whether a configured endpoint is the local stack's own (loopback, the stack's port) or one
// elsewhere, so the home page can hint at the variable that points away from the stack.
import { isLoopbackHost } from "./probes";

function isLocal(host: string, port: string, stackPort: string): boolean {
  return isLoopbackHost(host.toLowerCase()) && port === stackPort;
}

/** A URL on this machine at the stack's port; an unreadable URL is not local. */
export function isLocalUrl(value: string, stackPort: string): boolean {
  try {
    const url = new URL(value);
    return isLocal(url.hostname, url.port, stackPort);
  } catch {
    return false;
  }
}

/** A `host:port` on this machine at the stack's port. */
export function isLocalAddress(hostPort: string, stackPort: string): boolean {
  const separator = hostPort.lastIndexOf(":");
  return isLocal(hostPort.slice(0, separator), hostPort.slice(separator + 1), stackPort);
}
