// Small pure parts of the fault machinery: x-death in words, producers resuming after a restart,
// the Kafka socket factory that sends every broker address to its proxy, unsafe keys.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { describeXDeath } from "../../../lib/run/x-death";
import { unsafeKeyPaths } from "../../../lib/scenario/schema";
import { redirectingSocketFactory } from "../../../server/brokers/kafka/client";
import { withHeartbeat } from "../../../server/brokers/rabbitmq/connection";
import { createProducerProgress } from "../../../server/faults/producer-progress";

describe("x-death in words", () => {
  it("lists each dead-lettering, newest first, with where the message had been published", () => {
    const header = [
      { count: 1, reason: "rejected", queue: "payments", exchange: "", "routing-keys": ["payments"], time: { "!": "timestamp", value: 1 } },
      { count: 3, reason: "expired", queue: "payments.retry.100", exchange: "", "routing-keys": [Buffer.from("payments.retry.100")] },
    ];
    assert.equal(describeXDeath(header), "x-death: rejected from payments ×1 (published to the default exchange, routing key payments); expired from payments.retry.100 ×3 (published to the default exchange, routing key payments.retry.100)");
    assert.equal(describeXDeath(undefined), undefined);
    assert.equal(describeXDeath([]), undefined);
  });
});

describe("producer progress", () => {
  it("a restarted replica continues after its last confirmed seq", () => {
    const progress = createProducerProgress((service) => (service === "shop" ? 2 : 0));
    progress.confirmed(["shop/orders/1", "shop/orders/3", "shop/orders/2", "shop/orders/7", "shop/orders/4", "shop/cart/1", "other/x/9", "shop/charge/shop/orders/1", "shop/orders/poison-3"]);
    assert.deepEqual(progress.resume("shop", 0, ["orders", "cart", "none"]), { orders: 4, cart: 1 }, "replica 0 sent seqs 1, 3, 5, 7");
    assert.deepEqual(progress.resume("shop", 1, ["orders"]), { orders: 2 }, "replica 1 sent seqs 2, 4");
  });
});

describe("the Kafka socket factory", () => {
  it("connects to the proxy of every known broker address and reports unknown ones once", async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const unknown: string[] = [];
    const factory = redirectingSocketFactory({ "kafka-1.internal:9092": `127.0.0.1:${port}` }, (address) => unknown.push(address));
    const connected = await new Promise<number>((resolve, reject) => {
      const socket = factory({ host: "kafka-1.internal", port: 9092, ssl: false as never, onConnect: () => { resolve(socket.remotePort!); socket.destroy(); } });
      socket.on("error", reject);
    });
    assert.equal(connected, port);
    for (let i = 0; i < 2; i++) factory({ host: "127.0.0.1", port: 1, ssl: false as never, onConnect: () => {} }).on("error", () => {});
    assert.deepEqual(unknown, ["127.0.0.1:1"]);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("small guards", () => {
  it("finds __proto__ keys at any depth, safely with cycles", () => {
    const value = JSON.parse('{"a": [{"__proto__": {"x": 1}}], "b": {"c": 1}}') as Record<string, unknown>;
    (value.b as Record<string, unknown>).self = value;
    assert.deepEqual(unsafeKeyPaths(value), [["a", 0, "__proto__"]]);
  });

  it("gives RabbitMQ connections a heartbeat unless the URL has one", () => {
    assert.equal(withHeartbeat("amqp://guest:guest@127.0.0.1:5672", 10), "amqp://guest:guest@127.0.0.1:5672?heartbeat=10");
    assert.equal(withHeartbeat("amqp://h/vhost?heartbeat=30", 10), "amqp://h/vhost?heartbeat=30");
  });
});
