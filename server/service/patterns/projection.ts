// A projection: folds an event log (a Kafka topic, read from its oldest record) into current
// state per key, in memory. A replay wipes the state and reads the log again from offset 0, a
// chosen offset or a time, up to where the log ended when the replay began (its progress).
import { trace } from "@opentelemetry/api";
import type { ProjectionState, ProjectionStatus, ReplayFrom, ReplayStatus } from "../../../lib/run/patterns";
import { applyEvent } from "../../../lib/scenario/fold";
import { projectionGroup } from "../../../lib/scenario/patterns";
import type { Projection } from "../../../lib/scenario/patterns";
import { within } from "../../brokers/backoff";
import type { Delivery } from "../../brokers/messaging";
import type { Watermark } from "../../brokers/kafka/replay-reader";
import { eventLogOf } from "../client-drivers";
import { readHeaders } from "../headers";
import { decodeBody } from "../templates";
import { sleep, workMs } from "../work";
import type { PartContext, PatternPart } from "./part";

const maxKeysPerFrame = 500;

export interface ProjectionPart extends PatternPart {
  replay(from: ReplayFrom): Promise<void>;
}

export async function startProjection(part: PartContext, projection: Projection): Promise<ProjectionPart> {
  const { launch, clients, metrics, recorder } = part;
  const topic = projection.from.topic;
  let state: ProjectionState = {};
  let generation = 0;
  let version = 0;
  let applied = 0;
  let skipped = 0;
  let replayed = 0;
  let busy = 0;
  let replay: ReplayStatus | undefined;
  let watermarks: Watermark[] = [];
  let sentVersion = -1;
  let sentAt = 0;
  /** Per partition: the next offset to apply, and the highest offset ever applied (a lower one is a replay). */
  const position = new Map<number, number>();
  const highest = new Map<number, number>();

  function progress(): void {
    if (!replay || replay.done) return;
    let total = 0;
    let covered = 0;
    for (const p of replay.partitions) {
      p.position = Math.min(p.end, Math.max(p.start, position.get(p.partition) ?? p.start));
      total += p.end - p.start;
      covered += p.position - p.start;
    }
    replay.progress = total === 0 ? 1 : covered / total;
    if (replay.partitions.every((p) => p.position >= p.end)) {
      replay.done = true;
      replay.progress = 1;
      replay.finishedAt = Date.now();
    }
    version += 1;
  }

  async function apply(delivery: Delivery): Promise<void> {
    const partition = delivery.partition ?? 0;
    const offset = Number(delivery.offset ?? 0);
    const mine = generation;
    busy += 1;
    try {
      await sleep(workMs(projection.work) + part.extraWorkMs());
      // A replay began while this record was in hand: it belongs to the wiped state.
      if (mine !== generation) return;
      const again = offset <= (highest.get(partition) ?? -1);
      const outcome = applyEvent(state, decodeBody(delivery.body), projection);
      const span = trace.getSpan(delivery.context);
      span?.setAttributes({ "brokerlab.projection": `${launch.service.name}/${projection.name}`, "brokerlab.replay": again, ...(outcome.applied ? { "brokerlab.projection.key": outcome.key } : {}) });
      if (outcome.applied) applied += 1;
      else {
        skipped += 1;
        span?.addEvent("brokerlab.projection.skipped", { "brokerlab.reason": outcome.reason });
      }
      if (again) {
        replayed += 1;
      } else {
        highest.set(partition, offset);
        const info = readHeaders(delivery.headers);
        // Keyed per process: a restarted projection rebuilds from offset 0 by design, which the
        // ledger must not count as duplicate deliveries.
        if (info.id && info.runId === launch.runId) metrics.consumed(`${projection.name}@${process.pid}`, info.id);
      }
      if (replay && !replay.done) replay.applied += 1;
      position.set(partition, offset + 1);
      version += 1;
      progress();
    } finally {
      busy -= 1;
    }
  }

  const reader = await eventLogOf(launch, projection.broker, `projection "${projection.name}"`).read(clients, projection.broker, {
    // Its own group per process: nothing is committed, and a restarted projection need not wait for
    // Kafka to notice that its killed predecessor left the group before it gets the partitions.
    groupId: `${projectionGroup(launch.service.name, projection)}-${launch.runId}-${process.pid}`,
    topic,
    handler: apply,
    linkSpans: launch.propagation === "link" && launch.tracing.enabled,
    onState: (status, detail) => clients.report(projection.broker, `projection:${projection.name}`, status, detail),
    onError: part.error,
  });

  async function refreshWatermarks(): Promise<void> {
    try {
      watermarks = await reader.watermarks();
      version += 1;
    } catch (error) {
      part.error(error as Parameters<PartContext["error"]>[0]);
    }
  }
  await refreshWatermarks();

  function status(): ProjectionStatus {
    const keys = Object.keys(state);
    const shown = keys.length <= maxKeysPerFrame ? state : Object.fromEntries(keys.slice(0, maxKeysPerFrame).map((k) => [k, state[k]!]));
    return {
      state: structuredClone(shown),
      keys: keys.length,
      applied, skipped, replayed,
      partitions: watermarks.map((w) => ({ partition: w.partition, position: position.get(w.partition) ?? w.low, low: w.low, high: w.high })),
      ...(replay ? { replay: structuredClone(replay) } : {}),
      version,
    };
  }

  // The state goes to the engine when it changed (at most every 100 ms) and at least once a second.
  const publish = setInterval(() => {
    if (version === sentVersion && Date.now() - sentAt < 1_000) return;
    sentVersion = version;
    sentAt = Date.now();
    recorder.projection(projection.name, status());
  }, 100);
  const polling = setInterval(() => void refreshWatermarks(), 1_000);
  recorder.projection(projection.name, status());

  return {
    name: projection.name,
    start() {},
    stop() {
      clearInterval(polling);
    },
    done: () => busy === 0 && !(replay && !replay.done) && watermarks.every((w) => (position.get(w.partition) ?? w.low) >= w.high),
    async settle(timeoutMs) {
      await within(refreshWatermarks(), Math.min(1_000, timeoutMs));
      await reader.stop(timeoutMs);
      clearInterval(publish);
      recorder.projection(projection.name, status());
    },
    close: async () => {},
    async replay(from) {
      // The log's extent first; then wipe and seek in one go, so no record slips in between.
      const marks = await reader.watermarks();
      const starts = "time" in from
        ? await reader.offsetsAt(from.time)
        : marks.map((w) => ({ partition: w.partition, offset: from.offset }));
      watermarks = marks;
      generation += 1;
      state = {};
      const partitions = marks.map((w) => {
        const wanted = starts.find((s) => s.partition === w.partition)?.offset ?? w.low;
        const start = Math.min(w.high, Math.max(w.low, wanted));
        position.set(w.partition, start);
        return { partition: w.partition, start, end: w.high, position: start };
      });
      replay = {
        from: "time" in from ? new Date(from.time).toISOString() : `offset ${from.offset}`,
        startedAt: Date.now(), partitions, applied: 0, progress: 0, done: false,
      };
      reader.seek(partitions.map((p) => ({ partition: p.partition, offset: p.start })));
      version += 1;
      progress();
    },
  };
}
