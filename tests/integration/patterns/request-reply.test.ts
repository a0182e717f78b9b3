// Request/reply on the real stack: every reply is matched to its request by correlation id, one
// trace holds request and reply, and with the server killed the requests time out and say so.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchTrace } from "../../support/jaeger-traces";
import { loadScenario, runToReport, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

function scenario(options: { queue: string; count: number; perSecond: number; timeout: string; workMs?: number; faults?: string }) {
  return loadScenario(`
version: 1
name: ${unique("rr")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    queues: [{ name: ${options.queue} }]
services:
  - name: shop
    requesters:
      - name: ask
        broker: rabbit
        to: { queue: ${options.queue} }
        timeout: ${options.timeout}
        rate: { perSecond: ${options.perSecond} }
        count: ${options.count}
        payload: { sku: "{{pick a b c}}", n: "{{seq}}" }
  - name: pricing
    repliers:
      - name: quote
        broker: rabbit
        from: { queue: ${options.queue} }
        concurrency: 4
        work: { ms: ${options.workMs ?? 5} }
        reply: { sku: "{{sku}}", n: "{{n}}", price: "{{randomFloat 1 9}}" }
${options.faults ?? ""}
`);
}

describe("request/reply on the real stack", { timeout: 240_000 }, () => {
  it("100 requests: every reply matched by correlation id, one trace per request and reply", async () => {
    const report = await runToReport(scenario({ queue: unique("rr.requests"), count: 100, perSecond: 50, timeout: "5s" }));
    assert.equal(report.status, "finished");
    const view = report.patterns?.requests?.["shop/ask"];
    assert.ok(view, `the report has shop/ask: ${JSON.stringify(Object.keys(report.patterns?.requests ?? {}))}`);
    assert.deepEqual(
      { sent: view.counters.sent, confirmed: view.counters.confirmed, replied: view.counters.replied, errors: view.counters.errors, timedOut: view.counters.timedOut, late: view.counters.late, unmatched: view.counters.unmatched, pending: view.counters.pending },
      { sent: 100, confirmed: 100, replied: 100, errors: 0, timedOut: 0, late: 0, unmatched: 0, pending: 0 },
    );
    assert.equal(view.rtt.count, 100, "a round trip for every reply");
    assert.ok(view.rtt.p50 > 0 && view.rtt.p50 < 1_000, `round trip p50 ${view.rtt.p50} ms`);
    assert.equal(report.patterns?.repliers?.["pricing/quote"]?.replied, 100);
    // 100 requests and 100 replies, each consumed exactly once: the reply ids are matched requests.
    assert.deepEqual(report.ledger, { confirmed: 200, consumed: 200, lost: 0, duplicated: 0, recovered: 0 });
    const recent = view.recent.filter((o) => o.status === "replied");
    assert.ok(recent.length > 0 && recent.every((o) => o.rttMs !== undefined && o.traceId), "outcomes carry their round trip and trace");

    const traceId = recent.at(-1)!.traceId!;
    const spans = await waitFor(async () => {
      const found = await fetchTrace(traceId);
      return found && found.length >= 5 ? found : undefined;
    }, { timeoutMs: 20_000, description: `trace ${traceId} with request and reply spans` });
    const kinds = spans.map((s) => `${s.service}:${s.kind}`).sort();
    assert.deepEqual(kinds, ["pricing:consumer", "pricing:producer", "shop:client", "shop:consumer", "shop:producer"], `spans: ${kinds.join(", ")}`);
    const client = spans.find((s) => s.kind === "client")!;
    assert.match(client.operation, /^request /);
    assert.ok(spans.filter((s) => s.service === "shop" && s.kind === "consumer").every((s) => s.tags["messaging.message.conversation_id"] === client.tags["messaging.message.conversation_id"]), "the reply carries the request's correlation id");
  });

  it("a server slower than the timeout: every request times out, and every reply arrives late", async () => {
    const report = await runToReport(scenario({ queue: unique("rr.requests"), count: 10, perSecond: 10, timeout: "300ms", workMs: 600 }));
    const view = report.patterns?.requests?.["shop/ask"];
    assert.ok(view);
    assert.deepEqual({ timedOut: view.counters.timedOut, late: view.counters.late, replied: view.counters.replied, pending: view.counters.pending }, { timedOut: 10, late: 10, replied: 0, pending: 0 });
    const late = view.recent.filter((o) => o.status === "late");
    assert.equal(late.length, 10);
    assert.ok(late.every((o) => (o.rttMs ?? 0) >= 600), "a late reply's round trip is known too");
    assert.equal(view.rtt.count, 0, "late replies stay out of the round-trip histogram");
  });

  it("with the server killed, requests time out and are reported as such", async () => {
    const report = await runToReport(scenario({
      queue: unique("rr.requests"), count: 60, perSecond: 20, timeout: "700ms",
      faults: "faults:\n  - { at: 1s, kill: pricing }",
    }), { durationMs: 6_000 });
    const view = report.patterns?.requests?.["shop/ask"];
    assert.ok(view);
    const c = view.counters;
    assert.equal(c.sent, 60);
    assert.ok(c.replied > 0, `requests sent before the kill were answered (${c.replied})`);
    assert.ok(c.timedOut >= 30, `requests sent after the kill timed out (${c.timedOut})`);
    assert.equal(c.replied + c.errors + c.timedOut, 60, `every request ended one way or another: ${JSON.stringify(c)}`);
    assert.equal(c.pending, 0);
    assert.equal(c.late, 0, "the server never came back, so no reply came late");
    const timeouts = view.recent.filter((o) => o.status === "timeout");
    assert.ok(timeouts.length > 0 && timeouts.every((o) => /no reply within 700 ms/.test(o.detail ?? "")), "timeouts are listed with the reason");
    assert.ok(report.services.pricing?.[0]?.state === "killed", `pricing was killed: ${JSON.stringify(report.services.pricing)}`);

    const traceId = timeouts.at(-1)!.traceId!;
    const client = await waitFor(async () => (await fetchTrace(traceId))?.find((s) => s.kind === "client"), { timeoutMs: 20_000, description: `the CLIENT span of timed-out request ${traceId}` });
    assert.equal(client.tags["otel.status_code"], "ERROR");
  });
});
