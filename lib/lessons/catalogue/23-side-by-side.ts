// Lesson 23: RabbitMQ and Kafka in the same runs: what a late subscriber gets, what a crash
// repeats, and what a group member too many does, each read from both brokers at once.
import type { Lesson } from "../schema";
import { crashBothBrokers, lateSubscriber, membersBothBrokers, newsBothBrokers } from "../scenarios/side-by-side";

export const sideBySide: Lesson = {
  id: "side-by-side",
  number: 23,
  kind: "lesson",
  title: "RabbitMQ and Kafka side by side",
  summary: "The same messages through both brokers at once: a subscriber that arrives late, a reader that crashes mid-backlog, and one group member more than there are partitions.",
  brokers: ["rabbitmq", "kafka"],
  minutes: 25,
  intro:
    "RabbitMQ and Kafka both move messages from producers to consumers, and they are built on different ideas. RabbitMQ routes each message into queues and removes it once a consumer has acknowledged it: the broker tracks every message. Kafka appends each record to a log it keeps for its retention time, and each consumer group tracks only its position in that log. Most differences you will meet in practice follow from that one, and this lesson shows three of them with both brokers in the same run. (RabbitMQ also has streams, append-only logs much like Kafka's; this lesson uses its classic queues.)",
  steps: [
    {
      id: "both-from-the-start",
      title: "A subscriber present from the start gets everything",
      body: `newsroom publishes 100 stories twice: to the fanout exchange \`news\` on RabbitMQ and to the topic \`news\` on Kafka. first-reader subscribes to both from the start: on RabbitMQ by a queue, \`news.first\`, bound to the exchange; on Kafka as the group \`first-reader\`.

Press **Start**. This run stays on for two minutes: **leave it running** and go on to the next step once the 100 stories are in (5 seconds).`,
      scenario: { yaml: newsBothBrokers },
      run: { durationSeconds: 120 },
      check: {
        id: "first-reader-all",
        kind: "all",
        label: "first-reader got all 100 stories from both brokers",
        checks: [
          { kind: "runMetric", label: "first-reader received the 100 stories from the exchange", path: "consumers.first-reader/from-exchange.received", op: ">=", value: 100 },
          { kind: "runMetric", label: "first-reader received the 100 stories from the topic", path: "consumers.first-reader/from-topic.received", op: ">=", value: 100 },
          { kind: "consumerGroupLag", label: "Group first-reader has read the whole topic", group: "first-reader", topic: "news", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start and keep the run going; the next step starts a second run beside it."],
    },
    {
      id: "late-subscriber",
      title: "A late subscriber: the log remembers, the exchange does not",
      body: `While the news run is **still on**, start a second run beside it: **Show me** loads and starts \`late-subscriber\`. Its late-reader subscribes now, after the 100 stories:

- on RabbitMQ it binds a new queue, \`news.late\`, to the existing exchange. An exchange keeps nothing: a message goes to the queues bound at the moment it is published, and no queue was bound for late-reader then.
- on Kafka it joins the topic as a new group, \`late-reader\`, with \`fromBeginning: true\`: it starts at the oldest record the topic still holds.

Three seconds in, late-news publishes 10 more stories to both. **Predict** what late-reader gets from RabbitMQ.`,
      solution: { yaml: lateSubscriber },
      predict: {
        prompt: "late-reader binds its queue after the first 100 stories, then 10 more are published. How many stories does it receive from the RabbitMQ exchange?",
        metric: "consumers.late-reader/from-exchange.received",
        options: [
          { text: "None: it came too late for anything", min: 0, max: 0 },
          { text: "Only the 10 published after it subscribed", min: 1, max: 10 },
          { text: "All 110, like on Kafka", min: 11 },
        ],
        explanation: "On RabbitMQ a subscription is a bound queue, and a message is copied into the queues bound when it is published: the 100 earlier stories were routed to news.first only. From the moment news.late is bound, it receives every new story. On Kafka the stories stay in the log for the topic's retention, so a new group reads all 110 (within retention; RabbitMQ streams behave like this too).",
      },
      check: {
        id: "late-reader-split",
        kind: "all",
        label: "The late subscriber got the history from Kafka and only new stories from RabbitMQ",
        checks: [
          { kind: "runMetric", label: "late-reader read the 100 earlier stories and the 10 new ones from the topic", path: "consumers.late-reader/from-topic.received", op: ">=", value: 110 },
          { kind: "runMetric", label: "late-reader received exactly the 10 new stories from the exchange", path: "consumers.late-reader/from-exchange.received", op: "==", value: 10 },
          { kind: "consumerGroupLag", label: "Group late-reader has caught up with the topic", group: "late-reader", topic: "news", op: "==", value: 0 },
        ],
      },
      hints: [
        "Start the news run first (previous step) and let its 100 stories go out; then use Show me here while it is still on.",
        "If the run fails with \"marked existing\", the news run has ended and deleted the exchange and the topic: start it again.",
        "More than 10 from the exchange means the late run started while the first 100 were still being published: the stories published after the bind reached news.late too.",
      ],
    },
    {
      id: "crash-mid-backlog",
      title: "A crash: RabbitMQ redelivers, Kafka reads again from the last commit",
      body: `300 orders wait on a RabbitMQ queue and 300 on a Kafka topic; inventory-service reads both, taking 40 ms per order. Five seconds in, the scenario kills it and starts it again.

- RabbitMQ had delivered up to 20 orders that were not yet acknowledged (\`prefetch: 20\`). When the connection dies it puts them back in the queue, and delivers them again with the **redelivered** flag set.
- Kafka hands out no messages to take back: the group's committed offset is all it knows. Here offsets are committed once per fetched batch (\`ack: auto\`), so the new member starts again from the start of the batch that was being processed. The records come again **without any flag**: a Kafka consumer cannot tell a first read from a second.

Press **Start**. The new member waits for the dead one's session to time out (10 seconds) before it gets the partition, so the run takes about half a minute.`,
      scenario: { yaml: crashBothBrokers },
      check: {
        id: "redeliver-vs-reread",
        kind: "all",
        label: "RabbitMQ redelivered with a flag; Kafka re-read from the last commit without one",
        checks: [
          { kind: "replicaState", label: "inventory-service was killed and started again", service: "inventory-service", minRestarts: 1 },
          { kind: "runMetric", label: "RabbitMQ redelivered unacknowledged orders, flagged", path: "consumers.inventory-service/from-queue.redelivered", op: ">", value: 0 },
          { kind: "deliveryOrder", label: "Kafka delivered records again that it had delivered before the crash", consumer: "inventory-service/from-topic", event: "delivered", expect: "reordered", minMessages: 50 },
          { kind: "runMetric", label: "…and none of them carried a redelivered flag", path: "consumers.inventory-service/from-topic.redelivered", op: "==", value: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "Nothing was lost on either broker", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Press Start; the kill and the start are in the scenario's faults.",
        "The Kafka part is read from the message log: after the restart, records older than the last one delivered arrive again.",
      ],
      quiz: [
        {
          id: "auto-ack-contrast",
          prompt: "`ack: auto` on both brokers, and the consumer crashes mid-batch. What happens?",
          options: [
            { text: "Both lose the messages in flight" },
            { text: "RabbitMQ loses the messages it had already handed out; Kafka processes part of the batch again", correct: true },
            { text: "RabbitMQ processes them again; Kafka loses them" },
            { text: "Neither notices: auto means the broker handles it" },
          ],
          explanation: "RabbitMQ's automatic acknowledgement removes a message the moment it is sent, so whatever sat in the crashed consumer's buffer is gone (lesson 3). Kafka's automatic commit commits offsets of records the consumer has finished, every few seconds or per batch, so a crash rewinds to the last commit and repeats work (lesson 11). The same word, opposite failures.",
        },
      ],
    },
    {
      id: "fourth-member",
      title: "Four readers, three partitions",
      body: `Three worker replicas share the queue \`jobs\`; three billing-service replicas share the 3-partition topic \`invoices\` as the group \`billing\`. Give **both** services a fourth replica (\`replicas: 4\`) and run it. Orders start 12 seconds in, once every replica is up.

On RabbitMQ a queue hands each message to whichever consumer has room, so four consumers share the work four ways. In a Kafka group each partition belongs to one member: with three partitions, the fourth member is assigned nothing and waits, ready to take over a partition if a member leaves. The check reads each replica's counters.`,
      solution: {
        patch: [
          { set: "services[worker].replicas", value: 4 },
          { set: "services[billing-service].replicas", value: 4 },
        ],
      },
      scenario: { yaml: membersBothBrokers },
      check: {
        id: "one-member-idle",
        kind: "all",
        label: "Four workers all busy on the queue; one of four billing members idle",
        checks: [
          { kind: "scenario", label: "worker runs 4 replicas", path: "services[worker].replicas", equals: 4 },
          { kind: "scenario", label: "billing-service runs 4 replicas", path: "services[billing-service].replicas", equals: 4 },
          { kind: "replicaMetric", id: "workers-all-busy", label: "Every worker received jobs from the queue", consumer: "worker/process", field: "received", op: ">", value: 0, need: "all" },
          { kind: "replicaMetric", id: "three-members-busy", label: "Three billing members received orders, one per partition", consumer: "billing-service/charge", field: "received", op: ">", value: 0, need: 3 },
          { kind: "replicaMetric", id: "idle-member", label: "One billing member received nothing", consumer: "billing-service/charge", field: "received", op: "==", value: 0, need: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
        ],
      },
      hints: [
        "Set `replicas: 4` on worker and on billing-service, then Start; or use Show me.",
        "The idle member is whichever joined the group last; the run panel shows its received count stay at 0.",
      ],
      quiz: [
        {
          id: "scale-kafka-consumers",
          prompt: "Billing on a 3-partition topic cannot keep up. What lets more members work at once?",
          options: [
            { text: "More members in the group: each takes a share of every partition" },
            { text: "More partitions for the topic, then more members", correct: true },
            { text: "A second group on the same topic" },
            { text: "A larger prefetch" },
          ],
          explanation: "The partition count caps how many members of one group work at once. Add partitions (which changes which partition a key maps to, so plan it early) and then members. A second group does not share the work: it reads everything again.",
        },
      ],
    },
  ],
  recap: [
    "An exchange keeps nothing: a late RabbitMQ subscriber gets what is published after its queue is bound. A Kafka topic keeps its records for the retention time, and a new group can read them from the start.",
    "After a crash RabbitMQ redelivers the unacknowledged messages with a redelivered flag; Kafka rewinds the group to its last committed offset and repeats the records after it, without a flag.",
    "`ack: auto` loses messages on RabbitMQ and repeats them on Kafka.",
    "Consumers on a queue all share its work; in a Kafka group the partition count caps the parallelism and extra members stand by.",
  ],
};
