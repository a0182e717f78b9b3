// Security on the real stack's RabbitMQ: the TLS listener (5671) with the stack's own CA, refused
// by a client that does not trust that CA and accepted by one that does, and users made for a run
// that may publish to one exchange and nothing else.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResolvedBroker } from "../../../lib/run/ipc";
import { loadConfig } from "../../../server/config";
import { createManagementClient } from "../../../server/brokers/rabbitmq/management";
import { createRabbitConnection } from "../../../server/brokers/rabbitmq/connection";
import { stackCaFile, stackTlsUrl } from "../../../server/brokers/rabbitmq/tls";
import { createRunUsers } from "../../../server/engine/run-users";
import { loadScenario, testEngine, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const tlsUrl = stackTlsUrl(config.RABBITMQ_URL)!;
const guestTlsUrl = tlsUrl.replace("amqps://", "amqps://guest:guest@");
const management = createManagementClient({ managementUrl: config.RABBITMQ_MANAGEMENT_URL, vhost: "/" });

/** A producer to `exchange` (bound to `queue`), a second one to `other`, and a consumer of `queue`. */
const scenarioText = (names: { exchange: string; other: string; queue: string }, broker: string, count: number) => `
version: 1
name: ${unique("security")}
brokers:
  rabbit:
${broker}
resources:
  rabbit:
    exchanges:
      - { name: ${names.exchange}, type: direct }
      - { name: ${names.other}, type: fanout }
    queues:
      - { name: ${names.queue}, type: classic, durable: false, autoDelete: false }
    bindings:
      - { exchange: ${names.exchange}, queue: ${names.queue}, routingKey: new }
services:
  - name: order-service
    producers:
      - { name: orders, broker: rabbit, to: { exchange: ${names.exchange}, routingKey: new }, rate: { perSecond: 50 }, count: ${count}, confirm: true, payload: { n: "{{seq}}" } }
      - { name: elsewhere, broker: rabbit, to: { exchange: ${names.other} }, rate: { perSecond: 5 }, count: 3, confirm: true, payload: { n: "{{seq}}" } }
  - name: inventory-service
    consumers:
      - { name: stock, broker: rabbit, from: { queue: ${names.queue} }, ack: manual }
`;

/** A connection through Brokerlab's own adapter; `initialRetries: 0` makes a refusal final at once. */
async function opened(url: string, name: string, caFile?: string) {
  const connection = createRabbitConnection({ url, name, initialRetries: 0, ...(caFile ? { caFile } : {}) });
  try {
    await connection.ready();
  } catch (error) {
    await connection.close();
    throw error;
  }
  return { connection, model: connection.current()! };
}

const names = () => ({ exchange: unique("orders"), other: unique("audit"), queue: unique("order-queue") });

describe("RabbitMQ over TLS with the stack's CA", { timeout: 120_000 }, () => {
  it("refuses the server's certificate without the CA, and connects over TLS with it", async () => {
    await assert.rejects(opened(guestTlsUrl, unique("tls-untrusted")), /SELF_SIGNED_CERT|certificate/, "Node's built-in CAs do not include the stack's");
    const name = unique("tls-probe");
    const { connection } = await opened(guestTlsUrl, name, stackCaFile());
    try {
      const listed = await waitFor(async () => (await management.connections()).find((c) => c.clientName === name), { timeoutMs: 15_000, description: "the TLS connection in the management API" });
      assert.ok(listed.tls, "the broker lists the connection as TLS");
      assert.match(listed.tls.protocol ?? "", /tlsv1\.[23]/);
      assert.ok(listed.tls.cipher, "with a cipher");
    } finally {
      await connection.close();
    }
  });

  it("a run on amqps://127.0.0.1:5671 is refused on the certificate, and runs with tlsCa: stack", async () => {
    const engine = testEngine();
    const untrusted = loadScenario(scenarioText(names(), `    kind: rabbitmq\n    url: "${guestTlsUrl}"`, 20));
    await assert.rejects(engine.start(untrusted, { limitMs: 60_000 }), /certificate/);
    const trusted = loadScenario(scenarioText(names(), `    kind: rabbitmq\n    url: "${guestTlsUrl}"\n    tlsCa: stack`, 20));
    const run = await engine.start(trusted, { durationMs: 5_000 });
    const report = await run.done();
    assert.equal(report.producers["order-service/orders"]?.confirmed, 20);
    assert.equal(report.ledger.consumed, 20, "every order consumed over TLS");
  });
});

describe("users made for a run", { timeout: 120_000 }, () => {
  it("order-service may publish to its exchange and nothing else; the user is gone after the run", async () => {
    const n = names();
    const scenario = loadScenario(scenarioText(n, `    kind: rabbitmq\n    runUsers: [{ services: [order-service], write: "^${n.exchange}$" }]`, 30));
    const run = await testEngine().start(scenario, { durationMs: 6_000 });
    const report = await run.done();
    assert.equal(report.producers["order-service/orders"]?.confirmed, 30, "the allowed publishes are confirmed");
    assert.equal(report.ledger.consumed, 30, "and delivered to the consumer, which connects as guest");
    assert.equal(report.producers["order-service/elsewhere"]?.confirmed, 0, "no publish to the other exchange is confirmed");
    const refusal = report.errors.find((line) => /ACCESS.REFUSED/.test(line) && line.includes(n.other));
    assert.ok(refusal, `the broker refused the other exchange (errors: ${report.errors.slice(0, 3).join(" | ")})`);
    assert.doesNotMatch(report.errors.join("\n"), /:[A-Za-z0-9_-]{32}@/, "no password in the run's notes");
    assert.equal(await management.deleteUser(`brokerlab-${run.id}-order-service`), false, "the run's user was deleted at teardown");
  });

  it("refuses a queue declaration and a consume to a user allowed to write to one exchange", async () => {
    const n = names();
    const broker: ResolvedBroker = { kind: "rabbitmq", url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL };
    const scenario = loadScenario(scenarioText(n, `    kind: rabbitmq\n    runUsers: [{ services: [order-service], write: "^${n.exchange}$" }]`, 1));
    const notes: string[] = [];
    const runId = unique("run");
    const users = createRunUsers({ runId, scenario, brokers: { rabbit: broker }, tell: (_b, line) => notes.push(line) });
    await users.apply();
    const admin = await opened(config.RABBITMQ_URL, unique("security-admin"));
    try {
      const setup = await admin.model.createChannel();
      await setup.assertExchange(n.exchange, "direct", { durable: false, autoDelete: true });
      await setup.assertQueue(n.queue, { durable: false, autoDelete: false });
      await setup.bindQueue(n.queue, n.exchange, "new");
      assert.doesNotMatch(notes.join("\n"), /password|:[^ ]{20,}@/, "the log names the user, not its password");
      const asUser = (users.forService("order-service", { rabbit: broker }).rabbit as { url: string }).url;
      const { connection, model } = await opened(asUser, unique("run-user"));
      try {
        const confirm = await model.createConfirmChannel();
        confirm.publish(n.exchange, "new", Buffer.from("allowed"));
        await confirm.waitForConfirms();
        const got = await waitFor(() => setup.get(n.queue, { noAck: true }), { timeoutMs: 5_000, description: "the allowed message in the queue" });
        assert.equal(got && got.content.toString(), "allowed");
        const declaring = await model.createChannel();
        declaring.on("error", () => {});
        await assert.rejects(declaring.assertQueue(unique("not-allowed")), /ACCESS_REFUSED|403/, "configure allows nothing");
        const consuming = await model.createChannel();
        consuming.on("error", () => {});
        await assert.rejects(consuming.consume(n.queue, () => {}), /ACCESS_REFUSED|403/, "read allows nothing");
      } finally {
        await connection.close().catch(() => {});
      }
      await setup.deleteQueue(n.queue);
      await setup.deleteExchange(n.exchange);
    } finally {
      await users.teardown((line) => notes.push(line));
      await admin.connection.close();
    }
    assert.equal(await management.deleteUser(`brokerlab-${runId}-order-service`), false, "teardown deleted the user");
  });
});
