// Lesson 31: security in practice, on the local stack's RabbitMQ. TLS with a certificate authority
// the stack made (refused until the client trusts it, then seen as TLS in the broker's connection
// list), users made for the run with the least they need (the broker refuses the rest), and what
// OAuth 2 tokens and IAM policies change in managed brokers.
import type { Lesson } from "../schema";
import { ordersAndAudit } from "../scenarios/security";

const url = "brokers.rabbit.url";
const tlsUrl = "amqps://guest:guest@127.0.0.1:5671";
const orderServiceUser = { services: ["order-service"], write: "^orders$" };
const inventoryServiceUser = { services: ["inventory-service"], read: "^order_queue$" };

const amqplibTls = `import { readFileSync } from "node:fs";
import amqp from "amqplib";

// amqps:// asks for TLS. Node checks the server's certificate against its built-in list of
// authorities; \`ca\` adds the local stack's own CA to what this connection trusts.
const connection = await amqp.connect("amqps://guest:guest@127.0.0.1:5671", {
  ca: [readFileSync(".stack/rabbitmq/tls/ca.pem")],
});`;

const pikaTls = `import ssl

import pika

# Trust the local stack's CA; the host name is checked against the certificate (127.0.0.1, localhost).
context = ssl.create_default_context(cafile=".stack/rabbitmq/tls/ca.pem")
parameters = pika.ConnectionParameters(
    host="127.0.0.1",
    port=5671,
    credentials=pika.PlainCredentials("guest", "guest"),
    ssl_options=pika.SSLOptions(context, "127.0.0.1"),
)
connection = pika.BlockingConnection(parameters)`;

export const securityInPractice: Lesson = {
  id: "security-in-practice",
  number: 31,
  kind: "lesson",
  title: "Security in practice: TLS, least privilege, tokens and policies",
  summary: "Connect over TLS to a broker whose certificate a local CA signed, give each service a user that may do only its job and watch RabbitMQ refuse the rest, then see what OAuth 2 tokens and IAM policies add in managed brokers.",
  brokers: ["rabbitmq"],
  minutes: 25,
  intro:
    "Lesson 17 showed the refusals at the door: a wrong password, a virtual host you may not open, TLS spoken to a plain port. This lesson sets up the protections themselves. The local stack's RabbitMQ also listens for TLS on port 5671, with a server certificate signed by a certificate authority (CA) that Brokerlab made for this stack; its files are in the stack's folder, `.stack/rabbitmq/tls/`, and never in the repository. Then each service gets a user of its own, made for the run through the management API and deleted when the run ends, with permissions for its own job and nothing more.",
  steps: [
    {
      id: "tls-untrusted",
      title: "TLS to a server you do not trust yet",
      body: `Give \`rabbit\` the TLS address: \`url: "${tlsUrl}"\` under \`brokers\`. This time the port speaks TLS, so the handshake starts. The server sends its certificate, and the client checks two things: that a CA it trusts signed it, and that it names the host the client asked for (127.0.0.1).

The certificate names the right host, but it is signed by the stack's own CA, which is not in Node's built-in list of authorities. Press **Start** and read why the client hangs up. Refusing is correct here: a client that accepted any certificate would also accept one from whoever sits between it and the broker, and TLS would then encrypt the traffic for that middleman.`,
      scenario: { example: "order-inventory" },
      solution: { example: "order-inventory", patch: [{ set: url, value: tlsUrl }] },
      check: {
        id: "untrusted-ca-refused",
        kind: "any",
        label: "The client refused the server's certificate",
        checks: [
          { id: "certificate-refused", kind: "runError", label: "The connection failed on the certificate", code: "BROKER_UNAVAILABLE", message: "certificate" },
          { kind: "runError", label: "The handshake failed on the certificate", code: "INTERNAL", message: "certificate" },
        ],
      },
      hints: [`Write \`rabbit: { kind: rabbitmq, url: "${tlsUrl}" }\` under brokers, then Start. Or use Show me.`],
      quiz: [
        {
          id: "why-refuse-unknown-ca",
          prompt: "The client refused a certificate that names the right host. Why is that the right behaviour?",
          options: [
            { text: "Anyone can make a certificate for 127.0.0.1; only the signature of a trusted CA shows that this one belongs to the real broker", correct: true },
            { text: "Certificates for IP addresses are not allowed" },
            { text: "The broker asked for a client certificate" },
            { text: "TLS 1.3 does not work with RabbitMQ" },
          ],
          explanation: "A certificate is a claim (this key belongs to 127.0.0.1), and anyone can write that claim. The CA's signature is what makes it believable, so a client accepts only signatures from CAs it was told to trust. Turning verification off (rejectUnauthorized: false, or ssl.CERT_NONE in Python) makes the error go away and leaves the connection open to a man in the middle.",
        },
      ],
    },
    {
      id: "tls-trusted",
      title: "Trust the stack's CA",
      body: `Tell the client which CA to trust: add \`tlsCa: stack\` to \`rabbit\` (next to its \`url\`). Brokerlab then gives the CA's certificate (\`.stack/rabbitmq/tls/ca.pem\`) to amqplib for every connection to this broker, as the code below does in your own programs. The CA's certificate is public; the server's private key stays with the broker.

Press **Start**. The check asks RabbitMQ's management API for the run's connections: each one lists \`ssl: true\`, the TLS version and the cipher. The messages, and the password sent when the connection opens, now cross the network encrypted.`,
      scenario: { example: "order-inventory", patch: [{ set: url, value: tlsUrl }] },
      solution: { example: "order-inventory", patch: [{ set: url, value: tlsUrl }, { set: "brokers.rabbit.tlsCa", value: "stack" }] },
      run: { durationSeconds: 12 },
      code: [
        { language: "typescript", label: "TypeScript (amqplib)", source: amqplibTls },
        { language: "python", label: "Python (pika)", source: pikaTls },
      ],
      check: {
        id: "tls-connections",
        kind: "all",
        label: "Both services talk to RabbitMQ over TLS",
        checks: [
          { id: "order-service-tls", kind: "brokerConnections", sticky: true, label: "RabbitMQ lists order-service's connection as TLS", service: "order-service", broker: "rabbit", tls: true },
          { id: "inventory-service-tls", kind: "brokerConnections", sticky: true, label: "RabbitMQ lists inventory-service's connection as TLS", service: "inventory-service", broker: "rabbit", tls: true },
          { kind: "runMetric", label: "inventory-service acknowledged all 200 orders", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 200 },
        ],
      },
      hints: ["`tlsCa: stack` goes inside the broker entry: `rabbit: { kind: rabbitmq, url: \"amqps://guest:guest@127.0.0.1:5671\", tlsCa: stack }`. Or use Show me."],
      quiz: [
        {
          id: "tls-and-permissions",
          prompt: "Every connection now uses TLS. What does that still leave open?",
          options: [
            { text: "Nothing: an encrypted connection is a secure one" },
            { text: "What a connected user may do: with guest, any service may publish anywhere and read every queue", correct: true },
            { text: "The messages can still be read on the wire" },
          ],
          explanation: "TLS protects the wire: nobody between the service and the broker can read or change the traffic, and the client knows it talks to the real broker. It says nothing about what the user at the other end may do once connected. That is the next step.",
        },
      ],
    },
    {
      id: "least-privilege",
      title: "A user that may publish to one exchange",
      body: `A new scenario: order-service publishes orders to the \`orders\` exchange and audit records to the \`audit\` exchange, and inventory-service consumes \`order_queue\`. All of them connect as guest, which may do anything.

RabbitMQ grants a user three permissions per virtual host, each a regular expression over exchange and queue names:
- **configure**: declare and delete exchanges and queues;
- **write**: publish to an exchange (and bind a queue, which needs write on the queue);
- **read**: consume from a queue, and get or purge it.

order-service's job is to publish orders. Give it a user of its own with exactly that: add \`runUsers: [{ services: [order-service], write: "^orders$" }]\` to \`rabbit\` (configure and read left out allow nothing, \`^$\`). Brokerlab creates the user through the management API with a random password that never leaves the server, and deletes it when the run ends; the run's log names the user only.

Before you press **Start**, predict what happens to the audit records.`,
      scenario: { yaml: ordersAndAudit },
      solution: { yaml: ordersAndAudit, patch: [{ set: "brokers.rabbit.runUsers", value: [orderServiceUser] }] },
      run: { durationSeconds: 20 },
      predict: {
        prompt: "order-service sends 10 audit records to the audit exchange. How many does RabbitMQ confirm?",
        metric: "producers.order-service/audit-records.confirmed",
        options: [
          { text: "All 10: the user is only about which exchanges it may declare", min: 10 },
          { text: "Some of them", min: 1, max: 9 },
          { text: "None: the broker refuses every publish to audit", min: 0, max: 0 },
        ],
        explanation: "Publishing to an exchange needs write permission on it, and the user's write pattern `^orders$` matches orders alone. RabbitMQ closes the channel with 403 ACCESS_REFUSED at each attempt, so none of the 10 is confirmed, while the orders flow as before. Had the user also tried to declare a queue, the broker would have refused that too: its configure pattern allows nothing.",
      },
      check: {
        id: "least-privilege-refusal",
        kind: "all",
        label: "order-service may publish orders and nothing else",
        checks: [
          { id: "own-user", kind: "brokerConnections", sticky: true, label: "order-service connects as a user made for the run", service: "order-service", broker: "rabbit", runUser: true },
          { id: "refused", kind: "runNote", label: "RabbitMQ refused the publish to audit (ACCESS_REFUSED)", message: "ACCESS.REFUSED.*exchange 'audit" },
          { kind: "runMetric", label: "inventory-service acknowledged 50 orders or more", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 50 },
        ],
      },
      hints: [
        "Write `rabbit: { kind: rabbitmq, runUsers: [{ services: [order-service], write: \"^orders$\" }] }` under brokers. Or use Show me.",
        "The refusal shows in the run's log as `access refused (… 403 (ACCESS-REFUSED) …)`. In a real system the audit writer would be a service of its own with its own user.",
      ],
      quiz: [
        {
          id: "least-privilege-why",
          prompt: "Why give order-service a user limited to the orders exchange, if it is your own code?",
          options: [
            { text: "A bug or a compromised service can then only do what the service's job needs: it cannot read other queues or delete them", correct: true },
            { text: "A limited user makes publishing faster" },
            { text: "RabbitMQ requires one user per exchange" },
          ],
          explanation: "Least privilege limits the damage of a mistake or a break-in to what the service needed anyway. With guest, a leaked password lets anyone read every queue, delete them, or publish fake orders from anywhere guest is allowed to connect.",
        },
      ],
    },
    {
      id: "tokens-and-policies",
      title: "Tokens and policies in managed brokers",
      body: `Passwords per service have a cost: someone has to create them, store them and change them. Two mechanisms carry the same permissions without long-lived passwords.

**OAuth 2 tokens (RabbitMQ's OAuth 2 plugin).** A service gets a short-lived access token (a signed JWT) from an identity provider such as Keycloak, and presents it as the password when it connects. RabbitMQ checks the signature with the provider's public keys and reads the permissions from the token's **scopes**, for example \`rabbitmq.write:*/orders\` (write, any vhost, resources named orders) or \`rabbitmq.read:*/order_queue\`. The scope patterns use \`*\` wildcards, not regular expressions. When the token expires, the broker closes the connection unless the client has sent it a fresh token; access is removed by not issuing more tokens, with no password to change anywhere.

**IAM policies (Amazon SQS and SNS).** Requests are signed with credentials that a service's role receives for a short time, and policies decide what each request may do. An identity policy attached to the role allows actions on resources, such as \`sns:Publish\` on the orders topic's ARN. A resource policy on a queue or topic says who may use it: the queue that an SNS topic delivers to must allow \`sqs:SendMessage\` to the SNS service for that topic's ARN (the \`aws:SourceArn\` condition). An explicit Deny in any policy wins.

Try the first idea here: this token's scope is \`rabbitmq.read:*/order_queue\`. Give inventory-service the same permission as a run user of its own: add \`{ services: [inventory-service], read: "^order_queue$" }\` to \`runUsers\`, press **Start**, and check that it still consumes every order.`,
      scenario: { yaml: ordersAndAudit, patch: [{ set: "brokers.rabbit.runUsers", value: [orderServiceUser] }] },
      solution: { yaml: ordersAndAudit, patch: [{ set: "brokers.rabbit.runUsers", value: [orderServiceUser, inventoryServiceUser] }] },
      run: { durationSeconds: 20 },
      check: {
        id: "scope-as-permission",
        kind: "all",
        label: "inventory-service consumes with read permission on order_queue alone",
        checks: [
          { id: "inventory-own-user", kind: "brokerConnections", sticky: true, label: "inventory-service connects as a user made for the run", service: "inventory-service", broker: "rabbit", runUser: true },
          { kind: "runMetric", label: "inventory-service acknowledged 50 orders or more", path: "consumers.inventory-service/update-stock.acked", op: ">=", value: 50 },
        ],
      },
      hints: ["`runUsers` is a list: keep order-service's entry and add `{ services: [inventory-service], read: \"^order_queue$\" }` after it. Or use Show me."],
      quiz: [
        {
          id: "scope-meaning",
          prompt: "A service's token carries the scope rabbitmq.write:*/orders. What may it do?",
          options: [
            { text: "Publish to the exchange named orders, in any virtual host", correct: true },
            { text: "Consume from every queue whose name starts with orders" },
            { text: "Declare the orders exchange" },
            { text: "Anything, as long as the token has not expired" },
          ],
          explanation: "The scope names the permission (write), the vhost pattern (*) and the resource pattern (orders), the same three parts as the write permission `^orders$` you gave order-service. Declaring would need a configure scope, consuming a read scope.",
        },
        {
          id: "iam-resource-policy",
          prompt: "An SNS topic should deliver to an SQS queue in the same account. Besides the subscription, what does the queue need?",
          options: [
            { text: "A queue policy that allows sqs:SendMessage to the SNS service, on the condition that the source is this topic's ARN", correct: true },
            { text: "Nothing: services of the same account trust each other" },
            { text: "A password for the topic" },
            { text: "A policy that allows sns:Publish on the queue" },
          ],
          explanation: "The topic sends to the queue, so the queue's resource policy must let the SNS service send, and the aws:SourceArn condition keeps other topics out. sns:Publish is the permission of whoever publishes to the topic, not of the topic itself.",
        },
      ],
    },
  ],
  recap: [
    "TLS protects the wire only if the client verifies the server: trust the CA that signed it (amqplib `ca`, Python's ssl context); never switch verification off.",
    "RabbitMQ's permissions are three regular expressions per user and vhost: configure (declare, delete), write (publish), read (consume).",
    "Give each service a user with the least its job needs; the broker refuses the rest with 403 ACCESS_REFUSED.",
    "OAuth 2 tokens carry those permissions as scopes and expire on their own; IAM policies do the same for SQS and SNS, on roles and on the queues and topics themselves.",
  ],
};
