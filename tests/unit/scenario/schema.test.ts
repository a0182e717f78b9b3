// The scenario schema and validation: every example validates; bad scenarios are rejected
// before any broker is touched, with errors that name the path of the bad field and the rule.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { placeholders } from "../../../lib/scenario/template";
import { formatProblems, parseScenarioText, validateScenario } from "../../../lib/scenario/validate";
import { baseScenario, expectProblem, expectValid, problemsOf, withChange } from "./helpers";

const examplesDir = new URL("../../../examples/", import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe("examples/", () => {
  it("holds the examples the docs and the course refer to", () => {
    for (const name of ["order-inventory", "fanout-logs", "topic-order-events", "kafka-partitions", "work-queue", "retry-dead-letter", "order-chain"]) {
      assert.ok(exampleFiles.includes(`${name}.yaml`), `examples/${name}.yaml is missing`);
    }
  });

  for (const file of exampleFiles) {
    describe(file, () => {
      const text = readFileSync(new URL(file, examplesDir), "utf8");
      const result = parseScenarioText(text);

      it("validates", () => {
        assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
      });

      it("is named after its file and opens with comments explaining it", () => {
        assert.ok(result.ok);
        assert.equal(result.scenario.name, file.replace(/\.ya?ml$/, ""));
        assert.match(text, /^# \S+: .+\n#\n# What it shows\n/);
        assert.match(text, /\n# What to watch\n/);
        assert.match(text, new RegExp(`npm run scenario -- run examples/${file.replace(".", "\\.")}`));
      });

      it("finishes headless in well under 20 s: every producer has a count and a modest rate", () => {
        assert.ok(result.ok);
        for (const service of result.scenario.services) {
          for (const p of service.producers) {
            assert.ok(p.count !== undefined, `${service.name}/${p.name} needs a count`);
            assert.ok("perSecond" in p.rate, `${service.name}/${p.name} should use a perSecond rate`);
            const seconds = p.count / p.rate.perSecond + (p.startAfter ?? 0) / 1000;
            assert.ok(seconds <= 12, `${service.name}/${p.name} publishes for ${seconds} s`);
          }
        }
      });

      it("sets deliveryLimit on every quorum queue (its default differs between RabbitMQ 3.x and 4.x)", () => {
        assert.ok(result.ok);
        for (const res of Object.values(result.scenario.resources)) {
          if (res.kind !== "rabbitmq") continue;
          for (const q of res.queues) if (q.type === "quorum") assert.ok(q.deliveryLimit !== undefined, `queue ${q.name} has no deliveryLimit`);
        }
      });
    });
  }

  it("docs/scenario-format.md links every example and lists every placeholder", () => {
    const docs = readFileSync(new URL("../../../docs/scenario-format.md", import.meta.url), "utf8");
    for (const file of exampleFiles) assert.ok(docs.includes(`](../examples/${file})`), `docs do not link examples/${file}`);
    for (const name of Object.keys(placeholders)) assert.ok(docs.includes(`| \`{{${name}`), `docs do not list {{${name}}}`);
  });

  it("kafka-partitions: two groups on a 3-partition topic, keyed by customerId", () => {
    const result = parseScenarioText(readFileSync(new URL("kafka-partitions.yaml", examplesDir), "utf8"));
    assert.ok(result.ok);
    const consumers = result.scenario.services.flatMap((s) => s.consumers.map((c) => ({ replicas: s.replicas, from: c.from })));
    assert.deepEqual(consumers.map((c) => ("group" in c.from ? [c.from.group, c.replicas] : [])).sort(), [["analytics", 1], ["billing", 2]]);
    const topic = result.scenario.resources.kafka;
    assert.ok(topic?.kind === "kafka");
    assert.equal(topic.topics[0]?.partitions, 3);
  });

  it("retry-dead-letter: the poison rule matches the rendered orderId (a number) and dead-letters", () => {
    const result = parseScenarioText(readFileSync(new URL("retry-dead-letter.yaml", examplesDir), "utf8"));
    assert.ok(result.ok);
    const consumer = result.scenario.services.flatMap((s) => s.consumers)[0];
    assert.deepEqual(consumer?.failures.poison, { field: "orderId", equals: 13 });
    assert.deepEqual(consumer?.onError, { retries: 3, backoffMs: [100, 200, 400], then: "dead-letter" });
  });
});

describe("the contract example of SCENARIO.md", () => {
  const contract = `
version: 1
name: order-inventory
description: The order service queues every new order; the inventory service updates stock.
brokers:
  rabbit: { kind: rabbitmq }
  kafka:  { kind: kafka }
resources:
  rabbit:
    exchanges:
      - { name: orders.dlx, type: direct }
    queues:
      - name: order_queue
        durable: true
        type: classic
        deadLetter: { exchange: orders.dlx, routingKey: order_queue.dead }
      - { name: order_queue.dead }
    bindings:
      - { exchange: orders.dlx, queue: order_queue.dead, routingKey: order_queue.dead }
  kafka:
    topics:
      - { name: order-events, partitions: 3 }
services:
  - name: order-service
    producers:
      - name: new-orders
        broker: rabbit
        to: { queue: order_queue }
        rate: { perSecond: 20 }
        count: 200
        payload: { orderId: "{{seq}}", customerId: "{{randomInt 1 5}}", total: "{{randomFloat 5 500}}" }
        confirm: true
  - name: inventory-service
    replicas: 1
    consumers:
      - name: update-stock
        broker: rabbit
        from: { queue: order_queue }
        ack: manual
        prefetch: 10
        work: { ms: 20, jitterMs: 10 }
        failures: { errorRate: 0.05 }
        onError: { retries: 3, backoffMs: [100, 1000], then: dead-letter }
faults:
  - { at: 5s, kill: inventory-service }
  - { at: 8s, start: inventory-service }
`;

  it("validates and keeps its keys", () => {
    const result = parseScenarioText(contract);
    assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
    const s = result.scenario;
    assert.deepEqual(s.faults, [{ at: 5000, action: "kill", service: "inventory-service" }, { at: 8000, action: "start", service: "inventory-service" }]);
    assert.deepEqual(s.services[0]?.producers[0]?.rate, { perSecond: 20 });
    assert.equal(s.services[1]?.consumers[0]?.failures.errorRate, 0.05);
  });

  it("accepts the other target, rate and source forms", () => {
    const targets = [{ exchange: "orders.dlx", routingKey: "" }, { exchange: "", routingKey: "order_queue" }];
    for (const to of targets) expectValid(withChange("services[0].producers[0].to", to));
    for (const rate of [{ burst: 500 }, { manual: true }]) expectValid(withChange("services[0].producers[0].rate", rate));
    expectValid(withChange("services[1].consumers[1].from", { topic: "order-events", group: "inventory", fromBeginning: true }));
    for (const then of ["requeue", "drop"]) expectValid(withChange("services[1].consumers[0].onError", then));
  });

  it("reads JSON as well as YAML", () => {
    const result = parseScenarioText(JSON.stringify(baseScenario()));
    assert.ok(result.ok);
  });
});

describe("defaults", () => {
  it("fills the documented defaults", () => {
    const s = expectValid(baseScenario());
    assert.deepEqual(s.tracing, { propagation: "parent" });
    assert.deepEqual(s.faults, []);
    const rabbit = s.resources.rabbit;
    assert.ok(rabbit?.kind === "rabbitmq");
    assert.deepEqual(rabbit.queues[1], { name: "order_queue.dead", type: "classic", durable: true, autoDelete: false, existing: false });
    assert.deepEqual(rabbit.exchanges[0], { name: "orders.dlx", type: "direct", durable: true, autoDelete: false, existing: false });
    const kafka = s.resources.kafka;
    assert.ok(kafka?.kind === "kafka");
    assert.deepEqual(kafka.topics[0], { name: "order-events", partitions: 3, replicationFactor: 1, cleanupPolicy: "delete", existing: false });
    const service = s.services[0]!;
    assert.equal(service.replicas, 1);
    const producer = service.producers[0]!;
    assert.deepEqual(producer.rate, { perSecond: 10 });
    assert.equal(producer.count, undefined);
    assert.deepEqual([producer.persistent, producer.confirm, producer.mandatory, producer.confirmWindow, producer.acks, producer.idempotent], [true, true, false, 1000, "all", false]);
    const consumer = s.services[1]!.consumers[0]!;
    assert.deepEqual([consumer.ack, consumer.prefetch, consumer.concurrency, consumer.idempotent], ["manual", 10, 1, false]);
    assert.deepEqual(consumer.work, { ms: 0, jitterMs: 0, distribution: "uniform" });
    assert.deepEqual(consumer.failures, { errorRate: 0 });
    assert.deepEqual(consumer.onError, { retries: 0, backoffMs: [], then: "requeue" });
    assert.deepEqual(s.services[1]!.consumers[1]!.from, { topic: "order-events", group: "audit", fromBeginning: false });
  });

  it("an onError object without then dead-letters; a bare word means no retries", () => {
    const s = expectValid(withChange("services[1].consumers[0].onError", { retries: 2 }));
    assert.deepEqual(s.services[1]!.consumers[0]!.onError, { retries: 2, backoffMs: [], then: "dead-letter" });
    const t = expectValid(withChange("services[1].consumers[0].onError", "drop"));
    assert.deepEqual(t.services[1]!.consumers[0]!.onError, { retries: 0, backoffMs: [], then: "drop" });
  });

  it("durations are milliseconds, written as numbers or with ms, s or m", () => {
    const s = expectValid(withChange("resources.rabbit.queues[1].messageTtl", "1.5m", withChange("services[0].producers[0].startAfter", "250ms")));
    const rabbit = s.resources.rabbit;
    assert.ok(rabbit?.kind === "rabbitmq");
    assert.equal(rabbit.queues[1]!.messageTtl, 90_000);
    assert.equal(s.services[0]!.producers[0]!.startAfter, 250);
    const t = expectValid(withChange("faults", [{ at: 1500, restart: "order-service" }]));
    assert.deepEqual(t.faults, [{ at: 1500, action: "restart", service: "order-service" }]);
  });
});

describe("references between parts", () => {
  it("a consumer of an undeclared queue", () => {
    expectProblem(
      withChange("services[1].consumers[0].from.queue", "order_queu"),
      "services[1].consumers[0].from.queue",
      '"order_queu" is not a queue declared in resources.rabbit.queues (declared: order_queue, order_queue.dead)',
    );
  });

  it("formats problems as path: message, one a line", () => {
    const result = validateScenario(withChange("services[1].consumers[0].from.queue", "order_queu"));
    assert.equal(formatProblems(problemsOf(result)), 'services[1].consumers[0].from.queue: "order_queu" is not a queue declared in resources.rabbit.queues (declared: order_queue, order_queue.dead)');
  });

  it("a producer to an undeclared queue, exchange or topic", () => {
    expectProblem(withChange("services[0].producers[0].to", { queue: "orders" }), "services[0].producers[0].to.queue", /^"orders" is not a queue declared in resources\.rabbit\.queues/);
    expectProblem(withChange("services[0].producers[0].to", { exchange: "logs" }), "services[0].producers[0].to.exchange", /^"logs" is not an exchange declared in resources\.rabbit\.exchanges \(declared: orders\.dlx\)/);
    expectProblem(withChange("services[0].producers[1].to.topic", "order-event"), "services[0].producers[1].to.topic", /^"order-event" is not a topic declared in resources\.kafka\.topics \(declared: order-events\)/);
  });

  it("a consumer of an undeclared topic", () => {
    expectProblem(withChange("services[1].consumers[1].from.topic", "orders"), "services[1].consumers[1].from.topic", /^"orders" is not a topic declared in resources\.kafka\.topics/);
  });

  it("a binding or dead-letter route to an undeclared exchange or queue", () => {
    expectProblem(withChange("resources.rabbit.bindings[0].exchange", "orders.dl"), "resources.rabbit.bindings[0].exchange", /^"orders\.dl" is not an exchange declared in resources\.rabbit\.exchanges/);
    expectProblem(withChange("resources.rabbit.bindings[0].queue", "dead"), "resources.rabbit.bindings[0].queue", /^"dead" is not a queue declared in resources\.rabbit\.queues/);
    expectProblem(withChange("resources.rabbit.queues[0].deadLetter.exchange", "dlx"), "resources.rabbit.queues[0].deadLetter.exchange", /^"dlx" is not an exchange declared/);
  });

  it("existing: true attaches to a resource another program owns; it still has to be listed", () => {
    const s = expectValid(withChange("resources.rabbit.queues[2]", { name: "legacy.orders", existing: true }, withChange("services[1].consumers[0].from.queue", "legacy.orders")));
    const rabbit = s.resources.rabbit;
    assert.ok(rabbit?.kind === "rabbitmq");
    assert.equal(rabbit.queues[2]!.existing, true);
    expectProblem(withChange("services[1].consumers[0].from.queue", "legacy.orders"), "services[1].consumers[0].from.queue", /"legacy\.orders" is not a queue declared/);
  });

  it("dead-letter needs a deadLetter exchange on the consumed queue", () => {
    const doc = withChange("services[1].consumers[0].from.queue", "order_queue.dead", withChange("services[1].consumers[0].onError", { retries: 1, then: "dead-letter" }));
    expectProblem(doc, "services[1].consumers[0].onError.then", /^dead-letter needs a dead-letter exchange on queue "order_queue\.dead"/);
  });

  it("a broker that is not declared, in a producer, a consumer, a forward or resources", () => {
    expectProblem(withChange("services[0].producers[0].broker", "rabit"), "services[0].producers[0].broker", '"rabit" is not a broker declared in brokers (declared: rabbit, kafka)');
    expectProblem(withChange("services[1].consumers[0].broker", "rabit"), "services[1].consumers[0].broker", /^"rabit" is not a broker declared in brokers/);
    expectProblem(withChange("services[1].consumers[0].forward", { broker: "rabit", to: { queue: "order_queue.dead" } }), "services[1].consumers[0].forward.broker", /^"rabit" is not a broker declared/);
    expectProblem(withChange("resources.rabit", { queues: [] }), "resources.rabit", /^"rabit" is not a broker declared in brokers/);
  });

  it("duplicate names", () => {
    expectProblem(withChange("resources.rabbit.queues[1].name", "order_queue", withChange("resources.rabbit.bindings", [])), "resources.rabbit.queues", 'queue "order_queue" is declared twice');
    expectProblem(withChange("services[1].name", "order-service"), "services", /^service "order-service" is listed twice/);
    expectProblem(withChange("services[0].producers[1].name", "new-orders"), "services[0].producers", /^producer "new-orders" is listed twice in order-service/);
  });

  it("a fixed partition beyond the topic's partitions", () => {
    expectProblem(withChange("services[0].producers[1].to.partition", 3), "services[0].producers[1].to.partition", 'topic "order-events" has 3 partitions (0-2)');
    expectValid(withChange("services[0].producers[1].to.partition", 2));
  });
});

describe("broker kinds", () => {
  it("a topic target on a RabbitMQ broker", () => {
    expectProblem(withChange("services[0].producers[0].to", { topic: "order-events" }), "services[0].producers[0].to", /^a topic target needs a kafka broker, but "rabbit" is rabbitmq/);
  });

  it("a queue target on a Kafka broker", () => {
    expectProblem(withChange("services[0].producers[1].to", { queue: "order_queue" }), "services[0].producers[1].to", /^a queue or exchange target needs a rabbitmq broker, but "kafka" is kafka/);
  });

  it("a queue source on a Kafka broker and a topic source on RabbitMQ", () => {
    expectProblem(withChange("services[1].consumers[0].broker", "kafka"), "services[1].consumers[0].from", /^a queue source needs a rabbitmq broker, but "kafka" is kafka/);
    expectProblem(withChange("services[1].consumers[1].broker", "rabbit"), "services[1].consumers[1].from", /^a topic source needs a kafka broker, but "rabbit" is rabbitmq/);
  });

  it("a forward target of the wrong kind", () => {
    expectProblem(withChange("services[1].consumers[0].forward", { broker: "kafka", to: { queue: "order_queue.dead" } }), "services[1].consumers[0].forward.to", /^a queue or exchange target needs a rabbitmq broker/);
  });

  it("resources checked against their broker's kind", () => {
    expectProblem(withChange("resources.kafka.queues", [{ name: "q" }]), "resources.kafka", 'unknown field "queues"; check the spelling against docs/scenario-format.md');
  });

  it("an unknown broker kind", () => {
    expectProblem(withChange("brokers.rabbit.kind", "rabbit"), "brokers.rabbit.kind", 'must be one of "rabbitmq", "kafka", "aws", "pubsub", "redis"');
  });

  it("broker connection settings", () => {
    expectValid(withChange("brokers.rabbit.url", "amqp://guest:guest@localhost:5672", withChange("brokers.kafka.brokers", ["localhost:9092"])));
    expectProblem(withChange("brokers.rabbit.url", "http://localhost:5672"), "brokers.rabbit.url", "must start with amqp:// or amqps://");
    expectProblem(withChange("brokers.kafka.brokers", ["localhost"]), "brokers.kafka.brokers[0]", "must be host:port");
  });
});

describe("broker naming rules", () => {
  it('RabbitMQ names must not start with "amq."', () => {
    expectProblem(withChange("resources.rabbit.queues[1].name", "amq.dead", withChange("resources.rabbit.bindings", [])), "resources.rabbit.queues[1].name", 'must not start with "amq." (reserved by RabbitMQ)');
    expectProblem(withChange("resources.rabbit.exchanges[0].name", "amq.direct"), "resources.rabbit.exchanges[0].name", /^must not start with "amq\."/);
  });

  it("RabbitMQ names are at most 255 bytes, counted in UTF-8", () => {
    const rename = (name: string) => withChange("resources.rabbit.queues[1].name", name, withChange("resources.rabbit.bindings", []));
    expectValid(rename("q".repeat(255)));
    expectProblem(rename("é".repeat(128)), "resources.rabbit.queues[1].name", "must be at most 255 bytes (RabbitMQ's limit)");
  });

  it("Kafka topics: at most 249 characters", () => {
    expectProblem(withChange("resources.kafka.topics[0].name", "t".repeat(300)), "resources.kafka.topics[0].name", "must be at most 249 characters (Kafka's limit)");
  });

  it("Kafka topics: letters, digits, '.', '_' and '-' only, and not . or ..", () => {
    expectProblem(withChange("resources.kafka.topics[0].name", "orders/eu"), "resources.kafka.topics[0].name", /^may only contain letters, digits/);
    for (const name of [".", ".."]) expectProblem(withChange("resources.kafka.topics[0].name", name), "resources.kafka.topics[0].name", 'must not be "." or ".."');
  });

  it("service names are slugs", () => {
    expectProblem(withChange("services[0].name", "order service"), "services[0].name", /^must start with a letter and contain only letters, digits, '-' and '_'/);
  });
});

describe("RabbitMQ queue rules", () => {
  it("deliveryLimit on a classic queue", () => {
    expectProblem(withChange("resources.rabbit.queues[0].deliveryLimit", 5), "resources.rabbit.queues[0].deliveryLimit", "is only supported by quorum queues; set type: quorum or remove it");
    expectValid(withChange("resources.rabbit.queues[0].deliveryLimit", 5, withChange("resources.rabbit.queues[0].type", "quorum")));
  });

  it("a quorum queue is durable, never auto-delete, and cannot overflow with reject-publish-dlx", () => {
    const quorum = (field: string, value: unknown) => withChange(`resources.rabbit.queues[0].${field}`, value, withChange("resources.rabbit.queues[0].type", "quorum"));
    expectProblem(quorum("durable", false), "resources.rabbit.queues[0].durable", /^quorum queues are always durable/);
    expectProblem(quorum("autoDelete", true), "resources.rabbit.queues[0].autoDelete", /^quorum queues cannot be auto-delete/);
    expectProblem(quorum("overflow", "reject-publish-dlx"), "resources.rabbit.queues[0].overflow", /^quorum queues support drop-head and reject-publish only/);
    expectValid(quorum("overflow", "reject-publish"));
  });

  it("an unknown queue or exchange type", () => {
    expectProblem(withChange("resources.rabbit.queues[0].type", "stream"), "resources.rabbit.queues[0].type", 'must be one of "classic", "quorum"');
    expectProblem(withChange("resources.rabbit.exchanges[0].type", "fan-out"), "resources.rabbit.exchanges[0].type", 'must be one of "direct", "fanout", "topic", "headers"');
  });
});

describe("bounds", () => {
  it("a negative or zero rate", () => {
    expectProblem(withChange("services[0].producers[0].rate", { perSecond: -5 }), "services[0].producers[0].rate.perSecond", "must be greater than 0");
    expectProblem(withChange("services[0].producers[0].rate", { perSecond: 0 }), "services[0].producers[0].rate.perSecond", "must be greater than 0");
  });

  it("rates, counts and sizes have upper bounds", () => {
    expectProblem(withChange("services[0].producers[0].rate", { perSecond: 1e6 }), "services[0].producers[0].rate.perSecond", "must be at most 100000");
    expectProblem(withChange("services[0].producers[0].rate", { burst: 0 }), "services[0].producers[0].rate.burst", "must be at least 1");
    expectProblem(withChange("services[0].producers[0].count", 0), "services[0].producers[0].count", "must be at least 1");
    expectProblem(withChange("services[0].producers[0].sizeBytes", 2_000_000), "services[0].producers[0].sizeBytes", "must be at most 1 MiB");
    expectProblem(withChange("services[1].replicas", 0), "services[1].replicas", "must be at least 1");
    expectProblem(withChange("services[1].consumers[0].failures", { errorRate: 1.5 }), "services[1].consumers[0].failures.errorRate", "must be between 0 and 1");
    expectProblem(withChange("services[1].consumers[0].onError", { retries: 50 }), "services[1].consumers[0].onError.retries", "must be at most 20");
    expectProblem(withChange("resources.kafka.topics[0].partitions", 0), "resources.kafka.topics[0].partitions", "must be at least 1");
  });

  it("a count that is not a whole number", () => {
    expectProblem(withChange("services[0].producers[0].count", 2.5), "services[0].producers[0].count", /expected int/);
  });
});

describe("templates in payloads, keys, routing keys and headers", () => {
  it("an unknown placeholder, with the path inside the payload", () => {
    expectProblem(
      withChange("services[0].producers[0].payload", { items: [{ qty: 1 }, { sku: "{{sku}}" }] }),
      "services[0].producers[0].payload.items[1].sku",
      /^unknown placeholder \{\{sku\}\}; known placeholders are \{\{seq\}\}, \{\{uuid\}\}/,
    );
  });

  it("a key may name a payload field; a misspelt field is an unknown placeholder", () => {
    expectProblem(withChange("services[0].producers[1].to.key", "{{customerID}}"), "services[0].producers[1].to.key", /^unknown placeholder \{\{customerID\}\}; known placeholders are .*\{\{customerId\}\}$/);
  });

  it("a routing key and headers are templates too", () => {
    const topic = withChange("resources.rabbit.exchanges[1]", { name: "order-events", type: "topic" });
    expectValid(withChange("services[0].producers[0].to", { exchange: "order-events", routingKey: "order.{{pick created paid}}" }, topic));
    expectProblem(withChange("services[0].producers[0].to", { exchange: "order-events", routingKey: "order.{{pick}}" }, topic), "services[0].producers[0].to.routingKey", /^placeholder \{\{pick\}\} takes 1 to 64 arguments/);
    expectValid(withChange("services[0].producers[0].headers", { "x-customer": "{{customerId}}", "x-priority": 5 }));
    expectProblem(withChange("services[0].producers[0].headers", { "x-customer": "{{customer}}" }), "services[0].producers[0].headers.x-customer", /^unknown placeholder \{\{customer\}\}/);
  });

  it("a payload field cannot name another payload field", () => {
    expectProblem(withChange("services[0].producers[0].payload.copy", "{{orderId}}"), "services[0].producers[0].payload.copy", /^unknown placeholder \{\{orderId\}\}/);
  });

  it("a forwarded payload may name any field of the consumed message", () => {
    const forward = { broker: "rabbit", to: { queue: "order_queue.dead" }, payload: { orderId: "{{orderId}}", at: "{{now}}" } };
    expectValid(withChange("services[1].consumers[0].forward", forward));
    expectProblem(withChange("services[1].consumers[0].forward.payload.at", "{{randomInt 9 1}}", withChange("services[1].consumers[0].forward", forward)), "services[1].consumers[0].forward.payload.at", /needs two whole numbers A ≤ B/);
  });
});

describe("unknown fields", () => {
  it("a misspelt field in a consumer", () => {
    expectProblem(withChange("services[1].consumers[0].prefech", 5), "services[1].consumers[0]", 'unknown field "prefech"; check the spelling against docs/scenario-format.md');
  });

  it("a misspelt top-level field", () => {
    expectProblem(withChange("service", []), "", /^unknown field "service"/);
  });

  it("a misspelt field in a field with several forms names the field", () => {
    expectProblem(withChange("services[0].producers[0].rate", { perSecnd: 5 }), "services[0].producers[0].rate", /^unknown field "perSecnd"; this field takes one of several forms/);
    expectProblem(withChange("services[0].producers[0].to", { queue: "order_queue", routingkey: "x" }), "services[0].producers[0].to", /^unknown field "routingkey"/);
  });

  it("a missing field in a field with several forms is named by its path", () => {
    expectProblem(withChange("services[1].consumers[1].from.group", undefined), "services[1].consumers[1].from.group", "is required (string)");
    expectProblem(withChange("services[1].consumers[0].onError", { retries: 3, then: "deadletter" }), "services[1].consumers[0].onError.then", 'must be one of "requeue", "drop", "dead-letter"');
  });

  it("a missing required field", () => {
    expectProblem(withChange("services[0].producers[0].broker", undefined), "services[0].producers[0].broker", "is required (string)");
    expectProblem(withChange("version", 2), "version", "must be 1");
    expectProblem(withChange("services", []), "services", "must list at least one service");
  });
});

describe("faults", () => {
  it("a fault naming an unknown service", () => {
    expectProblem(withChange("faults", [{ at: "5s", kill: "inventory" }]), "faults[0].kill", '"inventory" is not a service of this scenario (services: order-service, inventory-service)');
  });

  it("a fault with no action, an unknown action or two actions", () => {
    const rule = /^a fault has "at" and exactly one action: kill, start, restart, pause, resume, .* naming a service; stopBroker or startBroker naming a broker; fillQueue naming a queue$/;
    expectProblem(withChange("faults", [{ at: "5s", explode: "order-service" }]), "faults[0]", rule);
    expectProblem(withChange("faults", [{ at: "5s", kill: "order-service", start: "order-service" }]), "faults[0]", rule);
    expectProblem(withChange("faults", [{ at: "5s" }]), "faults[0]", rule);
  });

  it("a bad duration", () => {
    expectProblem(withChange("faults", [{ at: "5 sec", kill: "order-service" }]), "faults[0].at", '"5 sec" is not a duration; write e.g. 500ms, 5s or 2m');
    expectProblem(withChange("faults", [{ at: -1, kill: "order-service" }]), "faults[0].at", "must not be negative");
    expectProblem(withChange("resources.rabbit.queues[0].messageTtl", "10x"), "resources.rabbit.queues[0].messageTtl", /^"10x" is not a duration/);
  });
});

describe("YAML and JSON text", () => {
  it("invalid YAML, with its line and column", () => {
    const result = parseScenarioText("version: 1\nname: broken\nservices:\n  - name: a\n    producers: [\n");
    const problems = problemsOf(result);
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]!.path, "");
    assert.match(problems[0]!.message, /^not valid YAML\/JSON: .+ at line \d+, column \d+$/);
  });

  it("points at the exact position of the mistake", () => {
    const problems = problemsOf(parseScenarioText("version: 1\nname: x\n  bad: [\n"));
    assert.match(problems[0]!.message, /at line 2, column 7$/);
  });

  it("a key written twice", () => {
    const problems = problemsOf(parseScenarioText("version: 1\nname: a\nname: b\n"));
    assert.deepEqual(problems, [{ path: "", message: "not valid YAML/JSON: Map keys must be unique at line 3, column 1" }]);
  });

  it("invalid JSON", () => {
    const problems = problemsOf(parseScenarioText('{ "version": 1, "name": "x", }}'));
    assert.match(problems[0]!.message, /^not valid YAML\/JSON: .* at line 1, column \d+$/);
  });

  it("an empty document", () => {
    assert.deepEqual(problemsOf(parseScenarioText("# nothing here\n")), [{ path: "", message: "the document is empty; a scenario starts with version: 1" }]);
  });

  it("valid YAML with a schema error is reported by path", () => {
    const problems = problemsOf(parseScenarioText("version: 1\nname: x\nbrokers: {}\nservices:\n  - name: a\n    replicas: 0\n"));
    assert.deepEqual(problems, [{ path: "services[0].replicas", message: "must be at least 1" }]);
  });
});
