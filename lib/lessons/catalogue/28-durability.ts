// Lesson 28: what survives a RabbitMQ restart. A backlog waits in a queue on the lesson broker (a
// RabbitMQ node of its own, which only lessons restart) while it is stopped and started: a
// transient queue loses it, a durable queue with transient messages still loses it, a durable
// queue with persistent messages and publisher confirms loses nothing, and so does a quorum queue.
import type { CheckOf } from "../checks";
import type { Lesson } from "../schema";
import { ordersAcrossRestart } from "../scenarios/durability";

const queue = "resources.rabbit.queues[orders]";
const producer = "services[order-service].producers[orders]";

// The course's producer (pika) made durable: the queue, each message, and the publish confirmed.
// The Python and TypeScript versions were run by hand against the local stack's RabbitMQ (100 of
// 100 confirmed and waiting in the queue); the Java version was not run.
const python = `import pika

connection = pika.BlockingConnection(pika.ConnectionParameters("localhost"))
channel = connection.channel()
# durable=True: the queue's definition survives a broker restart. RabbitMQ refuses to redeclare
# an existing queue with other settings, so delete the old transient queue first.
channel.queue_declare(queue="order_queue", durable=True)
channel.confirm_delivery()  # basic_publish now waits for the broker's confirm, and raises if it refuses

for order_id in range(1, 101):
    channel.basic_publish(
        exchange="",
        routing_key="order_queue",
        body=f"Order ID: {order_id}",
        properties=pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent),  # written to disk
    )
connection.close()`;

const java = `ConnectionFactory factory = new ConnectionFactory();
factory.setHost("localhost");
try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
  // durable = true, exclusive = false, autoDelete = false
  channel.queueDeclare("order_queue", true, false, false, null);
  channel.confirmSelect();
  for (int orderId = 1; orderId <= 100; orderId++) {
    byte[] body = ("Order ID: " + orderId).getBytes(StandardCharsets.UTF_8);
    // PERSISTENT_TEXT_PLAIN sets delivery mode 2
    channel.basicPublish("", "order_queue", MessageProperties.PERSISTENT_TEXT_PLAIN, body);
  }
  channel.waitForConfirmsOrDie(5_000); // throws if any message was refused or not confirmed in time
}`;

const typescript = `import amqp from "amqplib";

const connection = await amqp.connect("amqp://localhost");
const channel = await connection.createConfirmChannel();
await channel.assertQueue("order_queue", { durable: true });
for (let orderId = 1; orderId <= 100; orderId++) {
  channel.sendToQueue("order_queue", Buffer.from(\`Order ID: \${orderId}\`), { persistent: true });
}
await channel.waitForConfirms(); // rejects if the broker refused a message
await connection.close();`;

const restarted: CheckOf<"connectionState"> = { kind: "connectionState", sticky: true, label: "The broker went down during the run (fulfilment-service lost its connection)", service: "fulfilment-service", broker: "rabbit", state: "reconnecting" };
const finished: CheckOf<"runStatus"> = { kind: "runStatus", label: "The run has finished", is: ["finished"] };

export const durability: Lesson = {
  id: "durability",
  number: 28,
  kind: "lesson",
  title: "Durability: what survives a broker restart",
  summary: "Restart RabbitMQ while orders wait in a queue: a transient queue or transient messages lose them, a durable queue with persistent messages and publisher confirms loses none; then what quorum queues and Kafka's replication add.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "Acknowledgements (lesson 3) protect a message between the queue and the consumer. This lesson is about the time a message spends waiting in the queue: what happens to it when the broker itself stops, for an upgrade, a reboot or a crash. Three settings decide: whether the **queue** is durable, whether each **message** is persistent, and whether the producer waits for the broker's **confirm**. The course's first producer sets none of them (`queue_declare(queue='order_queue')` and a plain `basic_publish`).\n\nThe runs here use the **lesson broker**, a RabbitMQ node of Brokerlab's own that only lessons stop and start, so restarting it disturbs no other run. The first run starts it, which takes about 20 seconds; each run then restarts it once, so expect about a minute per run.",
  steps: [
    {
      id: "transient-queue",
      title: "A transient queue, and a restart",
      body: `order-service sends 400 orders at 100 per second; fulfilment-service handles about 40 per second, so a backlog builds up in \`orders\`. The queue is declared \`durable: false\` (a transient queue), the messages are transient (\`persistent: false\`) and the producer does not wait for confirms.

Add the restart to the scenario's faults: \`{ at: 5s, stopBroker: rabbit, for: 3s }\` stops the broker cleanly five seconds in (as an upgrade or a reboot would) and starts it again 3 seconds later. A transient queue exists only in the broker's memory: after the restart it is gone, with every message in it. Brokerlab declares it again so that the services can go on, but it starts empty.

**Predict**, then press **Start**. The ledger compares what order-service sent with what fulfilment-service processed.`,
      scenario: { yaml: ordersAcrossRestart, patch: [{ remove: "faults[0]" }] },
      solution: { patch: [{ set: "faults[+]", value: { at: "5s", stopBroker: "rabbit", for: "3s" } }] },
      predict: {
        prompt: "About 150 orders are waiting in the transient queue when the broker stops. How many of the 400 never reach fulfilment-service?",
        metric: "ledger.lost",
        options: [
          { text: "None: RabbitMQ keeps the queue's messages until they are acknowledged", min: 0, max: 0 },
          { text: "Some: the queue and what waited in it are gone after the restart", min: 1 },
        ],
        explanation: "Acknowledgements only say when the broker may forget a message; they do not make the broker keep it across a restart. A transient queue and everything in it live in memory, and a restart empties memory.",
      },
      check: {
        id: "transient-queue-loses",
        kind: "all",
        label: "The orders that waited in the transient queue were lost in the restart",
        checks: [
          { kind: "scenario", label: "The queue is transient", path: `${queue}.durable`, equals: false },
          restarted,
          finished,
          { kind: "ledger", label: "Orders order-service sent never reached fulfilment-service", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Under `faults:`, add `- { at: 5s, stopBroker: rabbit, for: 3s }`, or use Show me.", "The ledger's lost is final once the run has finished."],
    },
    {
      id: "durable-queue",
      title: "A durable queue, transient messages",
      body: `Set the queue's \`durable\` to \`true\`. A durable queue's definition is stored on disk: after a restart the queue is there again, with its name, arguments and bindings.

The messages are still transient (\`persistent: false\`, AMQP delivery mode 1). RabbitMQ may page them to disk when memory runs short, but it does not recover them: when a durable queue comes back after a restart, it comes back without its transient messages. **Predict**, then run it.`,
      scenario: { yaml: ordersAcrossRestart },
      solution: { patch: [{ set: `${queue}.durable`, value: true }] },
      predict: {
        prompt: "The queue now survives the restart. How many orders are lost?",
        metric: "ledger.lost",
        options: [
          { text: "None: the queue is durable, so its messages are kept too", min: 0, max: 0 },
          { text: "Some: the queue survives, its transient messages do not", min: 1 },
        ],
        explanation: "Durability is set twice: on the queue (its definition) and on each message (delivery mode 2, persistent). A durable queue holding transient messages comes back empty.",
      },
      check: {
        id: "durable-queue-still-loses",
        kind: "all",
        label: "The durable queue came back without its transient messages",
        checks: [
          { kind: "scenario", label: "The queue is durable", path: `${queue}.durable`, equals: true },
          { kind: "scenario", label: "…and the messages are still transient", path: `${producer}.persistent`, equals: false },
          restarted,
          finished,
          { kind: "ledger", label: "Orders were still lost", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Change `durable: false` to `durable: true` on the queue, or use Show me."],
    },
    {
      id: "persistent-confirmed",
      title: "Persistent messages and publisher confirms",
      body: `Now set the producer's \`persistent\` and \`confirm\` to \`true\` as well. A persistent message (delivery mode 2) in a durable queue is written to disk, and RabbitMQ recovers it when the queue comes back.

Persistence alone leaves a gap: a message the producer has sent but the broker has not yet written can still be lost, and without confirms the producer never finds out. With publisher confirms the broker answers each message once it has taken responsibility for it (for a persistent message in a durable queue, once it is on disk), and the producer counts a message as sent only then. A message that was never confirmed is the producer's to send again. The check wants all 400 orders processed and none lost.

A few orders may be processed twice: the ones fulfilment-service had received but not yet acknowledged when the broker stopped are delivered again after the restart. That is at-least-once delivery (lesson 11), and the consumer should be idempotent. The code below is the course's producer made durable, in Python, Java and TypeScript.`,
      scenario: { yaml: ordersAcrossRestart, patch: [{ set: `${queue}.durable`, value: true }] },
      solution: { patch: [{ set: `${producer}.persistent`, value: true }, { set: `${producer}.confirm`, value: true }] },
      code: [
        { language: "python", label: "Python (pika)", source: python },
        { language: "java", label: "Java (amqp-client)", source: java },
        { language: "typescript", label: "TypeScript (amqplib)", source: typescript },
      ],
      check: {
        id: "nothing-lost",
        kind: "all",
        label: "Every order survived the restart",
        checks: [
          { kind: "scenario", label: "The queue is durable", path: `${queue}.durable`, equals: true },
          { kind: "scenario", id: "persistent", label: "The messages are persistent", path: `${producer}.persistent`, equals: true },
          { kind: "scenario", label: "The producer waits for publisher confirms", path: `${producer}.confirm`, equals: true },
          restarted,
          finished,
          { kind: "ledger", label: "fulfilment-service processed all 400 orders", field: "consumed", op: ">=", value: 400 },
          { kind: "ledger", id: "none-lost", label: "No order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Set `persistent: true` and `confirm: true` on order-service's producer, or use Show me.", "Both are needed: persistence keeps what the broker has, confirms tell the producer what the broker has."],
      quiz: [
        {
          id: "durability-three-settings",
          prompt: "Which settings together keep a RabbitMQ message through a broker restart, and let the producer know it was kept?",
          options: [
            { text: "A durable queue, persistent messages (delivery mode 2) and publisher confirms", correct: true },
            { text: "Manual acknowledgements on the consumer" },
            { text: "A durable queue only: its messages are durable with it" },
            { text: "Persistent messages only: the queue is declared again after the restart anyway" },
          ],
          explanation: "The queue's durability keeps the queue, the message's delivery mode keeps the message, and confirms tell the producer which messages the broker has taken responsibility for. Acknowledgements are about the other side: when the broker may forget a delivered message.",
        },
      ],
    },
    {
      id: "quorum-queue",
      title: "Quorum queues and Kafka's replication",
      body: `Everything so far survives a **restart** of one broker. If the machine's disk is lost, a persistent message on it is lost too. The answer is replication: keeping each message on several machines before confirming it.

- A RabbitMQ **quorum queue** (\`type: quorum\`) is replicated over several nodes with the Raft protocol. It is always durable, its messages are always persistent, and the broker confirms a message once a majority of the queue's replicas have written it. With three nodes it survives the loss of one. The lesson broker is a single node, so here the queue has one replica: it survives a restart, not the loss of the node.
- **Kafka**'s answer is the same idea: a topic's **replication factor** (copies of each partition on different brokers), the producer's **acks=all** (wait for every in-sync replica), and the topic's **min.insync.replicas** (refuse the write when fewer replicas are in sync, for example 2 of 3). Brokerlab's Kafka is one broker, so its topics have one replica.

Set the queue's \`type\` to \`quorum\` and run it: the same restart, and again no order is lost.`,
      scenario: {
        yaml: ordersAcrossRestart,
        patch: [
          { set: `${queue}.durable`, value: true },
          { set: `${producer}.persistent`, value: true },
          { set: `${producer}.confirm`, value: true },
        ],
      },
      solution: { patch: [{ set: `${queue}.type`, value: "quorum" }] },
      check: {
        id: "quorum-nothing-lost",
        kind: "all",
        label: "The quorum queue kept every order through the restart",
        checks: [
          { kind: "scenario", label: "The queue is a quorum queue", path: `${queue}.type`, equals: "quorum" },
          restarted,
          finished,
          { kind: "ledger", label: "fulfilment-service processed all 400 orders", field: "consumed", op: ">=", value: 400 },
          { kind: "ledger", id: "quorum-none-lost", label: "No order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Add `type: quorum` to the queue, or use Show me."],
      quiz: [
        {
          id: "kafka-durability",
          prompt: "A Kafka topic has replication factor 3. Which producer and topic settings make an acknowledged write survive the loss of any one broker?",
          options: [
            { text: "acks=all on the producer and min.insync.replicas=2 on the topic", correct: true },
            { text: "acks=1: the leader has written it" },
            { text: "acks=0 with retries" },
            { text: "Replication factor 3 alone, whatever acks is" },
          ],
          explanation: "With acks=1 the leader answers before the followers have the record, and a leader lost right after loses it. acks=all waits for every in-sync replica, and min.insync.replicas=2 refuses the write when only the leader is in sync, so an acknowledged record is always on at least two brokers.",
        },
        {
          id: "quorum-single-node",
          prompt: "The lesson broker is one RabbitMQ node. What does the quorum queue protect against here?",
          options: [
            { text: "A restart of the node, like a durable classic queue with persistent messages; not the loss of the node's disk", correct: true },
            { text: "The loss of the node: quorum queues are always replicated" },
            { text: "Nothing: quorum queues need at least three nodes to start" },
          ],
          explanation: "A quorum queue on one node has one replica, its majority is that replica, and its messages are on that node's disk. Replication protects against losing a node only when there are other nodes to hold the copies.",
        },
      ],
    },
  ],
  recap: [
    "A transient queue, and the messages in it, are gone after a broker restart.",
    "A durable queue survives a restart, but only its persistent messages (delivery mode 2) survive with it.",
    "Publisher confirms tell the producer which messages the broker has taken responsibility for; without them a message lost on its way goes unnoticed.",
    "Messages being processed when the broker stops are delivered again: durability goes with at-least-once delivery and idempotent consumers.",
    "Surviving the loss of a machine needs replication: quorum queues on several RabbitMQ nodes, or Kafka's replication factor with acks=all and min.insync.replicas.",
  ],
};
