// Which sites may talk to Brokerlab: a request's Host must name this server (127.0.0.1, localhost or
// [::1] on its port, the address it listens on, or BROKERLAB_ALLOWED_HOSTS), which defeats DNS
// rebinding; a browser's Origin must be one of the same, so another site's page cannot drive it.
// A request without Origin (curl, tests, the CLI) is not a browser page and passes on its Host.

export interface OriginGuardOptions {
  /** The address and port the server listens on, read when a request arrives (port 0 is resolved by then). */
  listening: () => { address: string; port: number } | undefined;
  /** BROKERLAB_ALLOWED_HOSTS: `name` (any port) or `name:port`, for a reverse proxy or a LAN name. */
  allowedHosts?: readonly string[];
}

export interface OriginGuard {
  /** Why this Host / Origin pair is refused, in words; undefined when it is allowed. */
  refusal(host: string | undefined, origin: string | undefined): string | undefined;
}

const loopbackNames = ["127.0.0.1", "localhost", "[::1]"];
const wildcardAddresses = new Set(["0.0.0.0", "::", ""]);

/** `name[:port]` → lowercase name (IPv6 in brackets) and port (the scheme's default when none); undefined when malformed. */
export function splitHost(value: string, scheme: "http:" | "https:" = "http:"): { name: string; port: string } | undefined {
  try {
    const url = new URL(`${scheme}//${value}`);
    if (url.host !== value.toLowerCase() && `${url.host}:${scheme === "https:" ? 443 : 80}` !== value.toLowerCase()) return undefined;
    return { name: url.hostname, port: url.port || (scheme === "https:" ? "443" : "80") };
  } catch {
    return undefined;
  }
}

export function createOriginGuard(options: OriginGuardOptions): OriginGuard {
  const extra = (options.allowedHosts ?? []).flatMap((entry) => {
    const parts = splitHost(entry.trim());
    return parts ? [{ ...parts, anyPort: !/:\d+$/.test(entry.trim()) }] : [];
  });

  function known({ name, port }: { name: string; port: string }): boolean {
    const listening = options.listening();
    const address = listening && !wildcardAddresses.has(listening.address) ? splitHost(listening.address.includes(":") ? `[${listening.address}]` : listening.address)?.name : undefined;
    if ([...loopbackNames, ...(address ? [address] : [])].includes(name) && port === String(listening?.port)) return true;
    return extra.some((entry) => entry.name === name && (entry.anyPort || entry.port === port));
  }

  const howToAllow = (value: string) => `; if this is your own address (a reverse proxy or a LAN name), start Brokerlab with BROKERLAB_ALLOWED_HOSTS=${value}`;

  return {
    refusal(host, origin) {
      const hostParts = host === undefined ? undefined : splitHost(host);
      if (!hostParts || !known(hostParts)) {
        const shown = (host ?? "").slice(0, 100);
        return `Brokerlab does not answer requests for the host "${shown}" (it answers only its own addresses, which keeps other web sites out)${howToAllow(shown || "<name>")}.`;
      }
      if (origin === undefined) return undefined;
      const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
      const scheme = parsed?.protocol === "http:" || parsed?.protocol === "https:" ? parsed.protocol : undefined;
      const originParts = parsed && scheme ? splitHost(parsed.host, scheme) : undefined;
      if (originParts && known(originParts)) return undefined;
      return `Brokerlab refuses requests from the page at "${origin.slice(0, 100)}": only Brokerlab's own pages may use it${howToAllow(parsed?.host || "<name>")}.`;
    },
  };
}
