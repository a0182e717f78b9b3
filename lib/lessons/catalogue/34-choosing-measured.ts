// Lesson 34: the same order pipeline on RabbitMQ, Kafka, SNS/SQS, Redis Streams and Google Pub/Sub,
// one step per broker, each with the same crash of the consumer. Each check reads what the run
// really did, and the comparison table shows what the learner's runs measured side by side; what the
// brokers keep for a replay and how they order are properties, asked in the quizzes.
// Azure Service Bus has no emulator that runs without Docker, so it is compared in words only.
import type { CheckOf } from "../checks";
import type { Lesson, Step } from "../schema";
import { orderPipeline, type PipelineBroker } from "../scenarios/choosing";

const crash = { at: "4s", kill: "fulfilment", for: "2s" };
const crashed: CheckOf<"replicaState"> = { kind: "replicaState", sticky: true, label: "fulfilment crashed during the run", service: "fulfilment", state: "killed" };
const finished: CheckOf<"runStatus"> = { kind: "runStatus", label: "The run has finished", is: ["finished"] };
const howToCrash = "Under `faults:` add `- { at: 4s, kill: fulfilment, for: 2s }` (the scenario has no `faults:` line yet, so add that too), or use Show me.";
const crashCost = "The run goes on until every order is handled (or, after the crash, the ledger has settled what is lost), at most two minutes: a service restarted after a kill can take many seconds to start on a busy machine. After the run, the prediction box shows the measured figure next to your guess, and the table below fills this broker's row from your run.";

/** One broker's step: add the crash, predict what it costs, run until drained; the check reads the run's ledger. */
function brokerStep(broker: PipelineBroker, title: string, body: string, predict: Step["predict"], quiz: Step["quiz"]): Step {
  return {
    id: broker,
    title,
    body: `${body}\n\n${crashCost}`,
    scenario: { yaml: orderPipeline(broker) },
    solution: { patch: [{ set: "faults", value: [crash] }] },
    predict,
    check: {
      id: `${broker}-crash`,
      kind: "all",
      label: "fulfilment crashed, came back and every order was handled",
      checks: [
        crashed,
        finished,
        { kind: "ledger", label: "All 200 orders were handled", field: "consumed", op: ">=", value: 200 },
        { kind: "ledger", id: `${broker}-none-lost`, label: "No order was lost", field: "lost", op: "==", value: 0 },
      ],
    },
    hints: [howToCrash, "The check is read when the run ends, once every order is handled or the ledger has settled."],
    quiz,
  };
}

const duplicatesQuestion = (prompt: string, explanation: string): Step["predict"] => ({
  prompt,
  metric: "ledger.duplicated",
  options: [
    { text: "Nothing: every order is handled exactly once", min: 0, max: 0 },
    { text: "Some orders are handled twice", min: 1 },
  ],
  explanation,
});

export const choosingMeasured: Lesson = {
  id: "choosing-a-broker-measured",
  number: 34,
  kind: "lesson",
  title: "Choosing a broker: one crash on five brokers",
  summary: "Run the same order pipeline, with the same consumer crash, on RabbitMQ, Kafka, SNS/SQS, Redis Streams and Google Pub/Sub, and compare what each run measured in one table; Azure Service Bus is compared on paper.",
  brokers: ["rabbitmq", "kafka", "aws", "redis", "pubsub"],
  minutes: 45,
  intro:
    "The course names RabbitMQ, Kafka, Amazon SQS, Redis and Google Pub/Sub (and Azure Service Bus) as tools for passing messages between services. All of them get a message from one service to another; what differs is what a failure costs and what you can do with the messages afterwards. This lesson runs one small pipeline on RabbitMQ, Kafka, SNS/SQS, Redis Streams and Google Pub/Sub, one after another: shop publishes 200 orders at 20 per second, and fulfilment handles each one in 20 ms and acknowledges it only after the work. In every step you crash fulfilment four seconds in, for two seconds, and the run counts what the crash cost. A table under each step collects what your runs measured: throughput, latency, what the crash cost; replay and ordering are what each broker offers, noted beside them.\n\nEach run lasts until every order is handled, at most two minutes, on the local stack's RabbitMQ, Kafka, moto (for SNS and SQS), Redis and Pub/Sub emulator. Lessons 19 and 33 show what a visibility timeout and an ack deadline do on SQS and Google Pub/Sub.\n\nAzure Service Bus is not here: Microsoft's emulator for it runs only in Docker, and the local stack runs without Docker. The summary compares it in words.\n\nThe figures are this machine's, on single-node brokers: read them as what each broker does with a crash, not as a benchmark.",
  steps: [
    brokerStep("rabbitmq", "RabbitMQ: a queue with manual acks", `fulfilment reads the classic queue \`orders\` with \`ack: manual\` and \`prefetch: 20\`: RabbitMQ hands it up to 20 orders at a time, and removes each one when fulfilment acks it. Add the crash, **predict**, then press **Start**.`,
      duplicatesQuestion("fulfilment crashes with up to 20 orders delivered and not acked. What does that cost on RabbitMQ?", "When the consumer's connection closes, RabbitMQ puts every unacked delivery back in the queue, flagged as redelivered. Orders whose work was done but whose ack had not left yet are handled again: duplicates, never losses."),
      [{
        id: "choosing-rabbit-replay",
        prompt: "A week later you find a bug in fulfilment and want to handle last Tuesday's orders again. What does a RabbitMQ classic queue still hold of them?",
        options: [
          { text: "Nothing: an acked message is deleted from the queue", correct: true },
          { text: "Everything, until the queue's retention runs out" },
          { text: "The orders of the last 24 hours" },
        ],
        explanation: "A classic queue is a buffer, not a log: acking removes the message. To replay you need a copy elsewhere (a stream queue, Kafka, or your own store).",
      }]),
    brokerStep("kafka", "Kafka: a topic, with offsets committed automatically", `fulfilment reads the topic \`orders\` in the group \`fulfilment\` with \`ack: auto\`: the client commits the group's offset for each fetched batch, not after each order. Add the same crash, **predict**, then **Start**.`,
      duplicatesQuestion("What will the crash cost on Kafka with auto-commit?", "After the restart the group resumes at its last committed offset. Records handled after that commit are read and handled again. Brokerlab's auto mode commits a batch after handling it, so the crash costs duplicates; a client that commits on a timer before the work is done can lose records instead."),
      [{
        id: "choosing-kafka-replay",
        prompt: "You want to handle last Tuesday's orders again. What does Kafka offer?",
        options: [
          { text: "The records are still in the topic until retention removes them: reset the group's offset, or read with a new group", correct: true },
          { text: "Nothing: a committed record is deleted" },
          { text: "Only the records that were never committed" },
        ],
        explanation: "Kafka keeps the log whether or not anyone has read it; a group's offset is just a bookmark. That is what makes replay, and new readers of old data, cheap.",
      }]),
    brokerStep("sns-sqs", "SNS and SQS: a topic fanned out to a queue", `shop publishes each order to the SNS topic \`orders\`; SNS copies it to the SQS queue \`fulfilment\`, which fulfilment long-polls and deletes each order from after its work (the delete is SQS's ack). The queue's visibility timeout is 10 s. Add the crash, **predict**, then **Start**.\n\nThe step runs on moto, which emulates SNS and SQS locally. **If the home page's card for moto is red**, start it with \`npm run stack:up -- moto\` (the first start installs it, a few minutes); until then the run fails while it creates the topic, with an error naming the AWS endpoint as not reachable.`,
      duplicatesQuestion("fulfilment crashes with orders received and not yet deleted. What does that cost on SQS?", "SQS never learns that fulfilment died: each message it handed out stays invisible for the 10 s visibility timeout and then becomes visible again. Orders whose work was done but whose delete had not been sent are received and handled again: duplicates, never losses."),
      [{
        id: "choosing-sqs-replay",
        prompt: "You want to handle last Tuesday's orders again. What does the SQS queue still hold of them?",
        options: [
          { text: "Nothing: a deleted message is gone; keep a copy elsewhere (an archive subscribed to the topic) to replay", correct: true },
          { text: "Everything, for the queue's 4-day retention" },
          { text: "Only the messages SNS sent in the last hour" },
        ],
        explanation: "Retention bounds how long an undeleted message may wait, not how long a deleted one is kept. SNS keeps nothing either; a replay needs a store of your own, for instance a second queue or an archive subscribed to the topic.",
      }]),
    brokerStep("redis-streams", "Redis Streams: a consumer group", `shop appends each order to the stream \`orders\` (\`XADD\`); fulfilment reads in the group \`fulfilment\` (\`XREADGROUP\`) and acks after its work (\`XACK\`). Add the crash, **predict**, then **Start**.`,
      duplicatesQuestion("What will the crash cost on a Redis stream read by a consumer group?", "Entries delivered and not acked stay in the group's pending entries list. When fulfilment comes back under the same consumer name it reads its own pending entries first, and handles again those whose work was done but whose XACK had not been sent."),
      [{
        id: "choosing-redis-replay",
        prompt: "Which of these keep messages after they were acknowledged, so they can be read again?",
        options: [
          { text: "Kafka topics and Redis streams", correct: true },
          { text: "RabbitMQ classic queues and SQS queues" },
          { text: "All of them, until a retention period ends" },
        ],
        explanation: "A Kafka topic and a Redis stream are logs: reading does not remove anything, and a trim (retention, MAXLEN) does. A classic queue and an SQS queue delete what is acked or deleted.",
      }, {
        id: "choosing-ordering",
        prompt: "You need each customer's orders handled in the order they were placed. Which setting gives that?",
        options: [
          { text: "A key per customer: Kafka's message key, a Pub/Sub ordering key, an SQS FIFO message group, or a Service Bus session", correct: true },
          { text: "Any queue gives it, as long as there are several consumers" },
          { text: "None of these brokers can order messages" },
        ],
        explanation: "Each broker orders only within a unit: a Kafka partition, a Pub/Sub ordering key, an SQS FIFO group, a Service Bus session, one RabbitMQ queue with one consumer. Pick the key that groups what must stay in order, and keep retries from overtaking (see lesson 22).",
      }]),
    brokerStep("pubsub", "Google Pub/Sub: a subscription with an ack deadline", `shop publishes each order to the topic \`orders\`; fulfilment streams them from the subscription \`fulfilment\` (ack deadline 10 s) and acks each after its work. Add the crash, **predict**, then **Start**.\n\nThe step runs on Google's Pub/Sub emulator. The emulator does not say how many messages a subscription holds, so after the crash the run waits one ack deadline (and a little) with nothing moving before it counts what is missing as lost. **If the home page's card for the Pub/Sub emulator is red**, start it with \`npm run stack:up -- pubsub\`; where it is not installed, install it with \`apt-get install google-cloud-cli-pubsub-emulator openjdk-17-jre-headless\` first (from Google's Cloud SDK apt repository). Until then the run fails while it declares its topic, with an error naming \`14 UNAVAILABLE\`.`,
      duplicatesQuestion("fulfilment crashes with orders leased to it and not acked. What does that cost on Pub/Sub?", "Each message delivered to fulfilment is leased until its ack deadline. The dead process cannot ack or extend the lease, so once the deadline passes Pub/Sub delivers the message again, to the restarted fulfilment. Orders whose work was done but whose ack had not been sent are handled twice: duplicates, never losses."),
      [{
        id: "choosing-pubsub-replay",
        prompt: "You want to handle last Tuesday's orders again on Pub/Sub. What makes that possible?",
        options: [
          { text: "A subscription that retains acked messages, or a snapshot: then seek it back to a time", correct: true },
          { text: "Nothing: Pub/Sub can never deliver an acked message again" },
          { text: "Every subscription keeps all messages forever" },
        ],
        explanation: "By default an acked message is gone from its subscription. With retain acked messages (up to 7 days) or a snapshot taken earlier, Seek moves the subscription back and delivers the messages again: replay is possible when it was set up before.",
      }]),
  ],
  recap: [
    "With acks after the work, a consumer crash costs duplicates on every broker here, never losses; consumers must be idempotent.",
    "Kafka topics and Redis streams keep the log, so you can replay; RabbitMQ classic queues and SQS delete what is acked; Pub/Sub replays only when a subscription retains acked messages or a snapshot was taken.",
    "Order is kept only within a unit: a partition, an ordering key, a FIFO group, a session.",
    "Azure Service Bus offers peek-lock, a dead-letter sub-queue per queue, and sessions for ordering; the local stack cannot run it without Docker.",
  ],
  comparison: [
    { step: "rabbitmq", broker: "RabbitMQ (classic queue)", replay: "No: an acked message is deleted (a stream queue would keep it)", order: "Queue order with one consumer; a redelivered message comes back out of place" },
    { step: "kafka", broker: "Kafka (topic, group)", replay: "Yes: records stay until retention; reset the group's offset", order: "Within a partition (one here)" },
    { step: "sns-sqs", broker: "SNS → SQS (standard queue)", replay: "No: a deleted message is gone", order: "None on a standard queue; FIFO queues keep it per message group" },
    { step: "redis-streams", broker: "Redis Streams (group)", replay: "Yes: entries stay until trimmed (MAXLEN); XRANGE or a new group", order: "Stream order; pending entries read again come out of place" },
    { step: "pubsub", broker: "Google Pub/Sub (emulator)", replay: "Only if set up: retain acked messages or a snapshot, then Seek", order: "Only with an ordering key (none here)" },
  ],
};
