// A bounded log of recent messages and their delivery history (the flight recorder's data).
import { reportsCreation, type MessageEvent } from "../../lib/run/ipc";

export interface LoggedMessage {
  id: string;
  traceId?: string;
  firstAt: number;
  events: MessageEvent[];
}

export function createMessageLog(capacity = 2000, eventsPerMessage = 50) {
  // A Map keeps insertion order, so the oldest message is the first key.
  const messages = new Map<string, LoggedMessage>();
  // Messages whose trace id came from their producer's events (reportsCreation): a consumer's trace
  // stands in until then.
  const tracedAtCreation = new WeakSet<LoggedMessage>();
  return {
    add(events: readonly MessageEvent[]) {
      for (const event of events) {
        let entry = messages.get(event.id);
        if (!entry) {
          entry = { id: event.id, firstAt: event.at, events: [] };
          messages.set(event.id, entry);
          if (messages.size > capacity) messages.delete(messages.keys().next().value as string);
        }
        if (event.traceId && !tracedAtCreation.has(entry)) {
          if (reportsCreation(event.kind)) {
            entry.traceId = event.traceId;
            tracedAtCreation.add(entry);
          } else entry.traceId ??= event.traceId;
        }
        if (entry.events.length < eventsPerMessage) entry.events.push(event);
      }
    },
    get(id: string): LoggedMessage | undefined {
      const entry = messages.get(id);
      return entry && { ...entry, events: [...entry.events].sort((a, b) => a.at - b.at) };
    },
    recent(limit = 100): LoggedMessage[] {
      return [...messages.values()].slice(-limit).reverse();
    },
    traceIds(limit: number): string[] {
      const out: string[] = [];
      for (const entry of messages.values()) {
        if (entry.traceId && !out.includes(entry.traceId)) out.push(entry.traceId);
        if (out.length >= limit) break;
      }
      return out;
    },
    size: () => messages.size,
  };
}

export type MessageLog = ReturnType<typeof createMessageLog>;
