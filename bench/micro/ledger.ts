// `npx tsx bench/micro/ledger.ts`: the engine's ledger under a long run's load. Confirms and
// consumes ids in frame-sized batches (as at 10,000 msg/s, consumes lagging confirms, some
// consumed before their confirm arrives, some duplicated), calls summary() after every frame as
// the engine does, checks the counts against a from-scratch computation, and prints the cost.
import assert from "node:assert/strict";
import { createLedger } from "../../server/engine/ledger";

const total = Number(process.argv[2] ?? 600_000);
const heapBefore = process.memoryUsage().heapUsed;
const perFrame = 1_000; // 100 ms of 10,000 msg/s
const ledger = createLedger();
const confirmed = new Set<string>();
const consumed = new Set<string>();
let summaryMs = 0;
let calls = 0;
const started = performance.now();
for (let frame = 0; frame * perFrame < total; frame++) {
  const base = frame * perFrame;
  const confirms = Array.from({ length: perFrame }, (_, i) => `svc/p/${base + i}`).filter((_, i) => i % 97 !== 0);
  // Consumes lag by one frame; every 97th id is consumed before (or without) its confirm; a few twice.
  const consumes = Array.from({ length: perFrame }, (_, i) => `svc/p/${base - perFrame + i}`).filter((id) => !id.endsWith("/-1") && Number(id.split("/")[2]) >= 0);
  consumes.push(...Array.from({ length: 10 }, (_, i) => `svc/p/${base + i * 97}`));
  if (frame % 50 === 0) consumes.push(`svc/p/${base - perFrame}`);
  ledger.confirm(confirms);
  confirms.forEach((id) => confirmed.add(id));
  ledger.consume("svc/c", consumes);
  consumes.forEach((id) => consumed.add(id));
  const t = performance.now();
  ledger.summary();
  summaryMs += performance.now() - t;
  calls += 1;
}
const summary = ledger.summary();
// The checker's own sets below hold the same ids; measure before building more.
const ledgerAndCheckerMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
assert.equal(summary.confirmed, confirmed.size);
assert.equal(summary.consumed, consumed.size);
assert.equal(summary.lost, [...confirmed].filter((id) => !consumed.has(id)).length);
assert.equal(summary.recovered, [...consumed].filter((id) => !confirmed.has(id)).length);
console.log(`${total.toLocaleString("en-US")} ids, ${calls} frames: summary() ${(summaryMs / calls).toFixed(3)} ms per frame (last ${summary.confirmed.toLocaleString("en-US")} confirmed), ${(performance.now() - started).toFixed(0)} ms in all; heap growth ${ledgerAndCheckerMiB.toFixed(0)} MiB (ledger plus this check's two id sets); counts match: ${JSON.stringify(summary)}`);
