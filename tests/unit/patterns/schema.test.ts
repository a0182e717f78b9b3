// The pattern parts of the scenario schema: defaults, and problems that name the bad field's path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sendingParts } from "../../../lib/scenario/patterns";
import { validateScenario } from "../../../lib/scenario/validate";
import { expectProblem, expectValid, problemsOf, withChange } from "../scenario/helpers";

/** A valid scenario with every pattern part. */
function patternScenario(): Record<string, unknown> {
  return {
    version: 1,
    name: "patterns",
    brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
    resources: {
      rabbit: { queues: [{ name: "pricing.requests" }, { name: "replies" }, { name: "jobs" }, { name: "report-jobs" }] },
      kafka: { topics: [{ name: "inventory-events", partitions: 3 }] },
    },
    services: [
      {
        name: "shop",
        requesters: [{ name: "ask", broker: "rabbit", to: { queue: "pricing.requests" }, payload: { sku: "{{pick a b}}" } }],
        tasks: [{ name: "jobs", broker: "rabbit", to: { queue: "jobs" }, job: "{{pick resize email}}", args: { id: "{{seq}}" }, count: 10 }],
        apiCalls: [{ name: "reports", api: "report-api", callbackTo: "shop", body: { orderId: "{{seq}}" } }],
        webhookReceiver: { failFirst: 2 },
      },
      { name: "pricing", repliers: [{ name: "quote", broker: "rabbit", from: { queue: "pricing.requests" }, reply: { sku: "{{sku}}" } }] },
      {
        name: "worker",
        replicas: 3,
        workers: [{ name: "pool", broker: "rabbit", from: { queue: "jobs" }, jobs: { resize: { result: { url: "img/{{id}}.png" } }, email: { failures: { errorRate: 0.1 } } } }],
      },
      { name: "report-api", httpApi: { path: "/reports", broker: "rabbit", to: { queue: "report-jobs" }, job: "build-report" } },
      {
        name: "inventory",
        projections: [{ name: "stock", broker: "kafka", from: { topic: "inventory-events" }, key: "sku", fold: { "stock-added": { onHand: { add: "quantity" }, events: { add: 1 } } } }],
      },
    ],
  };
}

describe("pattern parts of a scenario", () => {
  it("accept every part, with documented defaults", () => {
    const scenario = expectValid(patternScenario());
    const [shop, pricing, worker, api, inventory] = scenario.services;
    const requester = shop!.requesters![0]!;
    assert.equal(requester.replyTo, "exclusive");
    assert.equal(requester.timeout, 2_000);
    assert.equal(requester.expire, false);
    assert.equal(requester.maxPending, 1_000);
    assert.deepEqual(requester.rate, { perSecond: 10 });
    assert.deepEqual(pricing!.repliers![0]!.failures, { errorRate: 0 });
    const pool = worker!.workers![0]!;
    assert.equal(pool.concurrency, 1);
    assert.equal(pool.prefetch, 1);
    assert.equal(pool.timeout, 30_000);
    assert.equal(pool.retries, 0);
    assert.deepEqual(pool.callbacks, { retries: 3, backoffMs: [200, 1_000, 5_000], timeout: 5_000, signature: "valid" });
    assert.deepEqual(pool.jobs.email?.result, { ok: true });
    assert.equal(api!.httpApi!.name, "api");
    assert.deepEqual(shop!.webhookReceiver, { path: "/webhooks", failFirst: 2, errorRate: 0, failStatus: 503 });
    assert.equal(inventory!.projections![0]!.typeField, "type");
    assert.deepEqual(sendingParts(shop!), ["ask", "jobs", "reports"]);
  });

  it("take durations as text", () => {
    const scenario = expectValid(withChange("services[0].requesters[0].timeout", "1.5s", patternScenario()));
    assert.equal(scenario.services[0]!.requesters![0]!.timeout, 1_500);
  });

  it("name the path of a request/reply part on the wrong broker", () => {
    expectProblem(withChange("services[0].requesters[0].broker", "kafka", patternScenario()), "services[0].requesters[0].broker", /request\/reply .*needs a rabbitmq broker, but "kafka" is kafka/);
  });

  it("name undeclared queues and topics", () => {
    expectProblem(withChange("services[1].repliers[0].from.queue", "pricing.request", patternScenario()), "services[1].repliers[0].from.queue", /"pricing.request" is not a queue declared in resources.rabbit.queues \(declared: pricing.requests, replies, jobs, report-jobs\)/);
    expectProblem(withChange("services[0].requesters[0].replyTo", { queue: "nope" }, patternScenario()), "services[0].requesters[0].replyTo.queue", /"nope" is not a queue declared/);
    expectProblem(withChange("services[4].projections[0].from.topic", "inventory", patternScenario()), "services[4].projections[0].from.topic", /"inventory" is not a topic declared in resources.kafka.topics/);
  });

  it("name API clients that point at no API or no receiver", () => {
    expectProblem(withChange("services[0].apiCalls[0].api", "shop", patternScenario()), "services[0].apiCalls[0].api", /"shop" is not a service with an httpApi \(services with one: report-api\)/);
    expectProblem(withChange("services[0].apiCalls[0].callbackTo", "pricing", patternScenario()), "services[0].apiCalls[0].callbackTo", /"pricing" is not a service with a webhookReceiver \(services with one: shop\)/);
  });

  it("check templates in replies, args and job names", () => {
    expectProblem(withChange("services[0].tasks[0].job", "{{pik a b}}", patternScenario()), "services[0].tasks[0].job", /unknown placeholder \{\{pik a b\}\}/);
    expectProblem(withChange("services[0].tasks[0].args", { id: "{{randomInt 5}}" }, patternScenario()), "services[0].tasks[0].args.id", /takes 2 arguments/);
    // A reply may name any field of the request; a requester's payload may not name its own fields.
    expectValid(withChange("services[1].repliers[0].reply", { total: "{{anyField}}" }, patternScenario()));
    expectProblem(withChange("services[0].requesters[0].payload", { sku: "{{sku}}" }, patternScenario()), "services[0].requesters[0].payload.sku", /unknown placeholder \{\{sku\}\}/);
  });

  it("reject a projection service with more than one replica", () => {
    expectProblem(withChange("services[4].replicas", 2, patternScenario()), "services[4].replicas", /runs one replica/);
  });

  it("reject unknown fold operations and empty folds, naming the path", () => {
    const problems = problemsOf(validateScenario(withChange("services[4].projections[0].fold", { "stock-added": { onHand: { plus: "quantity" } } }, patternScenario())));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.path, /^services\[4\]\.projections\[0\]\.fold\.stock-added\.onHand/);
    expectProblem(withChange("services[4].projections[0].fold", {}, patternScenario()), "services[4].projections[0].fold", "must name at least one event type");
  });

  it("reject workers without jobs and bad webhook settings", () => {
    expectProblem(withChange("services[2].workers[0].jobs", {}, patternScenario()), "services[2].workers[0].jobs", "must name at least one job");
    expectProblem(withChange("services[0].webhookReceiver.failFirst", -1, patternScenario()), "services[0].webhookReceiver.failFirst", /0/);
    expectProblem(withChange("services[0].webhookReceiver.path", "hooks", patternScenario()), "services[0].webhookReceiver.path", /must be a path starting with '\/'/);
    expectProblem(withChange("services[2].workers[0].callbacks.signature", "forged", patternScenario()), "services[2].workers[0].callbacks.signature", 'must be one of "valid", "wrong-secret", "missing"');
  });

  it("reject an unknown field in a part", () => {
    expectProblem(withChange("services[0].requesters[0].replyQueue", "x", patternScenario()), "services[0].requesters[0]", /unknown field "replyQueue"/);
  });

  it("keep part names unique within a service", () => {
    expectProblem(withChange("services[0].tasks[0].name", "ask", patternScenario()), "services[0].tasks[0].name", /"ask" is already the name of one of shop's requesters/);
  });
});
