import { loadScenario, testEngine, unique } from "../../support/engine";
void (async () => {
  for (let i = 0; i < 3; i++) {
    const topic = unique("faults-scratch");
    const text = `
version: 1
name: scratch
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 1 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic} }, rate: { perSecond: 20 }, count: 100 } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, work: { ms: 5 } } ]
${process.env.FAULT ?? ""}`;
    const run = await testEngine().start(loadScenario(text), { limitMs: 60_000, ...(process.env.NOPROXY ? { linkProxies: false } : {}) });
    const r = await run.done();
    const c = r.consumers["inventory-service/stock"]!;
    console.log(JSON.stringify({ p50: r.latencyMs.p50, p90: r.latencyMs.p90, qw: c.latencyMs.queueWait.p50, e2e: c.latencyMs.endToEnd }));
  }
  process.exit(0);
})();
