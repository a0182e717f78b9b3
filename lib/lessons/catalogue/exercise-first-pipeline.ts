// The course's practical exercise: build producer → queue → consumer, then make each of the
// common mistakes on purpose (connection, declarations, acknowledgements) and see it caught.
import type { Lesson } from "../schema";
import { exerciseDone, exerciseStart, matchingDeclarations, mismatchedDeclarations } from "../scenarios/queues";
import { wrongPortRabbitUrl } from "../teaching-endpoints";

const consumer = "services[inventory-service].consumers[update-stock]";

export const firstPipeline: Lesson = {
  id: "exercise-first-pipeline",
  kind: "exercise",
  title: "Build it, then break it",
  summary: "The course's exercise: write the consumer for an order producer yourself, then make the three classic mistakes (connection, declaration, acknowledgement) and watch each one get caught.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "The course's exercise asks for a producer that sends messages to a queue and a consumer that processes them, and warns about three common mistakes: connection issues, producer and consumer declaring different queues, and mishandled acknowledgements. Here you build the pipeline first, then make each mistake deliberately: every step's check only turns green when the mistake really happened and was caught, by Brokerlab's validation, by RabbitMQ, or by the ledger.",
  steps: [
    {
      id: "build",
      title: "Write the consumer",
      body: `The scenario has order-service sending 50 orders to \`order_queue\`, and nobody reading them. Add a second service to \`services\`:

- name it \`inventory-service\`
- give it one consumer, \`update-stock\`, on broker \`rabbit\`, reading \`from: { queue: order_queue }\`
- acknowledge manually (\`ack: manual\`), with a little simulated work (\`work: { ms: 20 }\`)

Press **Start**. The editor validates as you type and names any field it does not understand. The check wants all 50 orders acknowledged and none lost. (**Show me** loads a finished version.)`,
      scenario: { yaml: exerciseStart },
      solution: { yaml: exerciseDone },
      check: {
        id: "pipeline-works",
        kind: "all",
        label: "Your consumer processed every order",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "inventory-service acknowledged all 50 orders", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 50 },
          { kind: "ledger", label: "No order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Copy the shape of order-service: `- name: inventory-service` then `consumers:` with one entry.",
        "A consumer needs name, broker, from and (for this exercise) ack: manual.",
        "Without a consumer, the run never drains: the orders wait in the queue. Stop it and add the consumer.",
      ],
    },
    {
      id: "typo",
      title: "Mistake 1: a misspelled queue",
      body: `Here is a working pipeline (yours may look a little different). Change the consumer's queue to \`orders_queue\` (one letter more) and press **Start**.

With client libraries this mistake is silent: the consumer declares its own empty \`orders_queue\` and waits forever while orders pile up in \`order_queue\`. Brokerlab checks every name against the declared resources before touching the broker, and refuses.`,
      scenario: { yaml: exerciseDone },
      solution: { patch: [{ set: `${consumer}.from.queue`, value: "orders_queue" }] },
      check: {
        id: "typo-caught",
        kind: "scenarioProblem",
        label: "The misspelled queue was caught before reaching the broker",
        path: "from\\.queue",
        message: "is not a queue declared",
      },
      hints: ["Edit `from: { queue: order_queue }` under inventory-service to `orders_queue`, then Start."],
    },
    {
      id: "declarations",
      title: "Mistake 2: declarations differ",
      body: `In real code both services declare \`order_queue\`. This scenario does the same through two connections (two broker entries for the same RabbitMQ), and as loaded both declare a plain durable queue: it runs.

Now let the two sides drift apart, as they do when one team changes its code: give inventory-service's declaration (the \`order_queue\` under \`inventory-side\`) a 60-second message TTL, \`messageTtl: 60s\`. Press **Start**: RabbitMQ refuses the second declaration (PRECONDITION_FAILED), and the run fails with a CONFLICT that names the argument.`,
      scenario: { yaml: matchingDeclarations },
      solution: { yaml: mismatchedDeclarations },
      check: {
        id: "mismatch-caught",
        kind: "runError",
        label: "RabbitMQ refused the mismatched declaration",
        code: "CONFLICT",
        message: "order_queue",
      },
      hints: ["Under resources.inventory-side.queues, write `- { name: order_queue, type: classic, durable: true, messageTtl: 60s }`, then Start. Or use Show me."],
    },
    {
      id: "connection",
      title: "Mistake 3: no broker there",
      body: `Back to your pipeline, but pointed at a port where no broker listens: \`url: amqp://guest:guest@127.0.0.1:5999\` under \`brokers.rabbit\` (RabbitMQ listens on 5672).

Press **Start**: the connection is refused before anything is declared, and the error says where it tried and what to do.`,
      scenario: { yaml: exerciseDone },
      solution: { yaml: exerciseDone, patch: [{ set: "brokers.rabbit.url", value: wrongPortRabbitUrl }] },
      check: {
        id: "connection-caught",
        kind: "runError",
        label: "The run stopped at an unreachable broker",
        code: "BROKER_UNAVAILABLE",
      },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqp://guest:guest@127.0.0.1:5999\" }` under brokers, then Start.", "Use port 5999 exactly: Brokerlab refuses broker addresses it was not configured for, and the lessons' port where nothing listens is the one exception."],
    },
    {
      id: "auto-ack",
      title: "Mistake 4: acking too early",
      body: `Now the acknowledgement mistake. Set \`ack: auto\` on the consumer, make it a little slower than the producer (\`work: { ms: 60 }\`), and crash it: add

\`faults: [{ at: 1500ms, kill: inventory-service }, { at: 3s, start: inventory-service }]\`

at the end of the scenario. With auto-ack, the orders in the process's hands when it dies are gone. The run lasts 12 seconds; the check wants the ledger to show the loss.`,
      scenario: { yaml: exerciseDone },
      solution: {
        yaml: exerciseDone,
        patch: [
          { set: `${consumer}.ack`, value: "auto" },
          { set: `${consumer}.work`, value: { ms: 60 } },
          { set: "faults", value: [{ at: "1500ms", kill: "inventory-service" }, { at: "3s", start: "inventory-service" }] },
        ],
      },
      run: { durationSeconds: 12 },
      check: {
        id: "loss-caught",
        kind: "all",
        label: "Auto-ack plus a crash lost orders, and the ledger caught it",
        checks: [
          { kind: "scenario", label: "The consumer uses ack: auto", path: `${consumer}.ack`, equals: "auto" },
          { kind: "replicaState", label: "inventory-service crashed mid-run and came back", service: "inventory-service", minRestarts: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "The ledger shows lost orders", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: [
        "Three edits: ack: auto, work: { ms: 60 }, and the faults list at the top level of the scenario. Or use Show me.",
        "Kill and start it from the run panel instead of the faults list if you prefer; it must happen while orders are still arriving.",
      ],
    },
    {
      id: "fixed",
      title: "All fixed",
      body: `Put everything right: the correct queue name, one consistent declaration, the real broker address, manual acknowledgements. Keep the crash (the faults list) if you like: with manual acks it only causes redeliveries.

Press **Start**. The check wants all 50 orders processed and none lost, in a run where the consumer acknowledges manually.`,
      solution: { yaml: exerciseDone, patch: [{ set: "faults", value: [{ at: "1500ms", kill: "inventory-service" }, { at: "3s", start: "inventory-service" }] }, { set: `${consumer}.work`, value: { ms: 60 } }] },
      check: {
        id: "all-right",
        kind: "all",
        label: "Every order processed, none lost, acknowledged properly",
        checks: [
          { kind: "scenario", label: "The consumer acknowledges manually", path: `${consumer}.ack`, equals: "manual" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "ledger", label: "All 50 orders processed", field: "consumed", op: ">=", value: 50 },
          { kind: "ledger", label: "No order lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Show me loads the corrected pipeline, with the crash kept in."],
    },
  ],
  recap: [
    "Connection issues: check that the broker runs and that host, port and credentials are right; the error says which.",
    "Declarations: producer and consumer must agree on the queue's name and arguments.",
    "Acknowledgements: acknowledge after processing; auto-ack turns a crash into lost messages.",
    "Every one of these fails loudly in Brokerlab; in your own code, make sure they do too.",
  ],
};
