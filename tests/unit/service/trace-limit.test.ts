// The trace limit: every message traced up to the limit, the rest counted as untraced, and a
// message's spans all follow its first span's decision (parent or link).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from "@opentelemetry/api";
import type { SpanContext } from "@opentelemetry/api";
import { traceIdOf } from "../../../server/brokers/messaging";
import { createTraceLimiter, exportedTraceId } from "../../../server/service/trace-limit";

const remote = (sampled: boolean): SpanContext => ({
  traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true,
});

describe("the trace limit", () => {
  it("traces every new message when there is no limit", () => {
    const limiter = createTraceLimiter(0);
    for (let i = 0; i < 5_000; i++) assert.equal(limiter.sampler.shouldSample(ROOT_CONTEXT, "t", "send", SpanKind.PRODUCER, {}, []).decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.deepEqual(limiter.counts(), { traced: 5_000, untraced: 0 });
  });

  it("traces at most the limit per second and counts the rest", () => {
    let now = 0;
    const limiter = createTraceLimiter(100, () => now);
    const root = () => limiter.sampler.shouldSample(ROOT_CONTEXT, "t", "send", SpanKind.PRODUCER, {}, []).decision;
    // 1,000 messages in the first second, evenly: the bucket starts full (100), refills 100/s.
    let kept = 0;
    for (let i = 0; i < 1_000; i++) {
      now = i;
      if (root() === SamplingDecision.RECORD_AND_SAMPLED) kept += 1;
    }
    assert.ok(kept >= 195 && kept <= 200, `kept ${kept}`);
    assert.deepEqual(limiter.counts(), { traced: kept, untraced: 1_000 - kept });
    // After a quiet second the bucket is full again.
    now = 3_000;
    assert.equal(root(), SamplingDecision.RECORD_AND_SAMPLED);
  });

  it("follows the parent's decision and does not count it as a new message", () => {
    const limiter = createTraceLimiter(1);
    for (const sampled of [true, false, true]) {
      const context = trace.setSpanContext(ROOT_CONTEXT, remote(sampled));
      const decision = limiter.sampler.shouldSample(context, "t", "process", SpanKind.CONSUMER, {}, []).decision;
      assert.equal(decision, sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD);
    }
    assert.deepEqual(limiter.counts(), { traced: 0, untraced: 0 });
  });

  it("follows a linked producer span (link propagation)", () => {
    const limiter = createTraceLimiter(1);
    const linked = (sampled: boolean) => limiter.sampler.shouldSample(ROOT_CONTEXT, "t", "process", SpanKind.CONSUMER, {}, [{ context: remote(sampled) }]).decision;
    assert.equal(linked(false), SamplingDecision.NOT_RECORD);
    assert.equal(linked(true), SamplingDecision.RECORD_AND_SAMPLED);
    assert.deepEqual(limiter.counts(), { traced: 0, untraced: 0 });
  });
});

describe("trace ids shown for a message", () => {
  it("come only from sampled traces", () => {
    assert.equal(traceIdOf({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }), "0af7651916cd43dd8448eb211c80319c");
    assert.equal(traceIdOf({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00" }), undefined);
    assert.equal(traceIdOf({ traceparent: Buffer.from("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") }), "0af7651916cd43dd8448eb211c80319c");
    assert.equal(exportedTraceId(trace.wrapSpanContext(remote(true))), "0af7651916cd43dd8448eb211c80319c");
    assert.equal(exportedTraceId(trace.wrapSpanContext(remote(false))), undefined);
    assert.equal(exportedTraceId(undefined), undefined);
  });
});
