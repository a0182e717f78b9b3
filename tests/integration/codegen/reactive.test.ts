// The generated reactive TypeScript consumer (an RxJS pipeline) on the real RabbitMQ: the generated
// producer fills a queue, the reactive consumer drains it with never more messages in work than its
// mergeMap bound, and every message is acknowledged (the queue ends empty, nothing unacknowledged).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CodegenError } from "../../../lib/codegen/plan";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const programs = generatedPrograms("codegen-reactive");
const queue = unique("reactive-packing");
const count = 60;
const concurrency = 4;
const config = loadConfig();
const url = config.RABBITMQ_URL;
const rabbit = createRabbitAdmin({ url, managementUrl: config.RABBITMQ_MANAGEMENT_URL });

const scenario = loadScenario(`version: 1
name: reactive-consumer
brokers:
  rabbit: { kind: rabbitmq }
resources:
  rabbit:
    queues:
      - { name: ${queue}, type: classic, durable: true }
services:
  - name: order-service
    producers:
      - name: orders
        broker: rabbit
        to: { queue: ${queue} }
        rate: { perSecond: 200 }
        count: ${count}
        payload: { orderId: "{{seq}}" }
  - name: packing-service
    consumers:
      - name: pack
        broker: rabbit
        from: { queue: ${queue} }
        ack: manual
        prefetch: 6
        concurrency: ${concurrency}
        work: { ms: 60 }
`);

after(async () => {
  programs.cleanUp();
  const resources = scenario.resources.rabbit;
  if (resources?.kind === "rabbitmq") await rabbit.teardown(resources).catch(() => {});
  await rabbit.close();
});

describe("generated reactive TypeScript consumer on RabbitMQ", { timeout: 180_000 }, () => {
  it("drains the queue with at most `concurrency` messages in work, acknowledging every one", async () => {
    const code = generateTypeScript(scenario, { service: "packing-service", consumer: "pack", style: "reactive" });
    assert.match(code.source, /mergeMap\(async \(message\) => \{[\s\S]*\}, concurrency\)/);
    assert.deepEqual(code.run, ["npm install amqplib rxjs tsx", "npx tsx packing-service-pack-reactive.ts"]);

    const sender = programs.start(generateTypeScript(scenario, { service: "order-service", producer: "orders" }), { RABBITMQ_URL: url });
    const status = await Promise.race([sender.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
    assert.equal(status, 0, sender.output());
    assert.match(sender.output(), new RegExp(`published ${count} messages, every one confirmed`));

    const receiver = programs.start(code, { RABBITMQ_URL: url });
    const processed = () => [...receiver.output().matchAll(/order-service\/orders\/(\d+): processed \((\d+) in work, at most (\d+) so far\)/g)];
    await waitFor(() => processed().length >= count || undefined, { timeoutMs: 60_000, description: `the reactive consumer to process ${count} orders (${receiver.output()})` });
    await receiver.stop();

    const lines = processed();
    assert.deepEqual(new Set(lines.map((m) => Number(m[1]))).size, count, "every order once");
    const most = Math.max(...lines.map((m) => Number(m[3])));
    assert.ok(most <= concurrency, `never more than ${concurrency} in work: saw ${most}`);
    assert.ok(most >= 2, `the bound was used (60 queued orders, ${concurrency} at a time): saw at most ${most}`);
    assert.doesNotMatch(receiver.output(), /Error|requeued/);

    // With the consumer gone, an unacknowledged order would be back in the queue.
    await waitFor(async () => (await rabbit.queueStats([queue]))[0]?.messages === 0 || undefined, { timeoutMs: 30_000, description: "the queue to be empty: every order acknowledged" });
  });

  it("says which consumers the reactive style does not cover", () => {
    assert.throws(() => generateTypeScript(scenario, { service: "order-service", producer: "orders", style: "reactive" }), (error: unknown) => error instanceof CodegenError && /RabbitMQ consumers/.test(error.message));
  });
});
