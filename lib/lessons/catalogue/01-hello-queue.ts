// Lesson 1: the course's first example on a real broker, and the queue as a buffer.
import type { Lesson } from "../schema";
import { steadyOrders } from "../scenarios/queues";

const typescript = `import amqp from "amqplib";

// order-service: hand each new order to the broker, then get on with the next request.
const conn = await amqp.connect("amqp://localhost");
const out = await conn.createConfirmChannel();
await out.assertQueue("order_queue", { durable: true });
const order = { orderId: 1, sku: "BOOK-1", quantity: 2 };
out.sendToQueue("order_queue", Buffer.from(JSON.stringify(order)), { persistent: true });
await out.waitForConfirms();              // the broker has it now

// inventory-service: take orders off the queue; acknowledge only after the work is done.
const inbox = await conn.createChannel();
await inbox.assertQueue("order_queue", { durable: true });
await inbox.prefetch(10);
await inbox.consume("order_queue", async (msg) => {
  if (!msg) return;
  const { sku, quantity } = JSON.parse(msg.content.toString());
  await updateStock(sku, quantity);
  inbox.ack(msg);
});`;

const python = `import json
import pika

params = pika.ConnectionParameters("localhost")

# order-service
with pika.BlockingConnection(params) as conn:
    ch = conn.channel()
    ch.confirm_delivery()                      # publish returns once the broker has it
    ch.queue_declare(queue="order_queue", durable=True)
    order = {"orderId": 1, "sku": "BOOK-1", "quantity": 2}
    ch.basic_publish(exchange="", routing_key="order_queue", body=json.dumps(order),
                     properties=pika.BasicProperties(delivery_mode=2))

# inventory-service
def on_order(ch, method, properties, body):
    order = json.loads(body)
    update_stock(order["sku"], order["quantity"])
    ch.basic_ack(delivery_tag=method.delivery_tag)   # after the work, not before

conn = pika.BlockingConnection(params)
ch = conn.channel()
ch.queue_declare(queue="order_queue", durable=True)
ch.basic_qos(prefetch_count=10)
ch.basic_consume(queue="order_queue", on_message_callback=on_order, auto_ack=False)
ch.start_consuming()`;

const java = `ConnectionFactory factory = new ConnectionFactory();
factory.setHost("localhost");

// order-service
try (Connection conn = factory.newConnection(); Channel ch = conn.createChannel()) {
    ch.confirmSelect();
    ch.queueDeclare("order_queue", true, false, false, null);
    byte[] order = "{\\"orderId\\":1,\\"sku\\":\\"BOOK-1\\",\\"quantity\\":2}".getBytes(UTF_8);
    ch.basicPublish("", "order_queue", MessageProperties.PERSISTENT_TEXT_PLAIN, order);
    ch.waitForConfirmsOrDie(5_000);
}

// inventory-service
Connection conn = factory.newConnection();
Channel ch = conn.createChannel();
ch.queueDeclare("order_queue", true, false, false, null);
ch.basicQos(10);
ch.basicConsume("order_queue", false, (tag, delivery) -> {
    updateStock(new String(delivery.getBody(), UTF_8));
    ch.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
}, tag -> { });`;

export const helloQueue: Lesson = {
  id: "hello-queue",
  number: 1,
  kind: "lesson",
  title: "Hello, queue",
  summary: "An order service and an inventory service that never call each other: a queue sits between them. Run it on RabbitMQ and watch every order arrive, at least once.",
  brokers: ["rabbitmq"],
  minutes: 10,
  intro:
    "When the order service places an order, the inventory service has to lower the stock. The order service could call it directly, but then a slow or broken inventory service slows down or breaks ordering too. Here the order service writes each order to `order_queue` on RabbitMQ and moves on; the inventory service takes orders off the queue at its own pace. Neither knows the other exists: the queue and the message format are the whole contract.",
  steps: [
    {
      id: "run-it",
      title: "Send orders through a queue",
      body: `The scenario on the right is the course's first example, written as a Brokerlab scenario: **order-service** publishes 200 orders to \`order_queue\`, and **inventory-service** consumes them with manual acknowledgements.

Press **Start**. Brokerlab declares the queue on the real RabbitMQ, starts each service as its own process and shows the counters live. The check below turns green once the broker has confirmed an order, the inventory service is subscribed to the queue, and it has acknowledged its first order.

The same two programs, written by hand with a client library, are below: in TypeScript (amqplib), Python (pika) and Java. Look for the three moves every version makes: declare the queue, publish (or consume), acknowledge.

They differ from the course's first pika example on purpose. That consumer passes \`auto_ack=True\`, so RabbitMQ forgets an order the moment it is sent and a crash loses it (lesson 3 runs exactly that); here the ack comes after the work. And its producer opens and closes a connection for every message, which costs several network round trips each time; a real service opens one connection at start-up and keeps it. The scenario you run does it this way: one connection per service, manual acks.`,
      scenario: { example: "order-inventory" },
      check: {
        id: "first-order-acked",
        kind: "all",
        label: "An order made it from order-service to inventory-service",
        checks: [
          { kind: "runMetric", label: "RabbitMQ confirmed an order from order-service", path: "producers.order-service/new-orders.confirmed", op: ">=", value: 1 },
          { kind: "queueConsumers", sticky: true, label: "inventory-service is subscribed to order_queue", queue: "order_queue", op: ">=", value: 1 },
          { kind: "runMetric", label: "inventory-service acknowledged an order", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 1 },
        ],
      },
      hints: [
        "Press Start in the run panel; the scenario is already loaded.",
        "If the run does not start, look at the stack on the home page: RabbitMQ must be up (`npm run stack:up`).",
      ],
      code: [
        { language: "typescript", label: "TypeScript (amqplib)", source: typescript },
        { language: "python", label: "Python (pika)", source: python },
        { language: "java", label: "Java (amqp-client)", source: java },
      ],
      quiz: [
        {
          id: "what-decouples",
          prompt: "order-service publishes to order_queue. What does it need to know about inventory-service?",
          options: [
            { text: "Its address, so it can send the order there" },
            { text: "Nothing: it only needs the queue's name and the message format", correct: true },
            { text: "Whether it is running right now" },
            { text: "How many replicas it has" },
          ],
          explanation: "The producer talks to the broker, not to the consumer. It needs the queue (or exchange) name and an agreed message format; the consumer may be down, slow, scaled out or replaced without the producer noticing. That is the decoupling asynchronous messaging buys.",
        },
      ],
    },
    {
      id: "every-order",
      title: "Every order arrives: at least once, here once",
      body: `Let the run finish: it stops on its own once the producer has sent its 200 orders and the queue is empty.

Brokerlab keeps a **ledger** of every message id: confirmed by the broker, consumed by a consumer, and the difference: **pending** while the run goes on (waiting in the queue or being processed), **lost** once nothing can deliver them any more. It is exact, not sampled. It also counts **duplicated**: orders processed a second time.

RabbitMQ with manual acknowledgements promises **at-least-once** delivery, not exactly-once. A message whose ack never reaches the broker (the consumer died after the work and before the ack, or its connection dropped) is delivered again, and the work is done twice. In a calm run like this one nothing of the sort happens, so the check wants the run finished, all 200 orders acknowledged, none lost **and none duplicated**; step 4 shows where duplicates can come from.

While it runs, watch the depth of \`order_queue\`: it stays near zero, because the inventory service (about 60 orders a second) is faster than the order service (40 a second).`,
      check: {
        id: "all-orders-processed",
        kind: "all",
        label: "All 200 orders processed, none lost",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "inventory-service acknowledged 200 orders", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 200 },
          { kind: "ledger", label: "The ledger shows no lost order", field: "lost", op: "==", value: 0 },
          { kind: "ledger", label: "…and no order processed twice in this run", field: "duplicated", op: "==", value: 0 },
        ],
      },
      hints: [
        "The run from the previous step counts; if it has finished, this check is already decided.",
        "If you stopped the run early, press Start again and let it end by itself.",
      ],
      quiz: [
        {
          id: "queue-holds",
          prompt: "What happens to an order when inventory-service is slower than order-service?",
          options: [
            { text: "order-service blocks until inventory-service catches up" },
            { text: "RabbitMQ drops the orders it cannot deliver" },
            { text: "The order waits in order_queue until a consumer takes it", correct: true },
            { text: "The order is sent back to order-service" },
          ],
          explanation: "A queue stores messages until a consumer takes them. A slow consumer makes the queue longer and the wait longer, but the producer carries on at its own pace. (Queues can be capped with a maximum length or a TTL; then the broker drops or dead-letters the overflow, but only when you ask for it.)",
        },
        {
          id: "at-least-once",
          prompt: "inventory-service acknowledges each order after updating the stock. What can RabbitMQ promise about each order?",
          options: [
            { text: "It is processed exactly once, whatever happens" },
            { text: "It is processed at least once: a crash or a dropped connection between the work and the ack makes RabbitMQ deliver it again", correct: true },
            { text: "It is processed at most once" },
          ],
          explanation: "The broker only knows what was acknowledged. If the ack is lost (the process died right after the work, or the connection broke), the order is still unacknowledged and goes to a consumer again: the stock is lowered twice unless the consumer recognises the order id. Exactly-once processing is something the consumer builds (lesson 11), not something the broker gives.",
        },
      ],
    },
    {
      id: "queue-buffers",
      title: "Stop the consumer, keep the orders",
      body: `This scenario sends 300 orders at 20 a second, so the run lasts about 15 seconds. Press **Start**, then, while orders are flowing, press **Kill** next to inventory-service in the run panel. Brokerlab sends the process a SIGKILL: no goodbye, as in a crash.

Watch \`order_queue\`: with nobody consuming, every new order stays in the queue. The check turns green once inventory-service has been killed and the queue holds at least 20 orders. Meanwhile order-service notices nothing; its publishes are still confirmed.`,
      scenario: { yaml: steadyOrders },
      check: {
        id: "queue-holds-orders",
        kind: "all",
        label: "Orders wait in the queue while inventory-service is down",
        checks: [
          { kind: "replicaState", sticky: true, label: "inventory-service was killed", service: "inventory-service", state: "killed" },
          { kind: "queueDepth", sticky: true, label: "order_queue held at least 20 orders", queue: "order_queue", op: ">=", value: 20 },
        ],
      },
      hints: [
        "The Kill button is in the Services list of the run panel, next to inventory-service. It only works while the run is on.",
        "Kill it early: the producer stops after 300 orders, about 15 seconds in.",
        "The queue's depth is read from RabbitMQ's management API about once a second.",
      ],
    },
    {
      id: "catch-up",
      title: "Start it again and let it catch up",
      body: `Press **Start** next to inventory-service. A new process connects, subscribes to \`order_queue\` and works through the backlog: the depth drops back to zero while new orders keep arriving.

The check turns green when this same run (the one in which inventory-service was restarted) has finished with the queue empty and nothing lost. No order went missing while the consumer was away: the queue held them.

Look at the ledger's **duplicated** too. The orders the killed process held unacknowledged went back to the queue and were delivered again; if the kill fell between finishing an order and acknowledging it, that order was processed twice and duplicated is above zero. That is at-least-once delivery at work.`,
      check: {
        id: "backlog-drained",
        kind: "all",
        label: "The restarted consumer worked through the backlog",
        checks: [
          { kind: "replicaState", label: "inventory-service was restarted in this run", service: "inventory-service", minRestarts: 1 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "queueDepth", label: "order_queue is empty", queue: "order_queue", op: "==", value: 0 },
          // The ledger, not the ack counter: a killed process's last counters never reach the engine.
          { kind: "ledger", label: "All 300 orders were processed", field: "consumed", op: ">=", value: 300 },
          { kind: "ledger", label: "The ledger shows no lost order", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: [
        "Use the Start button next to inventory-service in the run panel while the run of the previous step is still on.",
        "If that run has ended, start it again from the previous step, kill inventory-service, then start it.",
      ],
    },
  ],
  recap: [
    "A producer publishes to the broker, not to a consumer; the queue and the message format are the contract.",
    "Publisher confirms tell the producer the broker has a message; manual acknowledgements tell the broker the consumer is done with it.",
    "Manual acks give at-least-once delivery: a lost ack means a second delivery, so duplicates are possible even when this run had none.",
    "A queue absorbs the difference in speed, and the absence, of its consumers: messages wait instead of being lost.",
    "Brokerlab's ledger checks every message id end to end: confirmed, consumed, lost.",
  ],
};
