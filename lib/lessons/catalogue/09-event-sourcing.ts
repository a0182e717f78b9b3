// Lesson 9: event sourcing on a Kafka log; a new read model rebuilt by replaying from offset 0.
import type { Lesson } from "../schema";
import { accountEvents, accountReplay } from "../scenarios/kafka";

export const eventSourcing: Lesson = {
  id: "event-sourcing",
  number: 9,
  kind: "lesson",
  title: "Event sourcing: the log is the truth",
  summary: "Store what happened, not what is: account events appended to a Kafka log, a projection that folds them into balances, and a second one rebuilt later by replaying the log from the start.",
  brokers: ["kafka"],
  minutes: 15,
  intro:
    "A usual database keeps the current state and overwrites it. **Event sourcing** keeps every change as an immutable event, in order (`Deposited 40`, `Withdrawn 15`), and derives the state by folding the events. You get a full audit trail, and you can build new views of the data at any time by replaying the history. Kafka fits: a topic is an ordered, retained log, and a new consumer group can start reading at offset 0.",
  steps: [
    {
      id: "append-and-fold",
      title: "Append events, fold them into a view",
      body: `account-service appends 80 events to the one-partition topic \`account-events\`; balance-view reads them in order and would fold them into balances. One partition means one total order: the order a replay must follow.

This run lasts 90 seconds so that the log is still there for the next step. Press **Start** and wait until balance-view has read all 80 events and its group has no lag; then go straight to the next step while this run is still on.`,
      scenario: { yaml: accountEvents },
      run: { durationSeconds: 90 },
      check: {
        id: "log-folded",
        kind: "all",
        label: "The view has read the whole log, in order",
        checks: [
          { kind: "runMetric", label: "80 events appended", path: "producers.account-service/events.confirmed", op: ">=", value: 80 },
          { kind: "runMetric", label: "balance-view read all 80", path: "consumers.balance-view/fold.received", op: ">=", value: 80 },
          { kind: "deliveryOrder", label: "…in the order they were appended", consumer: "balance-view/fold", event: "processed", expect: "ordered", minMessages: 80 },
          { kind: "consumerGroupLag", label: "Group balance-view has caught up", group: "balance-view", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start; the events are written in about 4 seconds, but the run stays up for 90."],
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
      ],
    },
    {
      id: "replay",
      title: "A new view, rebuilt from offset 0",
      body: `Months later a new audit view is needed. With event sourcing there is nothing to migrate: deploy it and let it replay the log.

While the first run is **still on**, start this scenario: audit-view is a new consumer group, \`fromBeginning: true\`, on the existing topic (\`existing: true\`, so this run neither creates nor deletes it). It reads all 80 events from offset 0 although they were written before it existed.`,
      scenario: { yaml: accountReplay },
      check: {
        id: "replayed",
        kind: "all",
        label: "audit-view replayed the whole history",
        checks: [
          { kind: "runMetric", label: "audit-view read all 80 events", path: "consumers.audit-view/replay.received", op: ">=", value: 80 },
          { kind: "consumerGroupLag", label: "Group audit-view has caught up", group: "audit-view", op: "==", value: 0 },
        ],
      },
      hints: [
        "The first run must still be on (it lasts 90 seconds); if it ended, go back one step and start it again.",
        "If the run fails with \"marked existing but Kafka has no such topic\", the log is gone: that is what happens when the topic is deleted.",
      ],
      quiz: [
        {
          id: "replay-needs",
          prompt: "What does replaying a Kafka topic to rebuild a view require?",
          options: [
            { text: "That the events are still retained, and that the consumer starts from the earliest offset", correct: true },
            { text: "That the producer sends every event again" },
            { text: "That all other consumer groups are stopped" },
            { text: "A distributed transaction across the views" },
          ],
          explanation: "The log must still hold the events (retention, or compaction for latest-per-key), and the new group must start at the beginning. Producers and other groups are not involved: each group has its own offsets.",
        },
      ],
    },
  ],
  recap: [
    "Event sourcing stores changes as an ordered log of immutable events; state is a fold over them.",
    "Kafka retains the log and lets each consumer group keep its own position, so a new view can replay from offset 0.",
    "Order matters for a fold: events of one entity must share a partition (one key), or use one partition.",
  ],
};
