// Lesson 5: when the broker is not where, or not who, you think; and when it goes away mid-run.
import type { Lesson } from "../schema";
import { longOrders } from "../scenarios/queues";
import { wrongPortRabbitUrl } from "../teaching-endpoints";

export const connectionTrouble: Lesson = {
  id: "connection-trouble",
  number: 5,
  kind: "lesson",
  title: "Connection trouble",
  summary: "A wrong port, wrong credentials, and a broker that disappears mid-run: what each looks like, and how clients recover with backoff.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "\"Make sure the broker is running and reachable\" is the first item on every troubleshooting list, because the failure is so common. It comes in three shapes: nothing listens where you connect (wrong host or port, broker down), something listens but refuses you (credentials, virtual host), or the connection was fine and then dropped. The first two should fail fast with a clear message; the third needs a client that reconnects with backoff.",
  steps: [
    {
      id: "wrong-port",
      title: "Nothing listens on that port",
      body: `The scenario on the right is the working hello-queue pair. Point it at a port where nothing listens: under \`brokers\`, give \`rabbit\` the address \`url: "amqp://guest:guest@127.0.0.1:5999"\` (RabbitMQ's AMQP port is 5672; the management API, 15672, is a different protocol altogether).

Press **Start**. The connection is refused before anything is declared, and the run fails with BROKER_UNAVAILABLE and the address it tried. (The lesson assumes the local stack on 127.0.0.1; Brokerlab refuses broker addresses it was not configured for, and port 5999 is the one exception the lessons use.)`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: "brokers.rabbit.url", value: wrongPortRabbitUrl }] },
      check: {
        id: "refused-connection",
        kind: "runError",
        label: "The run failed because nothing answered on port 5999",
        code: "BROKER_UNAVAILABLE",
        message: "not reachable",
      },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqp://guest:guest@127.0.0.1:5999\" }` under brokers, then Start. Or use Show me.", "The error names the address (with the password hidden) and the fix."],
      quiz: [
        {
          id: "econnrefused",
          prompt: "A client gets ECONNREFUSED. What does it tell you?",
          options: [
            { text: "The user name or password is wrong" },
            { text: "Nothing accepted a TCP connection at that host and port", correct: true },
            { text: "The queue does not exist" },
            { text: "The broker is overloaded and dropped the message" },
          ],
          explanation: "Connection refused happens before any AMQP is spoken: no process listens there (broker down, wrong port, wrong host). Authentication errors come later, in the AMQP handshake.",
        },
      ],
    },
    {
      id: "wrong-credentials",
      title: "Somebody answers, but not to you",
      body: `Back to the right port, now with the wrong password: give \`rabbit\` the address \`url: "amqp://guest:not-the-password@127.0.0.1:5672"\`. The TCP connection succeeds, the AMQP handshake begins, and RabbitMQ refuses the login (ACCESS_REFUSED).

Press **Start** and read the difference in the error: this one will not fix itself by retrying, so Brokerlab marks it as not retriable.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: "brokers.rabbit.url", value: "amqp://guest:not-the-password@127.0.0.1:5672" }] },
      check: {
        id: "refused-login",
        kind: "runError",
        label: "RabbitMQ refused the credentials",
        code: "BROKER_UNAVAILABLE",
        message: "credentials",
      },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqp://guest:not-the-password@127.0.0.1:5672\" }` under brokers, then Start. Or use Show me."],
      quiz: [
        {
          id: "retry-which",
          prompt: "Which of these failures is worth retrying automatically, with backoff?",
          options: [
            { text: "ACCESS_REFUSED: wrong password" },
            { text: "Connection refused while the broker restarts", correct: true },
            { text: "PRECONDITION_FAILED on a queue declaration" },
            { text: "A scenario that names an undeclared queue" },
          ],
          explanation: "Retry what time can fix: a broker restarting, a network blip. A wrong password or a conflicting declaration fails the same way every time; retrying only hides the problem and hammers the broker.",
        },
      ],
    },
    {
      id: "broker-restart",
      title: "The broker goes away and comes back",
      body: `This scenario runs for a minute. Press **Start**, then stop RabbitMQ while orders flow, from a terminal in the project:

\`npm run stack:down -- rabbitmq\`, wait a few seconds, then \`npm run stack:up -- rabbitmq\`.

The services see their connections drop and reconnect with capped exponential backoff (with jitter, so a crowd of clients does not return in lockstep). The check turns green once a service has been seen reconnecting, is connected again, and has acknowledged orders **after** the outage (the acks before it do not count). Stopping a shared broker affects every run on it, so do this on your own stack.`,
      scenario: { yaml: longOrders },
      check: {
        id: "reconnected",
        kind: "all",
        label: "A service lost RabbitMQ and reconnected",
        checks: [
          { kind: "connectionState", sticky: true, label: "inventory-service was reconnecting", service: "inventory-service", broker: "rabbit", state: "reconnecting" },
          { kind: "connectionState", label: "inventory-service is connected again", service: "inventory-service", broker: "rabbit", state: "connected" },
          // Acks counted after the outage: a pause of 3 s or more between two acks, and 20 acks after it.
          { kind: "resumedAfterGap", label: "Orders are processed again after the outage (20 acks after a pause of 3 s or more)", consumer: "inventory-service/update-stock", gapSeconds: 3, atLeast: 20 },
        ],
      },
      hints: [
        "Stop RabbitMQ with `npm run stack:down -- rabbitmq` while the run is on, then start it with `npm run stack:up -- rabbitmq`.",
        "The home page shows RabbitMQ turn red and back to green at the same time.",
      ],
    },
  ],
  recap: [
    "Connection refused: nothing listens there; check host, port and whether the broker runs.",
    "ACCESS_REFUSED: the broker answered and refused you; check user, password and virtual host. Do not retry blindly.",
    "A dropped connection is normal life: reconnect with capped exponential backoff and jitter, then redeclare and resubscribe.",
  ],
};
