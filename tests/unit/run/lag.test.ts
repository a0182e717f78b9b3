// Consumer lag in time: the time to drain, the rates read from successive broker readings, the age
// of the oldest unconsumed record per partition and group, and the words the lab and CLI show.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ageSeconds, createLagRates, formatSeconds, lagTimeWords, timeToDrain } from "../../../lib/run/lag";
import type { GroupLag } from "../../../lib/run/model";
import { withLagSeconds } from "../../../server/brokers/kafka/driver-admin";
import type { KafkaAdmin } from "../../../server/brokers/types";

/** One group on a topic whose partitions stand at these high offsets with these lags. */
const reading = (partitions: [high: number, lag: number][], group = "g"): GroupLag => ({
  broker: "kafka", group, topic: "orders",
  partitions: partitions.map(([high, lag], partition) => ({ partition, committed: high - lag, high, lag })),
  total: partitions.reduce((sum, [, lag]) => sum + lag, 0),
});

describe("time to drain", () => {
  it("is the lag over the net consume rate when the group consumes faster than messages arrive", () => {
    assert.equal(timeToDrain(600, 50, 20), 20);
    assert.equal(timeToDrain(1, 1000, 0), 0.001);
  });

  it("is 0 without lag, whatever the rates", () => {
    assert.equal(timeToDrain(0, 0, 100), 0);
  });

  it("is null (not draining) when the group consumes no faster than messages arrive, or not at all", () => {
    assert.equal(timeToDrain(600, 20, 20), null);
    assert.equal(timeToDrain(600, 10, 40), null);
    assert.equal(timeToDrain(5, 0, 0), null);
  });
});

describe("lag rates from successive readings", () => {
  it("has no rates on a group's first reading", () => {
    const rates = createLagRates(5_000);
    const [first] = rates([reading([[100, 40]])], 1_000);
    assert.equal(first!.consumeRate, undefined);
    assert.equal(first!.drainSeconds, undefined);
  });

  it("reads the produce rate from the end offsets and the consume rate from the group's position", () => {
    const rates = createLagRates(5_000);
    rates([reading([[100, 40], [100, 40]])], 0);
    // 2 s later: the topic grew by 40 (200 → 240), the group's position by 100 (120 → 220): lag 20.
    const [now] = rates([reading([[120, 10], [120, 10]])], 2_000);
    assert.equal(now!.produceRate, 20);
    assert.equal(now!.consumeRate, 50);
    // 20 messages left, 30/s net: 0.67 s, in tenths.
    assert.equal(now!.drainSeconds, 0.7);
  });

  it("says not draining while the lag grows", () => {
    const rates = createLagRates(5_000);
    rates([reading([[100, 10]])], 0);
    const [now] = rates([reading([[200, 60]])], 1_000);
    assert.equal(now!.produceRate, 100);
    assert.equal(now!.consumeRate, 50);
    assert.equal(now!.drainSeconds, null);
  });

  it("measures over the last window, not since the start of the run", () => {
    const rates = createLagRates(2_000);
    rates([reading([[0, 0]])], 0);
    rates([reading([[1000, 0]])], 1_000); // a burst in the first second
    rates([reading([[1000, 0]])], 3_000);
    const [now] = rates([reading([[1010, 0]])], 4_000);
    // The window keeps the reading at 1 s (the newest at least 2 s old): 10 messages in 3 s.
    assert.equal(now!.produceRate, 3.3);
  });

  it("starts again when a topic's end goes back (the topic was created anew)", () => {
    const rates = createLagRates(5_000);
    rates([reading([[500, 0]])], 0);
    const [now] = rates([reading([[10, 5]])], 1_000);
    assert.equal(now!.produceRate, undefined);
  });

  it("keeps groups apart", () => {
    const rates = createLagRates(5_000);
    rates([reading([[100, 0]], "a"), reading([[100, 100]], "b")], 0);
    const [a, b] = rates([reading([[110, 0]], "a"), reading([[110, 110]], "b")], 1_000);
    assert.equal(a!.consumeRate, 10);
    assert.equal(b!.consumeRate, 0);
    assert.equal(b!.drainSeconds, null);
  });
});

describe("lag in seconds", () => {
  it("is the age of the record at the group's position, never negative", () => {
    assert.equal(ageSeconds(10_000, 13_250), 3.3);
    assert.equal(ageSeconds(10_000, 9_000), 0);
  });

  const fakeAdmin = (timestamps: Record<string, number>, asked: unknown[] = []) => ({
    recordTimestamps: async (positions: { topic: string; partition: number; offset: number }[]) => {
      asked.push(...positions);
      return new Map(positions.flatMap((p) => { const t = timestamps[`${p.topic}/${p.partition}`]; return t === undefined ? [] : [[`${p.topic}\u0000${p.partition}`, t] as const]; }));
    },
  }) as unknown as KafkaAdmin;

  it("asks only for lagging partitions, at their first unconsumed offset, and takes the oldest for the group", async () => {
    const asked: unknown[] = [];
    const [group] = await withLagSeconds(fakeAdmin({ "orders/0": 7_000, "orders/2": 9_000 }, asked), [reading([[50, 20], [40, 0], [30, 30]])], 10_000);
    assert.deepEqual(asked, [{ topic: "orders", partition: 0, offset: 30 }, { topic: "orders", partition: 2, offset: 0 }]);
    assert.deepEqual(group!.partitions.map((p) => p.seconds), [3, 0, 1]);
    assert.equal(group!.seconds, 3);
  });

  it("leaves the group's age out while a lagging partition's is unknown, and 0 without lag", async () => {
    const [unknown, none] = await withLagSeconds(fakeAdmin({ "orders/0": 7_000 }), [reading([[50, 20], [30, 30]]), reading([[5, 0]], "h")], 10_000);
    assert.equal(unknown!.seconds, undefined);
    assert.equal(unknown!.partitions[1]!.seconds, undefined);
    assert.equal(none!.seconds, 0);
  });

  it("keeps the lag in messages when the timestamps cannot be read", async () => {
    const failing = { recordTimestamps: async () => { throw new Error("down"); } } as unknown as KafkaAdmin;
    const groups = [reading([[50, 20]])];
    assert.deepEqual(await withLagSeconds(failing, groups, 10_000), groups);
  });
});

describe("lag words", () => {
  it("formats durations for people", () => {
    assert.deepEqual([0.44, 9.96, 12.4, 185, 7_800].map(formatSeconds), ["0.4 s", "10 s", "12 s", "3 min 5 s", "2 h 10 min"]);
  });

  it("says how old the oldest message is and when the lag is gone, or that it is not draining", () => {
    assert.equal(lagTimeWords({ total: 120, seconds: 3.2, drainSeconds: 12 }), "oldest 3.2 s old · drains in 12 s");
    assert.equal(lagTimeWords({ total: 120, seconds: 75, drainSeconds: null }), "oldest 1 min 15 s old · not draining");
    assert.equal(lagTimeWords({ total: 0, seconds: 0, drainSeconds: 0 }), "");
    assert.equal(lagTimeWords({ total: 5 }), "");
  });
});
