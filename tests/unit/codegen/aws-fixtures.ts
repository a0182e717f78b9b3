// An Amazon SQS/SNS/EventBridge scenario whose producers and consumers take every branch of the
// generators: FIFO and standard queues and topics, declared and existing ones, a bus and the
// default bus, and consumers with each ack mode and failure policy.
export function awsInput(): Record<string, unknown> {
  return {
    version: 1,
    name: "aws-variant",
    brokers: { aws: { kind: "aws" } },
    resources: {
      aws: {
        queues: [
          { name: "orders.fifo", visibilityTimeout: "45s", deadLetter: { queue: "orders-dlq.fifo", maxReceiveCount: 3 } },
          { name: "orders-dlq.fifo", retention: "2m" },
          { name: "billing", delay: "1s", deadLetter: { queue: "billing-dlq", maxReceiveCount: 2 } },
          { name: "billing-dlq" },
          { name: "audit", existing: true },
        ],
        topics: [{ name: "order-events" }, { name: "order-log.fifo" }, { name: "legacy", existing: true }],
        subscriptions: [{ topic: "order-events", queue: "billing", raw: true, filterPolicy: { type: ["created"] } }],
        buses: [{ name: "shop" }],
        rules: [{ name: "route-orders", bus: "shop", pattern: { source: ["shop"] }, targets: [{ queue: "billing" }] }],
      },
    },
    services: [
      {
        name: "shop",
        producers: [
          { name: "orders", broker: "aws", to: { queue: "orders.fifo", groupId: "{{customer}}", deduplicationId: "order-{{seq}}" }, payload: { customer: "c{{randomInt 1 3}}", note: "order {{seq}}" }, headers: { tenant: "acme" }, rate: { burst: 5 } },
          { name: "plain", broker: "aws", to: { queue: "audit" }, payload: { id: "{{uuid}}", at: "{{now}}" }, rate: { perSecond: 5 }, count: 10 },
          { name: "events", broker: "aws", to: { snsTopic: "order-events", attributes: { type: "created", region: "{{pick eu us}}", size: 3 } } },
          { name: "log", broker: "aws", to: { snsTopic: "order-log.fifo", groupId: "log" }, rate: { manual: true } },
          { name: "legacy", broker: "aws", to: { snsTopic: "legacy" } },
          { name: "bus", broker: "aws", to: { bus: "shop", source: "shop", detailType: "OrderCreated" }, headers: { tenant: "acme" } },
          { name: "default-bus", broker: "aws", to: { bus: "default", source: "shop.legacy", detailType: "OrderPaid" } },
        ],
      },
      {
        name: "billing",
        consumers: [
          { name: "fifo", broker: "aws", from: { queue: "orders.fifo", waitSeconds: 1 }, concurrency: 5, work: { ms: 20, jitterMs: 5 }, failures: { errorRate: 0.1, poison: { field: "note", equals: "order 3" } }, onError: { retries: 2, backoffMs: [1000], then: "dead-letter" } },
          { name: "requeue", broker: "aws", from: { queue: "billing" }, onError: "requeue" },
          { name: "drop", broker: "aws", from: { queue: "billing" }, onError: { retries: 1, then: "drop" } },
          { name: "auto", broker: "aws", from: { queue: "billing" }, ack: "auto", idempotent: true, failures: { crashAfter: 50 } },
          { name: "no-dlq", broker: "aws", from: { queue: "audit" }, onError: "dead-letter", idempotent: true },
        ],
      },
    ],
  };
}
