// Reserved broker names are refused before any broker is touched: Kafka's internal topics and
// groups (`__…`), RabbitMQ's `amq.` names, and declaring or binding the default exchange.
import { describe, it } from "node:test";
import { expectProblem, expectValid, withChange } from "./helpers";

const internal = /^must not start with "__" \(Kafka's internal (topic|group)s, e\.g\. __consumer_offsets, are not Brokerlab's to use\); rename it$/;

describe("reserved names", () => {
  it("a Kafka topic named like Kafka's own (__consumer_offsets, __transaction_state) is refused", () => {
    for (const name of ["__consumer_offsets", "__transaction_state", "__anything"]) {
      expectProblem(withChange("resources.kafka.topics[0].name", name), "resources.kafka.topics[0].name", internal);
    }
  });

  it("a Kafka consumer group named __consumer_offsets is refused, at its path", () => {
    expectProblem(withChange("services[1].consumers[1].from.group", "__consumer_offsets"), "services[1].consumers[1].from.group", internal);
  });

  it("a producer's or consumer's topic reference named __… is refused too", () => {
    expectProblem(withChange("services[0].producers[1].to.topic", "__consumer_offsets"), "services[0].producers[1].to.topic", internal);
  });

  it("one leading underscore is an ordinary name", () => {
    expectValid(withChange("services[1].consumers[1].from.group", "_audit"));
  });

  it('RabbitMQ "amq." names are refused as queues and exchanges', () => {
    expectProblem(withChange("resources.rabbit.queues[1].name", "amq.gen-1", withChange("resources.rabbit.bindings", [])), "resources.rabbit.queues[1].name", /^must not start with "amq\."/);
    expectProblem(withChange("services[0].producers[0].to", { exchange: "amq.topic", routingKey: "x" }), "services[0].producers[0].to.exchange", /^must not start with "amq\."/);
  });

  it("the default exchange cannot be declared or bound, but may be published to", () => {
    const defaultExchange = /^must not be empty: "" is the default exchange, which RabbitMQ owns and which cannot be declared or bound; name an exchange of your own/;
    expectProblem(withChange("resources.rabbit.exchanges[0].name", ""), "resources.rabbit.exchanges[0].name", defaultExchange);
    expectProblem(withChange("resources.rabbit.bindings[0].exchange", ""), "resources.rabbit.bindings[0].exchange", defaultExchange);
    expectValid(withChange("services[0].producers[0].to", { exchange: "", routingKey: "order_queue" }));
  });
});
