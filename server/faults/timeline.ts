// A run's timeline: faults as they start and end, replicas that start, crash or are killed, and
// connections that drop and come back. Bounded; frames carry the most recent entries.
import type { ConnectionState } from "../../lib/run/ipc";
import type { TimelineEntry, TimelineKind } from "../../lib/run/model";

export function createTimeline(capacity = 1_000) {
  let entries: TimelineEntry[] = [];
  let dropped = 0;
  /** Last connection state per `service[replica]/broker`, so only changes are recorded. */
  const connections = new Map<string, ConnectionState>();

  const add = (kind: TimelineKind, target: string, detail: string, at = Date.now()): TimelineEntry => {
    const entry = { at, kind, target, detail };
    entries.push(entry);
    if (entries.length > capacity) {
      dropped += entries.length - capacity;
      entries = entries.slice(-capacity);
    }
    return entry;
  };

  return {
    add,
    /** Records a connection state when it differs from the last one reported for that link. */
    connection(service: string, replica: number, broker: string, state: ConnectionState, detail?: string) {
      const key = `${service}[${replica}]/${broker}`;
      if (connections.get(key) === state) return;
      connections.set(key, state);
      add("connection", `${service}[${replica}]↔${broker}`, detail ? `${state}: ${detail}` : state);
    },
    entries: (limit?: number): TimelineEntry[] => (limit === undefined ? [...entries] : entries.slice(-limit)),
    /** Entries that fell off the front because of the bound. */
    dropped: () => dropped,
  };
}

export type Timeline = ReturnType<typeof createTimeline>;
