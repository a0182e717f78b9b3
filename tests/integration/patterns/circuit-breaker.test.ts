// A requester's deadline and circuit breaker on the real stack: with the replier killed, requests
// time out until the breaker opens, then calls fail fast without a message sent; once the replier
// is back, a trial call succeeds and the breaker closes. The trace shows both kinds of failure.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchTrace, jaegerQueryUrl, searchTraces } from "../../support/jaeger-traces";
import { loadScenario, runToReport, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const scenario = (queue: string) => loadScenario(`
version: 1
name: ${unique("cb")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    queues: [{ name: ${queue} }]
services:
  - name: shop
    requesters:
      - name: ask
        broker: rabbit
        to: { queue: ${queue} }
        timeout: 1500ms
        expire: true
        circuitBreaker: { failureThreshold: 3, openFor: 2s, halfOpenTrials: 2 }
        rate: { perSecond: 10 }
        count: 200
        payload: { n: "{{seq}}" }
  - name: pricing
    repliers:
      - name: quote
        broker: rabbit
        from: { queue: ${queue} }
        work: { ms: 5 }
faults:
  - { at: 5s, kill: pricing, for: 5s }
`);

const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

/** The names of the span events (Jaeger "logs") of every span in a trace. */
async function spanEvents(traceId: string): Promise<string[]> {
  const response = await fetch(`${jaegerQueryUrl()}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
  const body = await response.json() as { data?: { spans: { logs?: { fields: { key: string; value: unknown }[] }[] }[] }[] };
  return (body.data?.[0]?.spans ?? []).flatMap((s) => (s.logs ?? []).flatMap((l) => l.fields.filter((f) => f.key === "event").map((f) => String(f.value))));
}

describe("a requester's circuit breaker on the real stack", { timeout: 240_000 }, () => {
  it("opens while the replier is down (fast failures, nothing sent), half-opens and closes once it is back", async () => {
    const report = await runToReport(scenario(unique("cb.requests")));
    const view = report.patterns?.requests?.["shop/ask"];
    assert.ok(view, `the report has shop/ask: ${JSON.stringify(Object.keys(report.patterns?.requests ?? {}))}`);
    const c = view.counters;
    const figures = JSON.stringify(c);
    const start = Date.parse(report.startedAt);
    const moments = (report.timeline ?? []).map((t) => `${((t.at - start) / 1000).toFixed(1)}s ${t.kind} ${t.target}: ${t.detail}`);
    const outcomes = view.recent.map((o) => `${((o.at - start) / 1000).toFixed(1)}s ${o.status}`);
    console.log(`# breaker figures: ${figures}\n# ${moments.join("\n# ")}\n# ${outcomes.join(", ")}`);
    assert.ok(c.timedOut >= 3, `calls timed out before the breaker opened: ${figures}`);
    assert.ok((c.fastFailed ?? 0) > 0, `the open breaker failed calls fast: ${figures}`);
    assert.ok((c.breakerOpened ?? 0) >= 1 && (c.breakerHalfOpened ?? 0) >= 1 && (c.breakerClosed ?? 0) >= 1, `opened, half-opened and closed: ${figures}`);
    assert.equal(c.sent + (c.fastFailed ?? 0), 200, `every call was either sent or failed fast: ${figures}`);
    assert.equal(c.replied + c.errors + c.timedOut + c.failed, c.sent, `every sent request ended one way: ${figures}`);
    assert.ok(c.replied > 30, `the replier answered before the kill and after its return: ${figures}`);
    assert.ok(view.recent.slice(-10).every((o) => o.status === "replied"), `the breaker closed and the last calls were answered: ${view.recent.slice(-10).map((o) => o.status).join(", ")}`);

    // A fast-failed call is a CLIENT span alone in its trace: no message was published or consumed.
    const run = { "brokerlab.run.id": report.runId };
    const [fastTrace] = await waitFor(async () => nonEmpty(await searchTraces("shop", { ...run, "brokerlab.request.outcome": "fast-failed" })), { timeoutMs: 30_000, description: "a fast-failed call in Jaeger" });
    const fastSpans = await waitFor(() => fetchTrace(fastTrace!), { timeoutMs: 20_000, description: `trace ${fastTrace}` });
    assert.deepEqual(fastSpans.map((s) => `${s.service}:${s.kind}`), ["shop:client"]);
    assert.equal(fastSpans[0]!.tags["otel.status_code"], "ERROR");
    // A timed-out request was published and expired unanswered: a PRODUCER span, no reply consumed.
    const timedOutTraces = await waitFor(async () => nonEmpty(await searchTraces("shop", { ...run, "brokerlab.request.outcome": "timeout" })), { timeoutMs: 30_000, description: "a timed-out call in Jaeger" });
    const timedOutKinds = (await fetchTrace(timedOutTraces[0]!))!.map((s) => `${s.service}:${s.kind}`).sort();
    assert.ok(timedOutKinds.includes("shop:producer") && !timedOutKinds.includes("shop:consumer"), `a timed-out request was sent and got no reply: ${timedOutKinds.join(", ")}`);
    // A trial call sent while half-open that got its reply: the one that closed the breaker.
    await waitFor(async () => nonEmpty(await searchTraces("shop", { ...run, "brokerlab.circuit.state": "half-open", "brokerlab.request.outcome": "replied" })), { timeoutMs: 30_000, description: "a successful half-open trial call in Jaeger" });
    // The transitions are span events on the requester's spans: the half-open trial calls carry the
    // changes they caused (closed, or open again), fast-failed calls their refusal. (A search for the
    // whole run would stop at Jaeger's 100 newest traces.)
    const events = await waitFor(async () => {
      const traces = [...await searchTraces("shop", { ...run, "brokerlab.circuit.state": "half-open" }), ...await searchTraces("shop", { ...run, "brokerlab.request.outcome": "fast-failed" })];
      const found = (await Promise.all(traces.map(spanEvents))).flat();
      return ["brokerlab.circuit.open", "brokerlab.circuit.half-open", "brokerlab.circuit.closed", "brokerlab.circuit.rejected"].every((e) => found.includes(e)) ? found : undefined;
    }, { timeoutMs: 30_000, description: "span events for open, half-open, closed and a rejected call" });
    assert.ok(events.length > 0);
  });
});
