// One proxy group per service↔broker link of a run, started before the services so every link can
// be degraded later. RabbitMQ links rewrite the service's AMQP URL; Kafka links proxy every bootstrap
// and advertised broker address, and the service's socket factory redirects each to its proxy.
import type { ResolvedBroker } from "../../lib/run/ipc";
import { brokersOf } from "../../lib/scenario/faults";
import type { Scenario } from "../../lib/scenario/schema";
import { createTcpProxy, passThrough } from "./tcp-proxy";
import type { LinkConditions, ProxyStats, TcpProxy } from "./tcp-proxy";

export interface LinkProxies {
  /** The brokers as the service's processes should reach them: through its links' proxies. */
  brokersFor(service: string): Record<string, ResolvedBroker>;
  has(service: string, broker: string): boolean;
  setConditions(service: string, broker: string, conditions: LinkConditions): void;
  /** Resets the link's open connections; returns how many. */
  reset(service: string, broker: string): number;
  stats(service: string, broker: string): ProxyStats | undefined;
  close(): Promise<void>;
}

const linkKey = (service: string, broker: string) => `${service}\u0000${broker}`;

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

function amqpAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: parsed.port ? Number(parsed.port) : 5672 };
}

/** The URL with its host and port replaced by the proxy's; credentials, vhost and options stay. */
function throughProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/**
 * Starts the proxies. `kafkaAddresses(broker)` returns the advertised broker addresses (cluster
 * metadata); links over TLS (amqps) are not proxied, since the proxy would break host verification.
 */
export async function createLinkProxies(
  scenario: Scenario,
  brokers: Record<string, ResolvedBroker>,
  kafkaAddresses: (broker: string) => Promise<string[]>,
): Promise<LinkProxies> {
  const links = new Map<string, { proxies: TcpProxy[]; resolved: ResolvedBroker }>();
  const advertised = new Map<string, string[]>();
  try {
    for (const service of scenario.services) {
      for (const broker of brokersOf(service)) {
        const spec = brokers[broker];
        if (!spec) continue;
        if (spec.kind === "rabbitmq") {
          if (new URL(spec.url).protocol !== "amqp:") continue;
          const target = amqpAddress(spec.url);
          const proxy = await createTcpProxy({ targetHost: target.host, targetPort: target.port });
          links.set(linkKey(service.name, broker), { proxies: [proxy], resolved: { ...spec, url: throughProxy(spec.url, proxy) } });
        } else {
          if (!advertised.has(broker)) advertised.set(broker, await kafkaAddresses(broker).catch(() => []));
          const addresses = [...new Set([...spec.brokers, ...advertised.get(broker)!])];
          const proxies = await Promise.all(addresses.map((address) => createTcpProxy({ targetHost: splitAddress(address).host, targetPort: splitAddress(address).port })));
          const redirect = Object.fromEntries(addresses.map((address, i) => [address, proxies[i]!.address]));
          links.set(linkKey(service.name, broker), { proxies, resolved: { ...spec, redirect } });
        }
      }
    }
  } catch (error) {
    await Promise.all([...links.values()].flatMap((l) => l.proxies.map((p) => p.close())));
    throw error;
  }

  return {
    brokersFor(service) {
      return Object.fromEntries(Object.entries(brokers).map(([name, spec]) => [name, links.get(linkKey(service, name))?.resolved ?? spec]));
    },
    has: (service, broker) => links.has(linkKey(service, broker)),
    setConditions(service, broker, conditions) {
      for (const proxy of links.get(linkKey(service, broker))?.proxies ?? []) proxy.setConditions(conditions);
    },
    reset(service, broker) {
      return (links.get(linkKey(service, broker))?.proxies ?? []).reduce((sum, proxy) => sum + proxy.reset(), 0);
    },
    stats(service, broker) {
      const proxies = links.get(linkKey(service, broker))?.proxies;
      if (!proxies) return undefined;
      return proxies.map((p) => p.stats()).reduce((a, b) => ({ open: a.open + b.open, accepted: a.accepted + b.accepted, resets: a.resets + b.resets, bytesUp: a.bytesUp + b.bytesUp, bytesDown: a.bytesDown + b.bytesDown }));
    },
    async close() {
      // The links stay readable (stats) after their proxies close.
      await Promise.all([...links.values()].flatMap((link) => link.proxies.map((proxy) => proxy.close())));
    },
  };
}

export { passThrough };
export type { LinkConditions };
