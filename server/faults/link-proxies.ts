// One proxy group per service↔broker link of a run, started before the services so every link can
// be degraded later. The broker's driver names the addresses a link needs proxied and how the
// service reaches the broker through them (a rewritten URL, a redirect of each broker address).
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { LinkPlan } from "../brokers/driver";
import { driverOf } from "../brokers/registry";
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

/**
 * Starts the proxies, one per address the broker's driver says the link needs.
 * `advertisedAddresses(broker)` returns the addresses a broker advertises (Kafka's cluster metadata).
 */
export async function createLinkProxies(
  scenario: Scenario,
  brokers: Record<string, ResolvedBroker>,
  advertisedAddresses: (broker: string) => Promise<string[]>,
): Promise<LinkProxies> {
  const links = new Map<string, { proxies: TcpProxy[]; resolved: ResolvedBroker }>();
  // One plan per broker: its advertised addresses are asked for once, whatever the number of links.
  const plans = new Map<string, Promise<LinkPlan | undefined>>();
  try {
    for (const service of scenario.services) {
      for (const broker of brokersOf(service)) {
        const spec = brokers[broker];
        if (!spec) continue;
        if (!plans.has(broker)) plans.set(broker, driverOf(spec).linkProxy(spec, () => advertisedAddresses(broker)));
        const plan = await plans.get(broker)!;
        if (!plan) continue;
        const proxies = await Promise.all(plan.targets.map((target) => createTcpProxy({ targetHost: target.host, targetPort: target.port })));
        links.set(linkKey(service.name, broker), { proxies, resolved: plan.through(proxies) });
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
