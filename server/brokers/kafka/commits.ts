// Manual offset commits for a consumer: each processed message marks its offset, and one commit
// request at a time carries the newest mark of every partition (coalesced, never out of order).
import type { Consumer } from "kafkajs";

export interface OffsetCommitter {
  /** Marks `offset` as processed; the committed offset becomes offset + 1. */
  mark(topic: string, partition: number, offset: string): void;
  /** Waits for every mark so far to be committed. */
  flush(): Promise<void>;
}

export function createOffsetCommitter(consumer: Consumer, onError: (error: unknown) => void): OffsetCommitter {
  const pending = new Map<string, { topic: string; partition: number; offset: string }>();
  let running: Promise<void> | undefined;

  function start(): void {
    if (running || pending.size === 0) return;
    running = (async () => {
      while (pending.size > 0) {
        const batch = [...pending.values()];
        pending.clear();
        await consumer.commitOffsets(batch).catch(onError);
      }
    })().finally(() => {
      running = undefined;
      start();
    });
  }

  return {
    mark(topic, partition, offset) {
      pending.set(`${topic}\u0000${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
      start();
    },
    async flush() {
      while (running) await running;
    },
  };
}
