import { loadScenario, testEngine, unique } from "../../support/engine";
void (async () => {
  const topic = unique("faults-kafka-restart");
  const started = await testEngine().start(loadScenario(`
version: 1
name: kafka-restart
brokers: { kafka: { kind: kafka } }
resources: { kafka: { topics: [ { name: ${topic}, partitions: 2 } ] } }
services:
  - name: order-service
    producers: [ { name: orders, broker: kafka, to: { topic: ${topic}, key: "{{seq}}" }, rate: { perSecond: 50 }, count: 500, acks: all, idempotent: true } ]
  - name: inventory-service
    consumers: [ { name: stock, broker: kafka, from: { topic: ${topic}, group: ${topic}-g, fromBeginning: true }, ack: manual, work: { ms: 5 } } ]
faults:
  - { at: 3s, stopBroker: kafka, for: 3s }
`), { limitMs: 120_000 });
  const report = await started.done();
  console.log(JSON.stringify(report.ledger), JSON.stringify(started.latestFrame().producers), JSON.stringify(report.consumers["inventory-service/stock"]));
  console.log([...new Set(report.errors.map((e) => e.replace(/\d+/g, "N")))].slice(0, 20).join("\n"));
  const failed = started.messages.recent(2000).flatMap((m) => m.events.filter((e) => e.kind === "send-failed" || e.kind === "republished")).slice(0, 5);
  console.log(JSON.stringify(failed, null, 1));
  for (const e of report.timeline ?? []) console.log(new Date(e.at).toISOString().slice(11, 23), e.kind, e.target, e.detail.slice(0, 150));
  process.exit(0);
})();
