// Every check kind decided over fake snapshots: one case where it holds and one where it does not,
// and the words it uses to say what is still missing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkKinds, checkSchema, type Check } from "../../../lib/lessons/checks";
import { evaluateCheck, missingParts, newlyLatched, type CheckResult } from "../../../lib/lessons/evaluate";
import { checkNeeds, traceNeedOf } from "../../../lib/lessons/needs";
import { emptySnapshot, type CheckSnapshot } from "../../../lib/lessons/snapshot";
import { consumer, events, fakeRun, fixtureScenario, frame, producer } from "./fixtures";

const decide = (check: Check, snapshot: CheckSnapshot): CheckResult => {
  assert.ok(checkSchema.safeParse(check).success, `the test's check is valid: ${JSON.stringify(check)}`);
  return evaluateCheck(check, snapshot, "test");
};
const withRun = (run = fakeRun()): CheckSnapshot => ({ ...emptySnapshot(), run });
const withFrame = (change: Parameters<typeof frame>[0]) => withRun(fakeRun({ frame: frame(change) }));

/** A trace for traceConforms: the worker's process span with `references`, and the send span when it is in the same trace. */
function conformsView(traceId: string, references: { refType: string; traceID: string; spanID: string }[], withSend = false) {
  const tags = (entries: Record<string, unknown>) => Object.entries(entries).map(([key, value]) => ({ key, value }));
  const messaging = (type: string, kind: string) => tags({ "messaging.system": "kafka", "messaging.operation.type": type, "messaging.operation.name": type, "messaging.destination.name": "orders", "span.kind": kind });
  const spans = [
    ...(withSend ? [{ traceID: traceId, spanID: "send", operationName: "send orders", references: [], tags: messaging("send", "producer") }] : []),
    { traceID: traceId, spanID: "proc", operationName: "process orders", references, tags: messaging("process", "consumer") },
  ];
  return { traceId, spans: [], gradable: { traceID: traceId, spans } };
}

/** One positive and one negative snapshot per kind; the detail of the negative must say what is missing. */
const cases: Record<string, { check: Check; pass: CheckSnapshot; fail: CheckSnapshot; missing: RegExp }> = {
  runStatus: {
    check: { kind: "runStatus", is: ["finished"] },
    pass: withRun(fakeRun({ status: "finished" })),
    fail: withRun(fakeRun({ status: "running" })),
    missing: /running; waiting until it is finished/,
  },
  runMetric: {
    check: { kind: "runMetric", path: "consumers.worker/process.acked", op: ">=", value: 10 },
    pass: withFrame({ consumers: { "worker/process": consumer({ acked: 10 }) } }),
    fail: withFrame({ consumers: { "worker/process": consumer({ acked: 4 }) } }),
    missing: /worker\/process acked is 4; needs at least 10/,
  },
  ledger: {
    check: { kind: "ledger", field: "lost", op: "==", value: 0 },
    pass: withFrame({ ledger: { confirmed: 10, consumed: 10, lost: 0, duplicated: 0, recovered: 0 } }),
    fail: withFrame({ ledger: { confirmed: 10, consumed: 7, lost: 3, duplicated: 0, recovered: 0 } }),
    missing: /lost is 3; needs exactly 0/,
  },
  replicaMetric: {
    check: { kind: "replicaMetric", consumer: "worker/process", field: "received", op: ">", value: 0, need: "all" },
    pass: withRun(fakeRun({ replicas: { "worker/process": [0, 1, 2].map((replica) => ({ replica, received: 3, acked: 3 })) } })),
    fail: withRun(fakeRun({ replicas: { "worker/process": [{ replica: 0, received: 5, acked: 5 }, { replica: 1, received: 2, acked: 2 }] } })),
    missing: /2 of 3 replicas of worker\/process have received more than 0; not yet: replica 2/,
  },
  replicaState: {
    check: { kind: "replicaState", service: "worker", state: "killed" },
    pass: withFrame({ services: { worker: [{ replica: 0, state: "killed", restarts: 0, connections: {} }, { replica: 1, state: "running", restarts: 0, connections: {} }] } }),
    fail: withFrame({}),
    missing: /0 of 3 replicas of worker: killed; needs 1 \(now: running, running, running\)/,
  },
  connectionState: {
    check: { kind: "connectionState", service: "worker", broker: "rabbit", state: "reconnecting" },
    pass: withFrame({ services: { worker: [{ replica: 0, state: "running", restarts: 0, connections: { rabbit: "reconnecting" } }] } }),
    fail: withFrame({}),
    missing: /connection to rabbit.*now: connected/,
  },
  queueDepth: {
    check: { kind: "queueDepth", queue: "order_queue", op: ">=", value: 20 },
    pass: withFrame({ queues: [{ broker: "rabbit", name: "order_queue", messages: 25, ready: 25, unacked: 0, consumers: 0 }] }),
    fail: withFrame({ queues: [{ broker: "rabbit", name: "order_queue", messages: 3, ready: 3, unacked: 0, consumers: 1 }] }),
    missing: /messages in order_queue is 3; needs at least 20/,
  },
  queueConsumers: {
    check: { kind: "queueConsumers", queue: "other_queue", op: ">=", value: 1 },
    pass: { ...withRun(), queues: { other_queue: { broker: "rabbit", name: "other_queue", messages: 0, ready: 0, unacked: 0, consumers: 2 } } },
    fail: { ...withRun(), queues: { other_queue: null } },
    missing: /RabbitMQ has no queue other_queue/,
  },
  consumerGroupLag: {
    check: { kind: "consumerGroupLag", group: "billing", op: "==", value: 0 },
    pass: withFrame({ lag: [{ broker: "kafka", group: "billing", topic: "orders", total: 0, partitions: [{ partition: 0, committed: 40, high: 40, lag: 0 }] }] }),
    fail: withFrame({ lag: [{ broker: "kafka", group: "billing", topic: "orders", total: 12, partitions: [{ partition: 0, committed: 40, high: 40, lag: 0 }, { partition: 1, committed: 8, high: 20, lag: 12 }] }] }),
    missing: /lag is 12; needs exactly 0 \(behind on orders\[1\]: 12\)/,
  },
  consumerGroupOffsets: {
    check: { kind: "consumerGroupOffsets", group: "billing", topic: "orders" },
    pass: withFrame({ lag: [{ broker: "kafka", group: "billing", topic: "orders", total: 0, partitions: [0, 1, 2].map((partition) => ({ partition, committed: 9, high: 9, lag: 0 })) }] }),
    fail: withFrame({ lag: [{ broker: "kafka", group: "billing", topic: "orders", total: 5, partitions: [{ partition: 0, committed: 9, high: 9, lag: 0 }, { partition: 1, committed: -1, high: 5, lag: 5 }] }] }),
    missing: /1 of 2 partitions.*partition 1 is at none/,
  },
  xDeath: {
    check: { kind: "xDeath", queue: "payments.dead", reason: "rejected", fromQueue: "payments" },
    pass: { ...withRun(), deadLetters: { "payments.dead": { value: [[{ queue: "payments.retry.100", reason: "expired", count: 1 }, { queue: "payments", reason: "rejected", count: 1 }]] } } },
    fail: { ...withRun(), deadLetters: { "payments.dead": { value: [[{ queue: "payments", reason: "expired", count: 1 }]] } } },
    missing: /holds 1 message\(s\), 0 with x-death with reason rejected from payments \(seen: expired from payments\)/,
  },
  traceHasSpan: {
    check: { kind: "traceHasSpan", service: "worker", spanKind: "consumer", attributes: { "brokerlab.redelivered": true } },
    pass: { ...withRun(), traces: { [traceNeedOf({ kind: "traceHasSpan", service: "worker", spanKind: "consumer", attributes: { "brokerlab.redelivered": true } }).key]: { value: [{ traceId: "abc", spans: [{ service: "worker", kind: "consumer", operation: "process order_queue", attributes: { "brokerlab.redelivered": true } }] }] } } },
    fail: { ...withRun(), traces: { [traceNeedOf({ kind: "traceHasSpan", service: "worker", spanKind: "consumer", attributes: { "brokerlab.redelivered": true } }).key]: { value: [{ traceId: "abc", spans: [{ service: "worker", kind: "consumer", operation: "process order_queue", attributes: { "brokerlab.redelivered": false } }] }] } } },
    missing: /Jaeger holds 0 CONSUMER span\(s\) in worker with brokerlab.redelivered=true/,
  },
  traceCrosses: {
    check: { kind: "traceCrosses", services: ["order-service", "worker"] },
    pass: { ...withRun(), traces: { [JSON.stringify({ service: "order-service" })]: { value: [{ traceId: "t1", spans: [{ service: "order-service", kind: "producer", operation: "send", attributes: {} }, { service: "worker", kind: "consumer", operation: "process", attributes: {} }] }] } } },
    fail: { ...withRun(), traces: { [JSON.stringify({ service: "order-service" })]: { value: [{ traceId: "t1", spans: [{ service: "order-service", kind: "producer", operation: "send", attributes: {} }] }] } } },
    missing: /the fullest trace crosses order-service; missing worker/,
  },
  traceLinked: {
    check: { kind: "traceLinked", service: "worker", spanKind: "consumer", atLeast: 2 },
    // Link propagation: each CONSUMER span roots its own trace and links to the producer's trace.
    pass: { ...withRun(), traces: { [JSON.stringify({ service: "worker", tags: {} })]: { value: ["c1", "c2"].map((traceId, i) => ({ traceId, spans: [{ service: "worker", kind: "consumer", operation: "process", attributes: {}, links: [`p${i}`] }] })) } } },
    // Parent propagation: the CONSUMER spans sit in the producer's trace, without links.
    fail: { ...withRun(), traces: { [JSON.stringify({ service: "worker", tags: {} })]: { value: [{ traceId: "p1", spans: [{ service: "order-service", kind: "producer", operation: "send", attributes: {}, links: [] }, { service: "worker", kind: "consumer", operation: "process", attributes: {}, links: [] }] }] } } },
    missing: /0 of 1 CONSUMER span\(s\) of worker link to another trace \(they continue the producer's trace as its children\)/,
  },
  traceConforms: {
    check: { kind: "traceConforms", service: "worker", propagation: "link", rules: ["creation-link"] },
    // The graded traces: the worker's own (its process span links to the producer's send span), or the producer's with the worker's span as a child.
    pass: { ...withRun(), traces: { [JSON.stringify({ service: "worker", tags: {} })]: { value: [conformsView("c1", [{ refType: "FOLLOWS_FROM", traceID: "p1", spanID: "send" }])] } } },
    fail: { ...withRun(), traces: { [JSON.stringify({ service: "worker", tags: {} })]: { value: [conformsView("p1", [{ refType: "CHILD_OF", traceID: "p1", spanID: "send" }], true)] } } },
    missing: /0 of 1 trace\(s\) of worker grade clean; trace p1…: "process orders" breaks "a process span is the child .*" \(a child of the send span, not linked to it \(parent propagation\)\)/,
  },
  deliveryOrder: {
    check: { kind: "deliveryOrder", consumer: "worker/process", expect: "reordered", minMessages: 4 },
    pass: withRun(fakeRun({ events: events("processed", "worker/process", [1, 3, 2, 4, 5]) })),
    fail: withRun(fakeRun({ events: events("processed", "worker/process", [1, 2, 3, 4, 5]) })),
    missing: /all 5 messages processed by worker\/process came in send order; this step expects them out of order/,
  },
  partitionByKey: {
    check: { kind: "partitionByKey", consumer: "worker/process", minKeys: 2 },
    pass: withRun(fakeRun({ events: events("delivered", "worker/process", [1, 2, 3, 4], (seq) => ({ key: String(seq % 2), partition: seq % 2 })) })),
    fail: withRun(fakeRun({ events: events("delivered", "worker/process", [1, 2, 3], (seq) => ({ key: "7", partition: seq })) })),
    missing: /key 7 arrived on partitions 1 and 2 and 3/,
  },
  resumedAfterGap: {
    check: { kind: "resumedAfterGap", consumer: "worker/process", gapSeconds: 3, atLeast: 2 },
    // Acks at 1.0-1.2 s, none for 4 s (the broker was down), then two more.
    pass: withRun(fakeRun({ events: events("acked", "worker/process", [1, 2, 3, 4, 5]).map((e, i) => ({ ...e, at: i < 3 ? 1000 + i * 100 : 5200 + i * 100 })) })),
    fail: withRun(fakeRun({ events: events("acked", "worker/process", [1, 2, 3, 4, 5]).map((e, i) => ({ ...e, at: 1000 + i * 500 })) })),
    missing: /never 3 s apart \(longest pause 0\.5 s\): no outage yet/,
  },
  scenario: {
    check: { kind: "scenario", path: "services[worker].consumers[process].prefetch", equals: 1 },
    pass: withRun(),
    fail: withRun(fakeRun({ scenario: { ...fixtureScenario(), services: fixtureScenario().services.map((s) => ({ ...s, consumers: s.consumers.map((c) => ({ ...c, prefetch: 100 })) })) } })),
    missing: /prefetch: 100; this step wants 1/,
  },
  scenarioProblem: {
    check: { kind: "scenarioProblem", path: "from\\.queue", message: "not a queue declared" },
    pass: { ...emptySnapshot(), attempt: { at: 1, problems: [{ path: "services[1].consumers[0].from.queue", message: '"orders_queue" is not a queue declared in resources.rabbit.queues' }] } },
    fail: { ...emptySnapshot(), attempt: { at: 1, problems: [], runId: "r1" } },
    missing: /your last try was a valid scenario, and it ran/,
  },
  runError: {
    check: { kind: "runError", code: "CONFLICT", message: "order_queue" },
    pass: { ...emptySnapshot(), attempt: { at: 1, problems: [], error: { code: "CONFLICT", message: 'queue "order_queue" already exists with x-message-ttl 60000', verified: true } } },
    fail: { ...emptySnapshot(), attempt: { at: 1, problems: [], error: { code: "CONFLICT", message: 'queue "order_queue" already exists', verified: false } } },
    missing: /the engine holds no failed run that says so/,
  },
  runNote: {
    check: { kind: "runNote", message: "ACCESS.REFUSED.*exchange 'audit'" },
    pass: withRun(fakeRun({ notes: ["order-service[0]: publish: access refused (403 (ACCESS-REFUSED) with message \"ACCESS_REFUSED - access to exchange 'audit' in vhost '/' refused\")"] })),
    fail: withRun(fakeRun({ notes: ["order-service[0]: publish: channel closed"] })),
    missing: /0 of the run's 1 note\(s\) match .*last: order-service\[0\]: publish: channel closed/,
  },
  brokerConnections: {
    check: { kind: "brokerConnections", service: "order-service", broker: "rabbit", tls: true, runUser: true },
    // Named as a replica names its connection (lib/run/ipc.ts connectionName), by the fixture run's id.
    pass: { ...withRun(), connections: { rabbit: { value: [{ clientName: "brokerlab fixture-1 order-service[0]", user: "brokerlab-fixture-1-order-service", tls: { protocol: "tlsv1.3", cipher: "aes_256_gcm" } }] } } },
    fail: { ...withRun(), connections: { rabbit: { value: [{ clientName: "brokerlab fixture-1 order-service[0]", user: "guest", tls: { protocol: "tlsv1.3" } }, { clientName: "brokerlab other-run order-service[0]", user: "brokerlab-other-run-order-service", tls: {} }] } } },
    missing: /lists order-service\[0\] as guest over tlsv1\.3; this step wants at least 1 over TLS as a user made for the run/,
  },
  all: {
    check: { kind: "all", checks: [{ kind: "runStatus", is: ["running"] }, { kind: "ledger", field: "lost", op: "==", value: 0 }] },
    pass: withRun(),
    fail: withRun(fakeRun({ status: "finished", frame: frame({ ledger: { confirmed: 2, consumed: 1, lost: 1, duplicated: 0, recovered: 0 } }) })),
    missing: /0 of 2 hold; still missing/,
  },
  any: {
    check: { kind: "any", checks: [{ kind: "runStatus", is: ["finished"] }, { kind: "runMetric", path: "producers.order-service/new-orders.published", op: ">=", value: 5 }] },
    pass: withFrame({ producers: { "order-service/new-orders": producer({ published: 5 }) } }),
    fail: withRun(),
    missing: /none holds yet/,
  },
};

describe("check evaluation", () => {
  it("has a positive and a negative case for every kind of check", () => {
    assert.deepEqual(Object.keys(cases).sort(), [...checkKinds].sort());
  });

  for (const [kind, { check, pass, fail, missing }] of Object.entries(cases)) {
    describe(kind, () => {
      it("holds when the condition is met", () => {
        const result = decide(check, pass);
        assert.equal(result.state, "pass", result.detail);
      });
      it("does not hold otherwise, and says what is missing", () => {
        const result = decide(check, fail);
        assert.notEqual(result.state, "pass", result.detail);
        assert.match(result.detail, missing);
      });
    });
  }

  it("is red without a run, with a hint to start one", () => {
    const result = decide({ kind: "runMetric", path: "ledger.lost", op: "==", value: 0 }, emptySnapshot());
    assert.equal(result.state, "fail");
    assert.match(result.detail, /No run yet/);
  });

  it("is amber when a count is on its way, and says how many of how many", () => {
    const snapshot = withRun(fakeRun({ replicas: { "worker/process": [{ replica: 0, received: 2, acked: 2 }, { replica: 1, received: 1, acked: 1 }] } }));
    const result = decide({ kind: "replicaMetric", consumer: "worker/process", field: "received", op: ">", value: 0 }, snapshot);
    assert.equal(result.state, "partial");
    assert.match(result.detail, /^2 of 3 replicas/);
  });

  it("combines children: amber when some hold, and lists the missing leaves", () => {
    const check: Check = {
      kind: "all",
      checks: [
        { kind: "runMetric", label: "an order was confirmed", path: "producers.order-service/new-orders.confirmed", op: ">=", value: 1 },
        { kind: "ledger", label: "nothing lost", field: "lost", op: "==", value: 0 },
        { kind: "runStatus", label: "finished", is: ["finished"] },
      ],
    };
    const result = decide(check, withFrame({ producers: { "order-service/new-orders": producer({ confirmed: 0 }) } }));
    assert.equal(result.state, "partial");
    assert.deepEqual(missingParts(result).map((r) => r.label), ["an order was confirmed", "finished"]);
    assert.deepEqual(result.children?.map((c) => c.id), ["test.1", "test.2", "test.3"]);
  });

  it("keeps a sticky check green for the rest of the run once it held", () => {
    const check: Check = { kind: "replicaState", id: "killed", sticky: true, service: "worker", state: "killed" };
    const first = evaluateCheck(check, cases.replicaState!.pass, "step");
    const latched = newlyLatched(first);
    assert.deepEqual([...latched.keys()], ["killed"]);
    const later = evaluateCheck(check, cases.replicaState!.fail, "step", latched);
    assert.equal(later.state, "pass");
    assert.equal(later.held, true);
    assert.match(later.detail, /seen earlier in this run/);
    assert.equal(evaluateCheck(check, cases.replicaState!.fail, "step").state, "fail");
  });

  it("sums '*' readings for counted goals: 1 of 2 consumers", () => {
    const snapshot = withFrame({ consumers: { "a/x": consumer({ received: 100 }), "b/y": consumer({ received: 40 }) } });
    const result = decide({ kind: "runMetric", path: "consumers.*.received", op: ">=", value: 100, need: "all" }, snapshot);
    assert.equal(result.state, "partial");
    assert.match(result.detail, /1 of 2 consumers have received at least 100; not yet: b\/y/);
  });

  it("names only the data a check needs, and skips latched nodes", () => {
    const check: Check = {
      kind: "all",
      checks: [
        { kind: "xDeath", id: "dlq", sticky: true, queue: "payments.dead" },
        { kind: "queueDepth", queue: "payments", op: ">=", value: 1 },
        { kind: "traceHasSpan", service: "worker", attributes: { "brokerlab.redelivered": true } },
        { kind: "replicaMetric", consumer: "worker/process", field: "acked", op: ">", value: 0 },
      ],
    };
    const needs = checkNeeds(check);
    assert.deepEqual(needs.deadLetters, ["payments.dead"]);
    assert.deepEqual(needs.queues, ["payments"]);
    assert.deepEqual(needs.traces.map((t) => t.tags), [{ "brokerlab.redelivered": "true" }]);
    assert.equal(needs.replicas, true);
    assert.equal(needs.events, false);
    assert.deepEqual(checkNeeds(check, (node) => node.id === "dlq").deadLetters, []);
  });

  it("rejects checks outside the closed set and malformed ones", () => {
    assert.equal(checkSchema.safeParse({ kind: "eval", code: "process.exit()" }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "runMetric", path: "consumers.x.acked", op: "~", value: 1 }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "runMetric", path: "consumers.x.colour", op: ">", value: 1 }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "scenarioProblem", message: "(" }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "scenario", path: "services[a].replicas" }).success, false);
    assert.equal(checkSchema.safeParse({ kind: "all", checks: [] }).success, false);
  });
});
