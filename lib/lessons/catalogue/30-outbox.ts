// Lesson 30: a service that writes to its database and then publishes loses the event when it
// crashes between the two; a transactional outbox loses nothing but may send again, and an
// idempotent consumer applies each effect once.
import type { Lesson } from "../schema";
import { ordersWithDatabase } from "../scenarios/outbox";

const orders = "services[order-service].producers[orders]";
const charge = "services[payment-service].consumers[charge]";
const crashBeforePublish = { set: `${orders}.database.crash`, value: { order: 20, at: "before-publish" } };
const useOutbox = { set: `${orders}.database.mode`, value: "outbox" };
const crashBeforeMarkSent = { set: `${orders}.database.crash.at`, value: "before-mark-sent" };

/** Every step's check needs a finished run in which order-service really crashed and came back. */
const crashedAndFinished = [
  { kind: "runStatus" as const, label: "The run has finished", is: ["finished" as const] },
  { kind: "replicaState" as const, id: "crashed", label: "order-service crashed and was started again", service: "order-service", minRestarts: 1 },
];

export const outbox: Lesson = {
  id: "outbox",
  number: 30,
  kind: "lesson",
  title: "The outbox and the idempotent consumer",
  summary: "Crash a service between its database commit and its publish and watch an event vanish; move the event into the same transaction (an outbox) and nothing is lost, then make the consumer idempotent so the relay's re-sends are charged once.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "Most services that publish events also keep a database: order-service stores an order, then tells the rest of the system about it. The course's advice is to avoid distributed transactions between services. But the database and the broker are two systems as well, and no single transaction covers both, so a crash can land between the two writes. In this lesson order-service keeps its orders in a SQLite database and payment-service records a charge for each order event in its own. For these runs the ledger's **confirmed** counts orders committed to order-service's database: each one owes payment-service an event. **lost** counts orders whose event never arrived, and **duplicated** counts orders that payment-service processed more than once.",
  steps: [
    {
      id: "crash-before-publish",
      title: "Commit, crash, never publish",
      body: `order-service commits each order and then publishes its event (\`mode: publish-after-commit\`). Make it crash in between: under the producer's \`database\`, add \`crash: { order: 20, at: before-publish }\`.

The process then really exits (code 1) right after order 20's transaction commits and before its event goes to RabbitMQ, the way a deployment, an out-of-memory kill or a power cut would stop it. The fault timeline starts it again at 4 s, and it carries on with order 21: as far as its database is concerned, order 20 is done.

**Predict**, then press **Start**.`,
      scenario: { yaml: ordersWithDatabase },
      solution: { patch: [crashBeforePublish] },
      predict: {
        prompt: "order-service crashes once, after committing order 20 and before publishing its event. How many orders never reach payment-service?",
        metric: "ledger.lost",
        options: [
          { text: "None: the restarted service publishes what it missed", min: 0, max: 0 },
          { text: "At least one: order 20 is stored, and nothing remembers that its event was never sent", min: 1 },
        ],
        explanation: "After the restart, the order is in the database and the event is nowhere: not in memory (the process died) and not on the broker. Nothing records the missing publish, so nothing can repeat it. Publishing first and committing after fails the other way round: a crash between the two leaves an event about an order that does not exist.",
      },
      check: {
        id: "event-lost",
        kind: "all",
        label: "An order was committed and its event was lost",
        checks: [
          { kind: "scenario", label: "order-service publishes after the commit", path: `${orders}.database.mode`, equals: "publish-after-commit" },
          { kind: "scenario", id: "crash-point", label: "It crashes before publishing", path: `${orders}.database.crash.at`, equals: "before-publish" },
          ...crashedAndFinished,
          { kind: "ledger", label: "All 60 orders were committed", field: "confirmed", op: ">=", value: 60 },
          { kind: "ledger", id: "some-lost", label: "Some orders' events never reached payment-service", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Add `crash: { order: 20, at: before-publish }` under `database:`, or use Show me.", "The ledger's lost is final once the run has finished."],
    },
    {
      id: "outbox",
      title: "The transactional outbox",
      body: `Set \`mode: outbox\`. order-service now writes two rows in **one** SQLite transaction: the order, and the event it owes, in an \`outbox\` table. Both are committed, or neither is. A relay inside order-service reads unsent outbox rows every 200 ms (\`relayEvery\`), publishes them with publisher confirms, and marks each row sent once RabbitMQ has confirmed it.

The crash point stays where it was: right after order 20's commit. Predict what the restart does this time, then run it.

A polling relay is the simplest kind. Change data capture tools such as Debezium do the relay's job differently: they read the database's own transaction log (the PostgreSQL write-ahead log, the MySQL binlog) and publish each committed outbox insert without querying the table, which spares the database the polling and adds little delay.`,
      scenario: { yaml: ordersWithDatabase, patch: [crashBeforePublish] },
      solution: { patch: [useOutbox] },
      predict: {
        prompt: "With the outbox, order-service crashes at the same point. How many events are lost now?",
        metric: "ledger.lost",
        options: [
          { text: "Still one: the crash came before the publish", min: 1 },
          { text: "None: the event was committed with the order, and the restarted relay sends it", min: 0, max: 0 },
        ],
        explanation: "The event is now data in the same database as the order. A crash can only delay it: the outbox row is still unsent after the restart, so the relay publishes it then. The database's transaction is all the atomicity needed; no transaction spans the database and the broker.",
      },
      check: {
        id: "outbox-no-loss",
        kind: "all",
        label: "Same crash, and every order's event arrived",
        checks: [
          { kind: "scenario", label: "order-service uses an outbox", path: `${orders}.database.mode`, equals: "outbox" },
          { kind: "scenario", label: "It still crashes right after the commit", path: `${orders}.database.crash.at`, equals: "before-publish" },
          ...crashedAndFinished,
          { kind: "ledger", label: "payment-service processed all 60 orders", field: "consumed", op: ">=", value: 60 },
          { kind: "ledger", id: "none-lost", label: "No order's event was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change `mode: publish-after-commit` to `mode: outbox`, or use Show me."],
    },
    {
      id: "crash-before-mark-sent",
      title: "At least once: the relay sends again",
      body: `The relay has its own gap: RabbitMQ has confirmed an event, and the relay has not yet marked its row sent. Move the crash there: set \`at: before-mark-sent\`. The process exits right after RabbitMQ confirms order 20's event.

payment-service's \`charge\` consumer is not idempotent yet: every delivery of an order event writes a charge row. **Predict**, then run it.`,
      scenario: { yaml: ordersWithDatabase, patch: [crashBeforePublish, useOutbox] },
      solution: { patch: [crashBeforeMarkSent] },
      predict: {
        prompt: "order-service crashes after RabbitMQ confirmed order 20's event and before the relay marked it sent. What does payment-service see?",
        metric: "ledger.duplicated",
        options: [
          { text: "Each order once: the broker already had the event", min: 0, max: 0 },
          { text: "Some orders twice: the restarted relay finds the row unsent and publishes it again", min: 1 },
        ],
        explanation: "The outbox row is the only record of what was sent, and it still says unsent, so the relay publishes the event again: an outbox delivers at least once, never exactly once. Rows published in the same batch and not yet marked go out again too, so more than one order can come twice.",
      },
      check: {
        id: "relay-resends",
        kind: "all",
        label: "Nothing lost, and some orders were charged twice",
        checks: [
          { kind: "scenario", label: "order-service uses an outbox", path: `${orders}.database.mode`, equals: "outbox" },
          { kind: "scenario", label: "It crashes before marking the row sent", path: `${orders}.database.crash.at`, equals: "before-mark-sent" },
          { kind: "scenario", label: "charge is not idempotent", path: `${charge}.idempotent`, equals: false },
          ...crashedAndFinished,
          { kind: "ledger", label: "No order's event was lost", field: "lost", op: "==", value: 0 },
          { kind: "ledger", id: "charged-twice", label: "Some orders were charged more than once", field: "duplicated", op: ">", value: 0 },
        ],
      },
      hints: ["Change `at: before-publish` to `at: before-mark-sent`, or use Show me."],
    },
    {
      id: "idempotent-consumer",
      title: "The idempotent consumer",
      body: `Set \`idempotent: true\` on payment-service's \`charge\` consumer. Because its effects live in SQLite (\`effects: sqlite\`), it now keeps a \`processed_ids\` table and writes the message's id there **in the same transaction** as the charge. An id that is already there means the charge was made before: the delivery is acknowledged and nothing is written. The id and the charge commit together, so a crash of payment-service cannot leave a charge without its id (charged again later) or an id without its charge (never charged). Ids kept only in memory would be forgotten by a restart.

Run it. The check wants the duplicate deliveries to arrive at payment-service, and each order to be charged exactly once.`,
      scenario: { yaml: ordersWithDatabase, patch: [crashBeforePublish, useOutbox, crashBeforeMarkSent] },
      solution: { patch: [{ set: `${charge}.idempotent`, value: true }] },
      check: {
        id: "charged-once",
        kind: "all",
        label: "Duplicates arrived and every order was charged once",
        checks: [
          { kind: "scenario", label: "charge is idempotent", path: `${charge}.idempotent`, equals: true },
          { kind: "scenario", label: "order-service still crashes before marking the row sent", path: `${orders}.database.crash.at`, equals: "before-mark-sent" },
          ...crashedAndFinished,
          { kind: "runMetric", label: "payment-service was delivered some orders twice", path: "consumers.payment-service/charge.duplicates", op: ">=", value: 1 },
          { kind: "ledger", label: "All 60 orders were charged", field: "consumed", op: ">=", value: 60 },
          { kind: "ledger", label: "No order's event was lost", field: "lost", op: "==", value: 0 },
          { kind: "ledger", id: "once-each", label: "No order was charged twice", field: "duplicated", op: "==", value: 0 },
        ],
      },
      hints: ["Set `idempotent: true` under the `charge` consumer, or use Show me.", "Open in the lab, then its Code tab: the generated TypeScript and Python programs have the outbox relay and the processed-ids table."],
      quiz: [
        {
          id: "publish-inside-transaction",
          prompt: "Why not publish the event inside the database transaction, just before the commit?",
          options: [
            { text: "The broker is not part of the database's transaction: if the commit then fails, the event describes an order that was never stored", correct: true },
            { text: "It works: a failed commit also takes the message back from the broker" },
            { text: "RabbitMQ refuses messages from a process with an open transaction" },
            { text: "It is only slower; the result is the same" },
          ],
          explanation: "A message that has reached the broker stays there whatever the database does next. Only a distributed transaction (two-phase commit) could tie the two together, and most brokers do not take part in one; the outbox gets the same result with the database's own transaction.",
        },
        {
          id: "outbox-guarantee",
          prompt: "What does an outbox with a relay guarantee?",
          options: [
            { text: "Each event is published exactly once" },
            { text: "Each committed order's event is published at least once, so consumers must tolerate duplicates", correct: true },
            { text: "Events are never delayed" },
            { text: "Consumers process each event once, with no work on their side" },
          ],
          explanation: "The relay can always crash between the broker's confirm and marking the row sent, and then it sends again. Exactly-once effects come from pairing it with an idempotent consumer, as in the last step.",
        },
        {
          id: "change-data-capture",
          prompt: "How does a change data capture relay such as Debezium find new outbox rows?",
          options: [
            { text: "It queries the outbox table every few hundred milliseconds, like the relay here" },
            { text: "The service sends it each event over HTTP" },
            { text: "It reads the database's transaction log and publishes each committed insert", correct: true },
            { text: "It adds a trigger that publishes to the broker inside the transaction" },
          ],
          explanation: "Debezium follows the write-ahead log (PostgreSQL) or binlog (MySQL), so it sees rows in commit order without polling. It too can send an event again after a restart, so consumers still need to be idempotent.",
        },
      ],
    },
  ],
  recap: [
    "Writing to a database and then publishing is two writes with no transaction around them: a crash between them loses the event.",
    "A transactional outbox commits the event with the data; a relay (polling, or change data capture such as Debezium) publishes it and marks it sent.",
    "The relay delivers at least once: a crash after the broker's confirm and before marking the row sent means a re-send.",
    "An idempotent consumer records processed ids in the same transaction as its effect, so each effect is applied once, across restarts too.",
  ],
};
