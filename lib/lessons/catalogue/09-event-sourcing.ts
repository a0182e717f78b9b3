// Lesson 9: event sourcing on a Kafka log: a projection folds the events into state, a replay from
// offset 0 rebuilds the same state, and a new consumer group reads the whole history.
import type { Lesson } from "../schema";
import { accountEvents, accountReplay } from "../scenarios/kafka";

const view = "patterns.projections.inventory-view/stock-levels";

export const eventSourcing: Lesson = {
  id: "event-sourcing",
  number: 9,
  kind: "lesson",
  title: "Event sourcing: the log is the truth",
  summary: "Store what happened, not what is: stock movements appended to a Kafka log, a projection that folds them into stock levels, a replay from offset 0 that rebuilds them, and a new reader that catches up on the whole history.",
  brokers: ["kafka"],
  minutes: 20,
  intro:
    "A usual database keeps the current state and overwrites it. **Event sourcing** keeps every change as an immutable event, in order (`stock-added 5`, `stock-reserved 2`), and derives the state by folding the events: a **projection**. You get a full audit trail, and any view of the data can be rebuilt, or a new one built, by replaying the history. Kafka fits in part: a topic is an ordered log, and a reader can start again at offset 0. But it keeps records only as long as its retention says (7 days by default, for a topic with `cleanupPolicy: delete`), so the log here sets its retention explicitly; and it is not a complete event store, as the first step explains.",
  steps: [
    {
      id: "append-and-fold",
      title: "Append events, fold them into state",
      body: `The warehouse appends 600 stock movements to the topic \`inventory-events\`, keyed by sku so that the events of one product stay in one partition, in order. The projection \`stock-levels\` in inventory-view reads the log from the start and folds each event into the state of its sku: \`onHand\`, \`reserved\`, \`events\`.

Look at the topic's settings in the scenario: \`cleanupPolicy: delete\` alone would **not** keep every event. Kafka deletes records older than the topic's retention, 7 days unless set, and a replay after that rebuilds a wrong state. So the topic says \`retention: 31536000000\` (a year, Brokerlab's limit); a production event log sets \`retention.ms = -1\`, forever.

Kafka also lacks two things an event store usually gives: reading the events of **one** entity (here you could only scan the partition that holds its sku) and **optimistic concurrency** (append "only if this sku is still at version 7", so two writers cannot both act on the same old state). Systems that need them keep the events in an event store or a database table and use Kafka to carry them to other services.

Press **Start**. The check wants every event applied, a state for each of the five skus, and the projection caught up with the end of the log.`,
      scenario: { example: "event-sourcing" },
      check: {
        id: "log-folded",
        kind: "all",
        label: "The projection has folded the whole log",
        checks: [
          { kind: "runMetric", label: "The warehouse appended 600 events", path: "producers.warehouse/stock-movements.confirmed", op: ">=", value: 600 },
          { kind: "runMetric", label: "stock-levels applied all 600", path: `${view}.applied`, op: ">=", value: 600 },
          { kind: "runMetric", label: "…into a state for each of the 5 skus", path: `${view}.keys`, op: "==", value: 5 },
              { kind: "runStatus", label: "The run has finished: the projection caught up", is: ["finished"] },
          { kind: "scenario", label: "The log sets its retention explicitly (at least 30 days)", path: "resources.kafka.topics[inventory-events].retention", op: ">=", value: 30 * 24 * 3_600_000 },
        ],
      },
      hints: ["Press Start; the run takes about 8 seconds."],
      quiz: [
        {
          id: "what-is-stored",
          prompt: "In an event-sourced system, what is the source of truth?",
          options: [
            { text: "The current state of each entity, updated in place" },
            { text: "The ordered sequence of events that changed it", correct: true },
            { text: "The latest snapshot of the read model" },
            { text: "The consumer group offsets" },
          ],
          explanation: "The events are the truth; current state is derived by replaying them. Snapshots and read models are caches that can always be rebuilt from the log.",
        },
        {
          id: "kafka-as-event-store",
          prompt: "What does a Kafka topic not give you as an event store, however it is configured?",
          options: [
            { text: "Events kept in order within a partition" },
            { text: "Reading one entity's events directly, and appending only if the entity is still at the version you read", correct: true },
            { text: "Replaying the log from offset 0" },
            { text: "Keeping events for longer than 7 days" },
          ],
          explanation: "Order per partition and replay from 0 are Kafka's strengths, and retention can be set to forever (retention.ms = -1). But a topic has no index by entity (loading order 42 means scanning its partition) and no conditional append, so it cannot refuse a write made from stale state: no optimistic concurrency. Event stores and database tables of events offer both.",
        },
      ],
    },
    {
      id: "replay",
      title: "Replay from offset 0",
      body: `This run lasts a minute. Press **Start**, wait until the projection has caught up, then press **Replay from 0** next to stock-levels in the run panel.

The projection wipes its state, seeks every partition back to offset 0 and folds the whole log again, up to where it ended when the replay began. The events are the same and so is their order per sku, so the state comes out the same. That is how a read model is rebuilt after a bug fix, or a new one built from old events.`,
      run: { durationSeconds: 60 },
      check: {
        id: "replayed",
        kind: "all",
        label: "The projection was rebuilt from the log",
        checks: [
          { kind: "runMetric", label: "Events were applied again by a replay", path: `${view}.replayed`, op: ">=", value: 600 },
          { kind: "runMetric", label: "The replay reached the end of the log", path: `${view}.replay.done`, op: "==", value: 1 },
          { kind: "runMetric", label: "The state still has all 5 skus", path: `${view}.keys`, op: "==", value: 5 },
        ],
      },
      hints: [
        "The Replay button appears in the run panel's Projections list while the run is on.",
        "Let the first pass finish before replaying: the replay reads up to where the log ended when it began.",
      ],
      quiz: [
        {
          id: "replay-needs",
          prompt: "What does rebuilding a projection by replay require?",
          options: [
            { text: "That the events are still retained, and that the reader starts again from the earliest offset", correct: true },
            { text: "That the producer sends every event again" },
            { text: "That all other consumers are stopped" },
            { text: "A distributed transaction across the views" },
          ],
          explanation: "The log must still hold the events (retention long enough: a delete-policy topic drops what is older than retention.ms, 7 days by default; compaction would keep only the newest per key), and the reader must go back to the start. Producers and other readers are not involved: each keeps its own position.",
        },
      ],
    },
    {
      id: "new-reader",
      title: "A new reader catches up on the history",
      body: `Months later another team needs the account history. With an event log there is nothing to migrate: a new consumer group starts at offset 0 and reads everything that was ever appended.

First run the account log (it stays up for 90 seconds). While it is **still on**, load and start the second scenario below it in this step (**Show me** does both in turn: it loads the reader; start the log first with **Start**). The reader \`audit-view\` is a new group with \`fromBeginning: true\` on the existing topic (\`existing: true\`: this run neither creates nor deletes it), and it reads all 80 events although they were written before it existed.`,
      scenario: { yaml: accountEvents },
      solution: { yaml: accountReplay },
      run: { durationSeconds: 90 },
      check: {
        id: "caught-up",
        kind: "all",
        label: "audit-view read the whole history",
        checks: [
          { kind: "runMetric", label: "audit-view read all 80 events", path: "consumers.audit-view/replay.received", op: ">=", value: 80 },
          { kind: "deliveryOrder", label: "…in the order they were appended", consumer: "audit-view/replay", event: "processed", expect: "ordered", minMessages: 80 },
          { kind: "consumerGroupLag", label: "Group audit-view has caught up", group: "audit-view", op: "==", value: 0 },
        ],
      },
      hints: [
        "Start the account log first (the scenario this step loads), then use Show me to load and start the reader while the log's run is on.",
        "If the reader fails with \"marked existing but Kafka has no such topic\", the log's run has ended and deleted the topic: start it again.",
      ],
    },
  ],
  recap: [
    "Event sourcing stores changes as an ordered log of immutable events; state is a fold over them.",
    "A replay from offset 0 rebuilds a projection: same events, same order per key, same state.",
    "Keep one entity's events in one partition (key them by the entity), or the fold sees them out of order.",
    "Any new reader can start from the beginning of a retained log: new views need no migration. Retained means retention set explicitly; Kafka deletes after 7 days by default.",
    "Kafka carries events well but is not a full event store: no per-entity reads, no optimistic concurrency on append.",
  ],
};
