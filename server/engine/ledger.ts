// The run's exact ledger: which message ids the broker confirmed, which were consumed, by whom,
// and how often. Never sampled: pending, lost and duplicated are computed from the full id sets.
// A confirmed id nobody consumed is pending while it may still come, and lost once the engine
// knows it will not (settled: nothing left in flight, in queues or in lag) or the run has ended.
// The unconsumed and recovered counts are kept up to date as ids arrive, so summary() (every frame) is O(1)
// however long the run: recounting every id cost ~0.25 s per frame after 600,000 ids (bench/micro/ledger.ts).
// One number per consumed id (not a Map per id) keeps a long run's memory small.
import type { Ledger } from "../../lib/run/model";

/** Packs (consumer index, processings) into one number: a Map entry per id, not a Map per id. */
const keySlots = 65_536;

export function createLedger() {
  const confirmed = new Set<string>();
  const consumerIndex = new Map<string, number>();
  /** id → processings × keySlots + index of the first consumer that processed it. */
  const consumed = new Map<string, number>();
  /** Ids processed by more than one consumer (fan-out): consumer index → processings, for the others. */
  const others = new Map<string, Map<number, number>>();
  let duplicated = 0;
  /** Confirmed ids not consumed yet. */
  let unconsumed = 0;
  /** Nothing more is on its way: the unconsumed ids are lost (set by the engine's drain check). */
  let settled = false;
  let ended = false;
  /** Consumed ids never confirmed (yet). */
  let recovered = 0;

  function indexOf(consumerKey: string): number {
    let index = consumerIndex.get(consumerKey);
    if (index === undefined) {
      index = consumerIndex.size;
      if (index >= keySlots) throw new Error(`the ledger tracks at most ${keySlots} consumers`);
      consumerIndex.set(consumerKey, index);
    }
    return index;
  }

  return {
    confirm(ids: readonly string[]) {
      for (const id of ids) {
        if (confirmed.has(id)) continue;
        confirmed.add(id);
        if (consumed.has(id)) recovered -= 1;
        else unconsumed += 1;
      }
    },
    consume(consumerKey: string, ids: readonly string[]) {
      const index = indexOf(consumerKey);
      for (const id of ids) {
        const packed = consumed.get(id);
        if (packed === undefined) {
          consumed.set(id, keySlots + index);
          if (confirmed.has(id)) unconsumed -= 1;
          else recovered += 1;
        } else if (packed % keySlots === index) {
          duplicated += 1;
          consumed.set(id, packed + keySlots);
        } else {
          let counts = others.get(id);
          if (!counts) others.set(id, (counts = new Map()));
          const seen = counts.get(index) ?? 0;
          if (seen > 0) duplicated += 1;
          counts.set(index, seen + 1);
        }
      }
    },
    isConsumed(id: string) {
      return consumed.has(id);
    },
    /** Confirmed ids nobody consumed, up to `limit`, for reports and lessons. */
    missing(limit = 20): string[] {
      const out: string[] = [];
      if (unconsumed === 0) return out;
      for (const id of confirmed) {
        if (!consumed.has(id)) out.push(id);
        if (out.length >= limit) break;
      }
      return out;
    },
    /** Whether every unconsumed id is known not to be coming now (the run has settled); undone when something moves again. */
    settle(known: boolean) {
      settled = known;
    },
    /** The run has ended: whatever was not consumed is lost, and nothing is pending any more. */
    end() {
      ended = true;
    },
    summary(): Ledger {
      const known = settled || ended;
      return {
        confirmed: confirmed.size, consumed: consumed.size, lost: known ? unconsumed : 0,
        ...(ended ? {} : { pending: known ? 0 : unconsumed }), duplicated, recovered,
      };
    },
  };
}

export type RunLedger = ReturnType<typeof createLedger>;
