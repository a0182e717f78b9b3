// Manual offset commits for a consumer: each processed message marks its offset, and one commit
// request at a time carries the newest mark of every partition (coalesced, never out of order).
// Each request is a `commit` settle span per topic, linked to the traced messages it settles.
import type { SpanContext } from "@opentelemetry/api";
import type { Consumer } from "kafkajs";
import { markFailed } from "../messaging-spans";
import { createCommitLinks } from "./spans";

export interface OffsetCommitter {
  /** Marks `offset` as processed; the committed offset becomes offset + 1. `creation`: the message's send span, to link to. */
  mark(topic: string, partition: number, offset: string, creation?: SpanContext): void;
  /** Waits for every mark so far to be committed. */
  flush(): Promise<void>;
}

export function createOffsetCommitter(consumer: Consumer, group: string, onError: (error: unknown) => void): OffsetCommitter {
  const links = createCommitLinks();
  const pending = new Map<string, { topic: string; partition: number; offset: string }>();
  let running: Promise<void> | undefined;

  function start(): void {
    if (running || pending.size === 0) return;
    running = (async () => {
      while (pending.size > 0) {
        const batch = [...pending.values()];
        pending.clear();
        const spans = links.startSpans(group);
        await consumer.commitOffsets(batch).catch((error: unknown) => {
          for (const span of spans) markFailed(span, error instanceof Error ? error.name : "_OTHER", String(error));
          onError(error);
        });
        for (const span of spans) span.end();
      }
    })().finally(() => {
      running = undefined;
      start();
    });
  }

  return {
    mark(topic, partition, offset, creation) {
      links.add(topic, creation);
      pending.set(`${topic}\u0000${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
      start();
    },
    async flush() {
      while (running) await running;
    },
  };
}
