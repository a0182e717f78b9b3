import { loadExample, runToReport } from "../../support/engine";
void (async () => {
  const name = process.argv[2] ?? "order-inventory";
  const report = await runToReport(loadExample(name), process.env.NOPROXY ? { linkProxies: false } : {});
  console.log(JSON.stringify({ status: report.status, ledger: report.ledger, producers: report.producers, consumers: Object.fromEntries(Object.entries(report.consumers).map(([k, c]) => [k, { received: c.received, acked: c.acked, redelivered: c.redelivered, dup: c.duplicates }])), latency: report.latencyMs, errors: report.errors, timeline: report.timeline }, null, 1));
  process.exit(0);
})();
