// Fields with several forms (to, from, rate) say in words what is missing or mixed, so a producer
// without a target reads "needs a target…", not "does not match any allowed form".
import { describe, it } from "node:test";
import { expectProblem, withChange } from "./helpers";

const target = /one of \{ queue: … \}, \{ exchange: …, routingKey: … \}, \{ topic: … \}, \{ snsTopic: … \}, \{ bus: …, source: …, detailType: … \}, \{ pubsubTopic: … \}, \{ stream: … \} or \{ channel: … \}$/;

describe("fields with several forms", () => {
  it("a producer without a target is told it needs one, and the forms a target takes", () => {
    expectProblem(withChange("services[0].producers[0].to", undefined), "services[0].producers[0].to", /^is missing: needs a target \(where the messages go\), /);
    expectProblem(withChange("services[0].producers[0].to", undefined), "services[0].producers[0].to", target);
    expectProblem(withChange("services[0].producers[0].to", null), "services[0].producers[0].to", /^is missing: needs a target/);
  });

  it("an empty target, a target of the wrong type and a target mixing two forms each say what is wrong", () => {
    expectProblem(withChange("services[0].producers[0].to", {}), "services[0].producers[0].to", /^names no target \(where the messages go\): write one of/);
    expectProblem(withChange("services[0].producers[0].to", "order_queue"), "services[0].producers[0].to", /^must be a target/);
    expectProblem(withChange("services[0].producers[0].to", { queue: "a", topic: "b" }), "services[0].producers[0].to", /^mixes "queue" and "topic"; write one of/);
  });

  it("a misspelt key names the unknown field and the forms", () => {
    expectProblem(withChange("services[0].producers[0].to", { queu: "order_queue" }), "services[0].producers[0].to", /^unknown field "queu"; this field takes one of several forms: \{ queue: … \}/);
  });

  it("an exchange target without its exchange says the exchange is required", () => {
    expectProblem(withChange("services[0].producers[0].to", { routingKey: "orders" }), "services[0].producers[0].to.exchange", "is required");
  });

  it("a consumer without a source and a producer with an empty rate name their forms", () => {
    expectProblem(withChange("services[1].consumers[0].from", undefined), "services[1].consumers[0].from", /^is missing: needs a source \(where the messages come from\), one of \{ queue: … \}, \{ topic: …, group: … \}, \{ subscription: … \}, \{ stream: …, group: … \}, \{ channel: … \} or \{ channelPattern: … \}$/);
    expectProblem(withChange("services[0].producers[0].rate", {}), "services[0].producers[0].rate", /^names no rate .*\{ manual: true \}$/);
  });
});
