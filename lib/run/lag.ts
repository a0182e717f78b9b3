// Consumer lag in time as well as in messages: how old the oldest unconsumed message is, how fast
// a group consumes and its topic grows (from the broker's own offsets), and when the lag is gone at
// those rates. Plain math over a broker's lag readings; the drivers of brokers with lag use it.
import type { GroupLag } from "./model";

/** Rates are measured over this much of the latest readings: commits arrive in bursts, one reading apart is too noisy. */
export const lagRateWindowMs = 3_000;

const tenths = (value: number) => Math.round(value * 10) / 10;

/**
 * Seconds until `lag` messages are consumed when the group consumes `consumeRate` and the topic
 * receives `produceRate` messages per second: 0 with no lag, null when it is not draining (the
 * group consumes no faster than messages arrive).
 */
export function timeToDrain(lag: number, consumeRate: number, produceRate: number): number | null {
  if (lag <= 0) return 0;
  const net = consumeRate - produceRate;
  return net > 0 ? lag / net : null;
}

/** The age in seconds, at `now`, of a message written at `timestamp` (epoch ms); never negative (clocks differ). */
export const ageSeconds = (timestamp: number, now: number) => tenths(Math.max(0, (now - timestamp) / 1000));

interface Reading { at: number; end: number; consumed: number }

/**
 * Adds each group's consume and produce rates and its time to drain, from readings of the same
 * group over the last `windowMs`: the topic's end (the sum of its partitions' high offsets) grows
 * at the produce rate, the group's position (end − lag) at the consume rate. The first reading of
 * a group has no rates yet. One per run and broker: it keeps the readings between calls.
 */
export function createLagRates(windowMs = lagRateWindowMs) {
  const history = new Map<string, Reading[]>();
  return (groups: GroupLag[], at: number): GroupLag[] => {
    const seen = new Set<string>();
    const out = groups.map((group) => {
      const key = `${group.broker}\u0000${group.group}\u0000${group.topic}`;
      seen.add(key);
      const end = group.partitions.reduce((sum, p) => sum + p.high, 0);
      const reading = { at, end, consumed: end - group.total };
      const kept = (history.get(key) ?? []).filter((r) => r.at < at && r.end <= end);
      // Keep one reading older than the window, so the rate always spans at least the window once it can.
      while (kept.length > 1 && at - kept[1]!.at >= windowMs) kept.shift();
      history.set(key, [...kept, reading]);
      const oldest = kept[0];
      if (!oldest) return group;
      const seconds = (at - oldest.at) / 1000;
      const produceRate = Math.max(0, (end - oldest.end) / seconds);
      const consumeRate = Math.max(0, (reading.consumed - oldest.consumed) / seconds);
      const drain = timeToDrain(group.total, consumeRate, produceRate);
      return { ...group, consumeRate: tenths(consumeRate), produceRate: tenths(produceRate), drainSeconds: drain === null ? null : tenths(drain) };
    });
    for (const key of history.keys()) if (!seen.has(key)) history.delete(key);
    return out;
  };
}

/** "0.4 s", "12 s", "3 min 5 s", "2 h 10 min": a duration for people. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${tenths(seconds)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ""}`;
  const minutes = Math.floor((whole % 3600) / 60);
  return `${Math.floor(whole / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
}

/** A group's lag in time, as words: "oldest 3.2 s old · drains in 12 s", "… · not draining"; empty before anything is known. */
export function lagTimeWords(group: Pick<GroupLag, "total" | "seconds" | "drainSeconds">): string {
  const parts: string[] = [];
  if (group.seconds !== undefined && group.total > 0) parts.push(`oldest ${formatSeconds(group.seconds)} old`);
  if (group.drainSeconds === null) parts.push("not draining");
  else if (group.drainSeconds !== undefined && group.total > 0) parts.push(`drains in ${formatSeconds(group.drainSeconds)}`);
  return parts.join(" · ");
}
