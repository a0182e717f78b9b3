// traceHasSpan's traceAlso and traceLacks: a request span counts only when its whole trace has the
// asked-for kinds of span (a timed-out request was published) and none of the others (no reply).
import assert from "node:assert/strict";
import { it } from "node:test";
import { checkSchema, type Check } from "../../../lib/lessons/checks";
import { describeCheck } from "../../../lib/lessons/describe";
import { evaluateCheck } from "../../../lib/lessons/evaluate";
import { traceNeedOf } from "../../../lib/lessons/needs";
import { emptySnapshot, type CheckSnapshot, type TraceView } from "../../../lib/lessons/snapshot";
import { fakeRun } from "./fixtures";

const check = {
  kind: "traceHasSpan", service: "checkout", spanKind: "client", attributes: { "brokerlab.request.outcome": "timeout" },
  traceAlso: ["producer"], traceLacks: ["consumer"],
} as const satisfies Check;

const span = (service: string, kind: string, attributes: Record<string, string> = {}) => ({ service, kind, operation: `${kind} op`, attributes });
const request = span("checkout", "client", { "brokerlab.request.outcome": "timeout" });
const withTraces = (traces: TraceView[]): CheckSnapshot => ({ ...emptySnapshot(), run: fakeRun(), traces: { [traceNeedOf(check).key]: { value: traces } } });

it("passes on a request that was published and never answered", () => {
  assert.ok(checkSchema.safeParse(check).success);
  const result = evaluateCheck(check, withTraces([{ traceId: "t1", spans: [request, span("checkout", "producer")] }]), "test");
  assert.equal(result.state, "pass", result.detail);
});

it("does not count a request whose trace has a consumer span, or no producer span", () => {
  const answered = { traceId: "t1", spans: [request, span("checkout", "producer"), span("pricing", "consumer")] };
  const neverSent = { traceId: "t2", spans: [request] };
  const result = evaluateCheck(check, withTraces([answered, neverSent]), "test");
  assert.equal(result.state, "fail");
  assert.match(result.detail, /0 CLIENT span\(s\) in checkout with brokerlab.request.outcome=timeout, in a trace with producer spans but no consumer span/);
  assert.match(describeCheck(check), /in a trace with producer spans but no consumer span/);
});

it("refuses an unknown span kind in traceLacks, naming the field", () => {
  const parsed = checkSchema.safeParse({ ...check, traceLacks: ["reply"] });
  assert.equal(parsed.success, false);
  assert.deepEqual(parsed.error?.issues[0]?.path.slice(-2), ["traceLacks", 0]);
});
