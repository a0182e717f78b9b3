// Lesson 26: the course's practical exercise in real code. Brokerlab's producer fills order_queue
// and the learner's own program (pika or amqplib), run outside Brokerlab, consumes it; the checks
// read RabbitMQ's view of the queue: a consumer no Brokerlab service owns, the queue draining, and
// deliveries waiting for a manual ack (which an auto-ack consumer never leaves).
import type { Lesson } from "../schema";
import { ordersForYourConsumer } from "../scenarios/own-consumer";

// Both programs were run against the local stack's RabbitMQ by the lesson's integration test
// (tests/integration/lessons/your-own-consumer.test.ts runs these exact sources).
export const pikaConsumer = `import os
import time

import pika

URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@localhost:5672/%2F")
QUEUE = os.environ["QUEUE"]  # the queue's name in your run, as the lab shows it


def update_stock(channel, method, properties, body):
    print(f"order {body.decode()}")
    time.sleep(0.02)  # the stock update
    # Ack only once the work is done: if this program dies before, RabbitMQ delivers it again.
    channel.basic_ack(delivery_tag=method.delivery_tag)


# One connection for the whole program, not one per message.
connection = pika.BlockingConnection(pika.URLParameters(URL))
channel = connection.channel()
# Passive: check that Brokerlab's queue is there, without redeclaring it with other settings.
channel.queue_declare(queue=QUEUE, passive=True)
channel.basic_qos(prefetch_count=10)  # at most 10 orders delivered and not yet acked
channel.basic_consume(queue=QUEUE, on_message_callback=update_stock)  # auto_ack stays False
try:
    channel.start_consuming()
except KeyboardInterrupt:
    channel.stop_consuming()
connection.close()
`;

export const amqplibConsumer = `import amqp from "amqplib";

const url = process.env.RABBITMQ_URL ?? "amqp://guest:guest@localhost:5672";
const queue = process.env.QUEUE ?? "order_queue"; // the queue's name in your run, as the lab shows it

// One connection for the whole program, not one per message.
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.checkQueue(queue); // Brokerlab's queue is there; not redeclared with other settings
await channel.prefetch(10); // at most 10 orders delivered and not yet acked
await channel.consume(queue, async (message) => {
  if (!message) return; // RabbitMQ cancelled the consumer (the queue was deleted)
  console.log(\`order \${message.content.toString()}\`);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the stock update
  channel.ack(message); // only once the work is done
}, { noAck: false });
process.once("SIGINT", () => void connection.close().then(() => process.exit(0)));
`;

/** The same consumer in Java (amqp-client), a whole program; compiled by tests/integration/lessons/java-samples.test.ts. */
export const javaConsumer = `import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;

public class OrderConsumer {
    public static void main(String[] args) throws Exception {
        String url = System.getenv().getOrDefault("RABBITMQ_URL", "amqp://guest:guest@localhost:5672");
        String queue = System.getenv().getOrDefault("QUEUE", "order_queue"); // the queue's name in your run, as the lab shows it

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        // One connection for the whole program, not one per message.
        Connection connection = factory.newConnection();
        Channel channel = connection.createChannel();
        channel.queueDeclarePassive(queue); // Brokerlab's queue is there; not redeclared with other settings
        channel.basicQos(10); // at most 10 orders delivered and not yet acked
        boolean autoAck = false;
        channel.basicConsume(queue, autoAck, (consumerTag, delivery) -> {
            System.out.println("order " + new String(delivery.getBody(), StandardCharsets.UTF_8));
            try {
                Thread.sleep(20); // the stock update
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false); // only once the work is done
        }, consumerTag -> System.out.println("RabbitMQ cancelled the consumer (was the queue deleted?)"));
        // The client's threads keep the program running; Ctrl+C closes the connection.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                connection.close();
            } catch (Exception ignored) {
                // already closed
            }
        }));
    }
}
`;

export const yourOwnConsumer: Lesson = {
  id: "your-own-consumer",
  number: 26,
  kind: "lesson",
  title: "The course's exercise in real code: your own consumer",
  summary: "Brokerlab's order-service fills a queue; your own pika or amqplib program, run outside Brokerlab, drains it with manual acks, and RabbitMQ's view of the queue shows it.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "The course's exercise asks for a producer and a consumer on a local RabbitMQ. So far Brokerlab has played both parts. Here it plays only the producer: order-service sends 1,200 orders to order_queue, and the consumer is a program you write and run yourself, in Python with pika or in TypeScript with amqplib. Brokerlab does not see inside your program; the checks read what RabbitMQ says about the queue (its consumers, its depth, its unacknowledged deliveries), which is how you would watch a service you did not write.",
  steps: [
    {
      id: "nobody-consumes",
      title: "A queue nobody consumes",
      body: `The scenario has a producer and no consumer. Press **Start**: for 20 seconds order-service sends 20 orders a second to order_queue, and RabbitMQ keeps every one of them, because a queue holds messages until a consumer takes them.

Note the queue's name in the lab while the run is on: a lesson run gives its queues names of their own (order_queue followed by a dash and four letters), so that two learners never share one. Your program will need that name.`,
      scenario: { yaml: ordersForYourConsumer },
      run: { durationSeconds: 20 },
      check: {
        id: "queue-fills",
        kind: "all",
        sticky: true,
        label: "Orders pile up in a queue nobody consumes",
        checks: [
          { kind: "queueConsumers", label: "order_queue has no consumer", queue: "order_queue", op: "==", value: 0 },
          { kind: "ledger", label: "RabbitMQ confirmed at least 300 orders", field: "confirmed", op: ">=", value: 300 },
          { kind: "queueDepth", label: "At least 300 orders wait in order_queue", queue: "order_queue", op: ">=", value: 300 },
        ],
      },
      hints: ["Press Start and watch order_queue's depth grow."],
    },
    {
      id: "your-consumer",
      title: "Your consumer drains it",
      body: `Now write the consumer. Start from the code below (or from the lab's **Code** tab, which generates a whole program for any scenario's consumer; add a consumer to the scenario to see it, then remove it again before you run). Install the client: \`pip install pika\` for Python; for TypeScript, \`npm install amqplib tsx\` in a folder of its own, save the program as \`consumer.mts\` (an ES module, for the top-level \`await\`) and run it with \`npx tsx consumer.mts\`. For Java, save it as \`OrderConsumer.java\` and run it with the amqp-client and slf4j-api jars in a folder \`lib\` (\`java -cp 'lib/*' OrderConsumer.java\`), or put it in a Maven project that depends on \`com.rabbitmq:amqp-client\`.

The course's own snippets have three mistakes worth not copying:

- \`auto_ack=True\`: RabbitMQ counts a message as done the moment it sends it. With no prefetch limit it pushes the whole backlog into your program at once, so the queue looks empty while the orders sit in your program's memory; if it dies, they are gone (lesson 3). Ack by hand, after the work.
- \`queue_declare(queue='order_queue')\` with the defaults declares a non-durable queue; against a durable one RabbitMQ refuses it and closes the channel (lesson 4). Check that the queue exists (a passive declare) instead.
- The producer opens and closes a connection for every message it sends. A connection is a TCP connection with its own handshake; open one per program (lesson 5).

Press **Start** (the run lasts two minutes), let about 200 orders pile up, then start your program with \`QUEUE\` set to the queue's name in this run, for example \`QUEUE=order_queue-k3f9 python3 consumer.py\`. The check wants a consumer on the queue while no Brokerlab service consumes it, the backlog drained while orders keep arriving, and deliveries RabbitMQ saw waiting for your acknowledgement.`,
      scenario: { yaml: ordersForYourConsumer },
      run: { durationSeconds: 120 },
      code: [
        { language: "python", label: "Python (pika)", source: pikaConsumer },
        { language: "typescript", label: "TypeScript (amqplib)", source: amqplibConsumer },
        { language: "java", label: "Java (amqp-client)", source: javaConsumer },
      ],
      check: {
        id: "external-consumer",
        kind: "all",
        label: "Your program, not Brokerlab, consumed the orders and acknowledged them",
        checks: [
          {
            id: "drained",
            kind: "all",
            sticky: true,
            label: "Your consumer drained order_queue while order-service kept sending",
            checks: [
              { kind: "queueConsumers", label: "order_queue has a consumer (the scenario has none of its own)", queue: "order_queue", op: ">=", value: 1 },
              { kind: "ledger", label: "RabbitMQ confirmed at least 400 orders", field: "confirmed", op: ">=", value: 400 },
              { kind: "queueDepth", label: "At most 40 orders wait in order_queue", queue: "order_queue", op: "<=", value: 40 },
            ],
          },
          { id: "manual-acks", kind: "queueDepth", sticky: true, label: "RabbitMQ saw deliveries waiting for your program's ack (manual acks)", queue: "order_queue", field: "unacked", op: ">=", value: 1 },
        ],
      },
      hints: [
        "Start the run first: the queue exists only while a run is on. Then start your program with QUEUE set to the name the lab shows.",
        "If the queue drains but the ack part stays red, your program uses auto_ack=True (noAck: true): remove it and ack each message after the work.",
        "A PRECONDITION_FAILED error means your program redeclared the queue with other settings: use a passive declare (checkQueue in amqplib).",
      ],
      quiz: [
        {
          id: "auto-ack-empty-queue",
          prompt: "Your consumer uses auto_ack=True and order_queue shows 0 messages. What does that tell you?",
          options: [
            { text: "Every order has been processed" },
            { text: "Every order has been sent to your program; some may still wait in its memory, and are lost if it dies", correct: true },
            { text: "RabbitMQ dropped the orders because nobody acked them" },
            { text: "The producer stopped sending" },
          ],
          explanation: "With automatic acks a message is settled when RabbitMQ sends it, and without a prefetch limit RabbitMQ sends as fast as the network allows. The queue's depth then says nothing about processing; only manual acks after the work (and a prefetch limit) make the queue count what is really still to do.",
        },
        {
          id: "connection-per-message",
          prompt: "The course's producer opens a connection, publishes one message and closes the connection, for every order. What is wrong with it?",
          options: [
            { text: "Nothing: connections are cheap" },
            { text: "Each message pays for a TCP and AMQP handshake, and the churn loads the broker; open one connection per program and reuse it", correct: true },
            { text: "RabbitMQ refuses more than one connection per client" },
            { text: "Messages published on a closed connection are delivered twice" },
          ],
          explanation: "A connection costs a TCP handshake, AMQP negotiation and authentication, and memory on the broker. Programs keep one long-lived connection (with channels inside it) and reconnect when it breaks, as lesson 5 shows.",
        },
      ],
    },
  ],
  recap: [
    "A queue keeps what nobody consumes; any program that speaks AMQP can be its consumer, Brokerlab or not.",
    "RabbitMQ's view of a queue (consumers, ready and unacknowledged messages) shows what a consumer does without looking inside it.",
    "Ack by hand after the work, with a prefetch limit: auto_ack=True empties the queue into the program's memory.",
    "Check that a queue another service declared exists instead of redeclaring it with other settings, and keep one connection per program.",
  ],
};
