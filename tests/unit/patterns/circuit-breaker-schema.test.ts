// A requester's circuit breaker in the scenario schema: defaults, durations as text, and problems
// that name the bad field of the breaker.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expectProblem, expectValid, withChange } from "../scenario/helpers";

const breakerPath = "services[0].requesters[0].circuitBreaker";

function requestReply(circuitBreaker: unknown): Record<string, unknown> {
  return {
    version: 1,
    name: "breaker",
    brokers: { rabbit: { kind: "rabbitmq" } },
    resources: { rabbit: { queues: [{ name: "pricing.requests" }] } },
    services: [
      { name: "shop", requesters: [{ name: "ask", broker: "rabbit", to: { queue: "pricing.requests" }, timeout: "1s", circuitBreaker }] },
      { name: "pricing", repliers: [{ name: "quote", broker: "rabbit", from: { queue: "pricing.requests" } }] },
    ],
  };
}

describe("a requester's circuit breaker", () => {
  it("takes the open duration as text and one half-open trial by default", () => {
    const scenario = expectValid(requestReply({ failureThreshold: 5, openFor: "2s" }));
    assert.deepEqual(scenario.services[0]!.requesters![0]!.circuitBreaker, { failureThreshold: 5, openFor: 2_000, halfOpenTrials: 1 });
  });

  it("is optional: a requester without one has none", () => {
    const scenario = expectValid(withChange(breakerPath, undefined, requestReply({ failureThreshold: 1, openFor: 100 })));
    assert.equal(scenario.services[0]!.requesters![0]!.circuitBreaker, undefined);
  });

  it("names the bad field and what to write", () => {
    expectProblem(requestReply({ failureThreshold: 0, openFor: "2s" }), `${breakerPath}.failureThreshold`, /must be at least 1 failure in a row/);
    expectProblem(requestReply({ failureThreshold: 3, openFor: "soon" }), `${breakerPath}.openFor`, /"soon" is not a duration; write e.g. 500ms, 5s or 2m/);
    expectProblem(requestReply({ failureThreshold: 3, openFor: "10ms" }), `${breakerPath}.openFor`, /at least 100ms/);
    expectProblem(requestReply({ failureThreshold: 3, openFor: "2s", halfOpenTrials: 0 }), `${breakerPath}.halfOpenTrials`, /must be at least 1 trial call/);
    expectProblem(requestReply({ failureThreshold: 3 }), `${breakerPath}.openFor`, /is required/);
    expectProblem(requestReply({ failureThreshold: 3, openFor: "2s", resetAfter: "1s" }), breakerPath, /resetAfter/);
  });
});
