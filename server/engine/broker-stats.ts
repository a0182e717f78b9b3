// Reads the brokers' own view of a run, each through its driver's admin (queue depth and
// consumers, consumer-group lag per partition), for frames, reports and drain checks.
import type { DriverAdmin } from "../brokers/driver";
import type { GroupLag, QueueDepth } from "../../lib/run/model";
import type { Scenario } from "../../lib/scenario/schema";

/** The run's admin client of each broker, by the broker's name in the scenario. */
export type BrokerAdmins = Map<string, DriverAdmin>;

export interface BrokerSnapshot {
  queues: QueueDepth[];
  lag: GroupLag[];
  at: number;
  errors: string[];
  /** The longest time a broker that cannot count its backlog may hold a message unseen (0: none). */
  unseenForMs?: number;
}

export async function readBrokerSnapshot(scenario: Scenario, admins: BrokerAdmins): Promise<BrokerSnapshot> {
  const readings = await Promise.all([...admins].map(([broker, admin]) => admin.snapshot(scenario, broker)));
  const queues = readings.flatMap((r) => r.queues).sort((a, b) => a.name.localeCompare(b.name));
  return { queues, lag: readings.flatMap((r) => r.lag), at: Date.now(), errors: readings.flatMap((r) => r.errors), unseenForMs: Math.max(0, ...readings.map((r) => r.unseenForMs ?? 0)) };
}
