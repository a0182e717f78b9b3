// The run's exact ledger: which message ids the broker confirmed, which were consumed, by whom,
// and how often. Never sampled: lost and duplicated are computed from the full id sets.
import type { Ledger } from "../../lib/run/model";

export function createLedger() {
  const confirmed = new Set<string>();
  /** id → (consumer key → successful processings). */
  const consumed = new Map<string, Map<string, number>>();
  let duplicated = 0;

  return {
    confirm(ids: readonly string[]) {
      for (const id of ids) confirmed.add(id);
    },
    consume(consumerKey: string, ids: readonly string[]) {
      for (const id of ids) {
        let byConsumer = consumed.get(id);
        if (!byConsumer) consumed.set(id, (byConsumer = new Map()));
        const seen = byConsumer.get(consumerKey) ?? 0;
        if (seen > 0) duplicated += 1;
        byConsumer.set(consumerKey, seen + 1);
      }
    },
    isConsumed(id: string) {
      return consumed.has(id);
    },
    /** Confirmed ids nobody consumed, up to `limit`, for reports and lessons. */
    missing(limit = 20): string[] {
      const out: string[] = [];
      for (const id of confirmed) {
        if (!consumed.has(id)) out.push(id);
        if (out.length >= limit) break;
      }
      return out;
    },
    summary(): Ledger {
      let lost = 0;
      for (const id of confirmed) if (!consumed.has(id)) lost += 1;
      let recovered = 0;
      for (const id of consumed.keys()) if (!confirmed.has(id)) recovered += 1;
      return { confirmed: confirmed.size, consumed: consumed.size, lost, duplicated, recovered };
    },
  };
}

export type RunLedger = ReturnType<typeof createLedger>;
