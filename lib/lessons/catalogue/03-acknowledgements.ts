// Lesson 3: manual vs automatic acknowledgements, decided by killing a consumer mid-message.
import type { Lesson } from "../schema";

const consumer = "services[inventory-service].consumers[update-stock]";

export const acknowledgements: Lesson = {
  id: "acknowledgements",
  number: 3,
  kind: "lesson",
  title: "Acknowledgements: lost or redelivered",
  summary: "Kill a consumer in the middle of its work, once with manual acknowledgements and once with automatic ones, and count what survives.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "A consumer tells RabbitMQ it is finished with a message by acknowledging it. Until then the broker keeps the message, and if the consumer's connection goes away, it hands the message to someone else. With automatic acknowledgement the broker forgets the message the moment it sends it: quicker, and fine until the consumer dies with messages in its hands.",
  steps: [
    {
      id: "manual-ack",
      title: "Manual acks: a crash loses nothing",
      body: `In this scenario inventory-service acknowledges each order **after** processing it (\`ack: manual\`) and may hold up to 20 unacknowledged orders at once (\`prefetch: 20\`). It is a little slower than the producer, so those 20 slots are always full.

Three seconds in, the scenario kills inventory-service (SIGKILL) and starts it again two seconds later. RabbitMQ sees the connection drop and puts every unacknowledged order back in the queue; when the service returns, they arrive again with the **redelivered** flag set.

Press **Start** and wait for the run to finish (about 11 seconds). The check reads the run's counters, the ledger, and Jaeger: the trace of a redelivered order has a CONSUMER span in inventory-service with \`brokerlab.redelivered = true\`.`,
      scenario: { example: "crash-redelivery" },
      check: {
        id: "redelivered-not-lost",
        kind: "all",
        label: "Unacknowledged orders came back, and none was lost",
        checks: [
          // Restarts outlast the two seconds the kill lasts, so no reading can miss it.
          { kind: "replicaState", label: "inventory-service was killed mid-run and came back", service: "inventory-service", minRestarts: 1 },
          { kind: "runMetric", label: "RabbitMQ redelivered orders to inventory-service", path: "consumers.inventory-service/update-stock.redelivered", op: ">", value: 0 },
          {
            kind: "traceHasSpan",
            sticky: true,
            label: "Jaeger holds a CONSUMER span in inventory-service with brokerlab.redelivered=true",
            service: "inventory-service",
            spanKind: "consumer",
            attributes: { "brokerlab.redelivered": true },
          },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "The ledger shows no lost order", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Press Start; the kill and the restart are part of the scenario (see its faults: section).",
        "Redelivered shows in the inventory-service row of the run panel once the service is back, about 5 seconds in.",
        "Spans reach Jaeger a moment after the messages; the trace part of the check may turn green a second or two after the counters.",
      ],
      quiz: [
        {
          id: "manual-ack-when",
          prompt: "With manual acknowledgements, when should the consumer acknowledge a message?",
          options: [
            { text: "As soon as it arrives, so the broker can free the memory" },
            { text: "After it has done the work the message asks for", correct: true },
            { text: "Before it starts the work, so a crash cannot cause a duplicate" },
            { text: "Never: RabbitMQ removes delivered messages by itself" },
          ],
          explanation: "Acknowledge after the work. A crash before the ack means the message is redelivered and the work is done again (so make it safe to repeat), but never that it is silently skipped. Acknowledging first turns a crash into a loss.",
        },
        {
          id: "redelivered-means",
          prompt: "A consumer receives a message with redelivered = true. What does it know?",
          options: [
            { text: "The message was processed before, so it can be skipped" },
            { text: "The message may have been delivered before; whether the work was done, only the consumer's own records can tell", correct: true },
            { text: "This is a retry after a processing error" },
            { text: "Nothing: the flag is always set" },
          ],
          explanation: "RabbitMQ sets the flag when it delivers a message it had handed out before and got back unacknowledged (a closed channel, a nack with requeue). The first consumer may have died before, during or after the work, so the flag cannot say whether to skip it. It also misses duplicates: retries that republish a copy (Brokerlab's retries with backoff, lesson 10) arrive as new messages with redelivered = false. Only an idempotent consumer, keyed by message id, is safe (lesson 11).",
        },
      ],
    },
    {
      id: "auto-ack",
      title: "Automatic acks: predict, then run",
      body: `Now change one word: set \`ack: auto\` on inventory-service's consumer (in the scenario editor, or with **Show me**). Everything else stays the same, including the kill at 3 seconds.

With automatic acknowledgement RabbitMQ considers a message done as soon as it is delivered, and it no longer holds back at the prefetch limit: it pushes orders into the consumer process as fast as they come.

**First answer the prediction**, then start the run. This run lasts 15 seconds, and then the check compares the ledger with your answer.`,
      solution: { patch: [{ set: `${consumer}.ack`, value: "auto" }] },
      run: { durationSeconds: 15 },
      predict: {
        prompt: "With ack: auto, inventory-service is killed 3 seconds in, exactly as before. What will the ledger say about the 150 orders?",
        metric: "ledger.lost",
        options: [
          { text: "None is lost: RabbitMQ redelivers them, as with manual acks", min: 0, max: 0 },
          { text: "Some are lost: the ones already pushed to the process that died", min: 1, max: 149 },
          { text: "All 150 are lost", min: 150 },
        ],
        explanation: "With ack: auto the broker deleted each order when it delivered it. The orders sitting in the dying process's memory, delivered but not yet processed, existed nowhere else: they are gone, and nothing is redelivered. Orders published after the restart are processed normally, so some, not all, are lost.",
      },
      check: {
        id: "auto-ack-loses",
        kind: "all",
        label: "With ack: auto, the crash lost orders",
        checks: [
          { kind: "scenario", label: "The run uses ack: auto", path: `${consumer}.ack`, equals: "auto" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "The ledger shows lost orders", field: "lost", op: ">", value: 0 },
          { kind: "runMetric", label: "Nothing was redelivered", path: "consumers.inventory-service/update-stock.redelivered", op: "==", value: 0 },
        ],
      },
      hints: [
        "In the editor, find `ack: manual` under inventory-service and change it to `ack: auto`, then press Start.",
        "Answer the prediction first: Start waits for it.",
        "The run lasts 15 seconds; the ledger's verdict comes at the end.",
      ],
      quiz: [
        {
          id: "auto-ack-cost",
          prompt: "Why does ack: auto lose messages when a consumer crashes?",
          options: [
            { text: "Because RabbitMQ deletes a message once it has delivered it, before it is processed", correct: true },
            { text: "Because automatic acknowledgements are sent in batches that can get lost" },
            { text: "Because the producer does not wait for confirms" },
            { text: "Because auto-ack queues are not durable" },
          ],
          explanation: "Auto-ack moves the moment of \"done\" from after processing to delivery. Whatever the consumer has received but not finished dies with it. It is the right choice only where losing a message costs nothing (a metrics sample, say). Note that the same words mean something else on Kafka: there, automatic offset commits after a crash lead to messages read twice, not lost (lesson 11).",
        },
      ],
    },
    {
      id: "prefetch-exposure",
      title: "Prefetch bounds what a crash can touch",
      body: `Back to \`ack: manual\`, but with \`prefetch: 1\`: inventory-service now holds at most one unacknowledged order at a time. The kill still happens at 3 seconds.

Predict how many orders RabbitMQ redelivers this time, then run it (**Show me** sets both fields). The prefetch count is the number of messages a crash can send back into the queue, and also the amount of work a slow consumer can sit on while others wait.`,
      solution: { patch: [{ set: `${consumer}.ack`, value: "manual" }, { set: `${consumer}.prefetch`, value: 1 }] },
      predict: {
        prompt: "With ack: manual and prefetch: 1, how many orders are redelivered after the kill?",
        metric: "consumers.inventory-service/update-stock.redelivered",
        options: [
          { text: "None", min: 0, max: 0 },
          { text: "One or two: only what was in hand", min: 1, max: 2 },
          { text: "About 20, as before", min: 3, max: 40 },
          { text: "More than 40", min: 41 },
        ],
        explanation: "Only unacknowledged messages come back. With prefetch 1 the service held one order, the one it was working on, so one order is redelivered. With prefetch 20 there were 20. A higher prefetch buys throughput and costs a bigger redelivery (and a less even spread of work) when things go wrong.",
      },
      check: {
        id: "one-in-hand",
        kind: "all",
        label: "Only the order in hand came back",
        checks: [
          { kind: "scenario", label: "The run uses ack: manual", path: `${consumer}.ack`, equals: "manual" },
          { kind: "scenario", label: "The run uses prefetch: 1", path: `${consumer}.prefetch`, equals: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "At most 2 orders were redelivered", path: "consumers.inventory-service/update-stock.redelivered", op: "<=", value: 2 },
          { kind: "ledger", label: "The ledger shows no lost order", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Set `ack: manual` and `prefetch: 1` on inventory-service's consumer, or use Show me.",
        "The run ends by itself once every order is processed.",
      ],
    },
  ],
  recap: [
    "Manual acknowledgement after the work: a crash means redelivery (at-least-once), never silent loss.",
    "Automatic acknowledgement: the broker forgets a message on delivery; a crash loses what the consumer held.",
    "The redelivered flag (brokerlab.redelivered=true in Brokerlab's traces) means \"may have been delivered before\", not \"was processed before\"; and a retry that republishes a copy arrives with redelivered = false. Deduplicate by message id, not by the flag.",
    "Prefetch caps the unacknowledged messages per consumer: the size of a redelivery after a crash.",
  ],
};
