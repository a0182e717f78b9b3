// Pure rules over the active faults of a run: the conditions each link's proxy applies (several
// link faults add up), and what each service replica is told (to slow down and to mark its spans).
import type { FaultNotice, ResolvedBroker } from "../../lib/run/ipc";
import type { ActiveFault } from "../../lib/run/model";
import { brokersOf } from "../../lib/scenario/faults";
import type { Scenario } from "../../lib/scenario/schema";
import { passThrough } from "./tcp-proxy";
import type { LinkConditions } from "./tcp-proxy";

/** An active fault with the broker it resolved to (link and broker faults). */
export type ResolvedFault = ActiveFault & { broker?: string };

/** The proxy conditions of one link: the latest latency, the tightest bandwidth, any drop or cut. */
export function linkConditions(active: readonly ResolvedFault[], service: string, broker: string): LinkConditions {
  const out: LinkConditions = { ...passThrough };
  for (const fault of active) {
    const spec = fault.spec;
    if (!("service" in spec) || spec.service !== service || fault.broker !== broker) continue;
    if (spec.action === "latency") {
      out.latencyMs = spec.ms;
      out.jitterMs = spec.jitterMs ?? 0;
    } else if (spec.action === "bandwidth") out.bytesPerSecond = out.bytesPerSecond === 0 ? spec.bytesPerSecond : Math.min(out.bytesPerSecond, spec.bytesPerSecond);
    else if (spec.action === "drop") out.drop = true;
    else if (spec.action === "cut") out.cut = true;
  }
  return out;
}

const linkFaults = new Set(["latency", "bandwidth", "drop", "cut", "reset", "closeConnection"]);

/** What one replica should know: slow-downs aimed at it, faults on its links, its brokers being down. */
export function noticesFor(
  scenario: Scenario,
  brokers: Record<string, ResolvedBroker>,
  active: readonly ResolvedFault[],
  service: string,
  replica: number,
): FaultNotice[] {
  const used = brokersOf(scenario.services.find((s) => s.name === service) ?? { name: service, replicas: 1, producers: [], consumers: [] });
  const notices: FaultNotice[] = [];
  for (const fault of active) {
    const spec = fault.spec;
    const base = { id: fault.id, action: spec.action, detail: fault.detail };
    const brokerPart = (broker: string | undefined) => (broker ? { broker, brokerKind: brokers[broker]?.kind } : {});
    if (spec.action === "slow" && spec.service === service && (spec.replica === undefined || spec.replica === replica)) {
      notices.push({ ...base, slowMs: spec.ms });
    } else if (linkFaults.has(spec.action) && "service" in spec && spec.service === service) {
      if ("replica" in spec && spec.replica !== undefined && spec.replica !== replica) continue;
      notices.push({ ...base, ...brokerPart(fault.broker) });
    } else if (spec.action === "stopBroker" && used.includes(spec.broker)) {
      notices.push({ ...base, ...brokerPart(spec.broker) });
    }
  }
  return notices;
}
