// The run's exact ledger: which message ids the broker confirmed, which were consumed, by whom,
// and how often. Never sampled: lost and duplicated are computed from the full id sets.
// lost and recovered are kept up to date as ids arrive, so summary() (every frame) is O(1)
// however long the run: recounting every id cost ~0.25 s per frame after 600,000 ids (bench/micro/ledger.ts).
import type { Ledger } from "../../lib/run/model";

export function createLedger() {
  const confirmed = new Set<string>();
  /** id → (consumer key → successful processings). */
  const consumed = new Map<string, Map<string, number>>();
  let duplicated = 0;
  /** Confirmed ids not consumed yet. */
  let lost = 0;
  /** Consumed ids never confirmed (yet). */
  let recovered = 0;

  return {
    confirm(ids: readonly string[]) {
      for (const id of ids) {
        if (confirmed.has(id)) continue;
        confirmed.add(id);
        if (consumed.has(id)) recovered -= 1;
        else lost += 1;
      }
    },
    consume(consumerKey: string, ids: readonly string[]) {
      for (const id of ids) {
        let byConsumer = consumed.get(id);
        if (!byConsumer) {
          consumed.set(id, (byConsumer = new Map()));
          if (confirmed.has(id)) lost -= 1;
          else recovered += 1;
        }
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
      if (lost === 0) return out;
      for (const id of confirmed) {
        if (!consumed.has(id)) out.push(id);
        if (out.length >= limit) break;
      }
      return out;
    },
    summary(): Ledger {
      return { confirmed: confirmed.size, consumed: consumed.size, lost, duplicated, recovered };
    },
  };
}

export type RunLedger = ReturnType<typeof createLedger>;
