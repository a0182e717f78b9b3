// Lesson 17: credentials, virtual hosts and permissions, TLS: what each refusal looks like.
import type { Lesson } from "../schema";

const url = "brokers.rabbit.url";

export const security: Lesson = {
  id: "security",
  number: 17,
  kind: "lesson",
  title: "Security: credentials, virtual hosts, TLS",
  summary: "Authenticate who connects, limit what they may touch with virtual hosts and permissions, and encrypt the wire with TLS. Watch the broker refuse each mistake.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "A broker carries your business events, so treat it like a database: every service gets its own user (never the default guest, which RabbitMQ only allows from localhost), each environment or tenant gets its own **virtual host** with permissions per user (configure, write, read, as patterns over resource names), and traffic is encrypted with TLS (`amqps://`, port 5671) with certificates verified on both sides. Brokerlab's classroom mode will give each learner a vhost and user of their own in the same way. These steps assume the local stack on 127.0.0.1.",
  steps: [
    {
      id: "credentials",
      title: "Authentication: the wrong password",
      body: `The scenario on the right connects as guest with the right password and runs. Change the password in the broker's address: give \`rabbit\` the address \`url: "amqp://guest:wrong-password@127.0.0.1:5672"\` under \`brokers\`. RabbitMQ accepts the TCP connection, runs the AMQP handshake, and refuses the login. Press **Start** and read the refusal.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: url, value: "amqp://guest:wrong-password@127.0.0.1:5672" }] },
      check: { id: "login-refused", kind: "runError", label: "RabbitMQ refused the login", code: "BROKER_UNAVAILABLE", message: "credentials" },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqp://guest:wrong-password@127.0.0.1:5672\" }` under brokers, then Start. Or use Show me."],
      quiz: [
        {
          id: "guest-user",
          prompt: "Why should production services not use RabbitMQ's default guest user?",
          options: [
            { text: "Its password is well known, and RabbitMQ only lets it connect from localhost anyway", correct: true },
            { text: "It is slower" },
            { text: "It cannot publish to exchanges" },
            { text: "Its messages are not persisted" },
          ],
          explanation: "guest/guest is public knowledge; RabbitMQ restricts it to loopback connections for that reason. Give each service its own user with its own secret, so access can be limited and revoked per service.",
        },
      ],
    },
    {
      id: "vhost",
      title: "Authorisation: a virtual host you may not use",
      body: `Now keep the right password and ask for a virtual host that does not exist: give \`rabbit\` the address \`url: "amqp://guest:guest@127.0.0.1:5672/no-such-vhost"\`. A virtual host is a separate namespace of exchanges, queues and permissions; a user may open only the vhosts they were granted.

The vhost is the part of the URL after the host's slash: here it is named \`no-such-vhost\`, with no slash of its own. (The default vhost is named \`/\`; in a URL it is written \`%2F\`, as in \`amqp://guest:guest@127.0.0.1:5672/%2F\`, or left out.)

Press **Start**. The broker closes the connection while opening it (NOT_ALLOWED): the client sees a ConnectionClose where it expected ConnectionOpenOk. The same happens for a vhost that exists but where the user has no permissions.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: url, value: "amqp://guest:guest@127.0.0.1:5672/no-such-vhost" }] },
      // The refusal comes as a closed connection; the adapter may report it as either code.
      check: {
        id: "vhost-refused",
        kind: "any",
        label: "RabbitMQ refused to open the virtual host",
        checks: [
          { kind: "runError", label: "The connection was closed while opening", code: "INTERNAL", message: "ConnectionClose|NOT.ALLOWED|vhost" },
          { kind: "runError", label: "The broker refused the virtual host", code: "BROKER_UNAVAILABLE", message: "ConnectionClose|NOT.ALLOWED|vhost" },
        ],
      },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqp://guest:guest@127.0.0.1:5672/no-such-vhost\" }` under brokers, then Start. Or use Show me."],
      quiz: [
        {
          id: "vhost-what",
          prompt: "What does a RabbitMQ virtual host give you?",
          options: [
            { text: "A separate namespace of exchanges, queues and bindings, with its own user permissions", correct: true },
            { text: "A second RabbitMQ process" },
            { text: "Encryption between the client and the broker" },
            { text: "A faster network path" },
          ],
          explanation: "Vhosts isolate tenants or environments inside one broker: the same queue name can exist in two vhosts, and a user's configure/write/read permissions are granted per vhost.",
        },
      ],
    },
    {
      id: "tls",
      title: "Encryption: TLS to a plain-text port",
      body: `\`amqps://\` asks for TLS. Change the scheme of the broker's address: \`url: "amqps://guest:guest@127.0.0.1:5672"\`. Pointed at port 5672, which speaks plain AMQP, the TLS handshake fails at once (the client gets an answer that is not TLS at all). TLS has a port of its own, 5671 by convention: the local stack's RabbitMQ listens there too, with a certificate from a CA the stack made, and lesson 31 connects to it and checks that certificate.

Press **Start** and read the handshake error.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: url, value: "amqps://guest:guest@127.0.0.1:5672" }] },
      check: {
        id: "tls-mismatch",
        kind: "any",
        label: "The TLS handshake failed against a plain-text port",
        checks: [
          { kind: "runError", label: "The handshake failed", code: "INTERNAL", message: "SSL|TLS|wrong version|EPROTO" },
          { kind: "runError", label: "The broker was unreachable over TLS", code: "BROKER_UNAVAILABLE", message: "SSL|TLS|wrong version|EPROTO" },
        ],
      },
      hints: ["Write `rabbit: { kind: rabbitmq, url: \"amqps://guest:guest@127.0.0.1:5672\" }` under brokers, then Start. Or use Show me."],
      quiz: [
        {
          id: "tls-why",
          prompt: "What does TLS between a service and the broker protect against?",
          options: [
            { text: "Someone on the network reading or altering messages and credentials", correct: true },
            { text: "A consumer crashing mid-message" },
            { text: "Messages arriving out of order" },
            { text: "A user with too many permissions" },
          ],
          explanation: "Without TLS, AMQP carries the login and every message in clear text. TLS encrypts and authenticates the connection (and, with client certificates, can authenticate the service too). Permissions are a separate layer: TLS says who you are talking to, not what they may do.",
        },
      ],
    },
  ],
  recap: [
    "Authentication: one user per service, never guest in production, secrets kept out of code.",
    "Authorisation: virtual hosts separate tenants and environments; permissions limit each user within them.",
    "Encryption: amqps:// on port 5671 with verified certificates; plain AMQP sends credentials in clear text.",
  ],
};
