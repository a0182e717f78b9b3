// A requester's circuit breaker (cockatiel, docs/adr/0006): counts consecutive failed calls, opens
// to fail calls without sending them, half-opens after its cool-down for a few trial calls, and
// closes when they succeed. Its state and transitions become the requester's counters and span events.
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, isBrokenCircuitError } from "cockatiel";
import type { Span } from "@opentelemetry/api";
import type { RequesterCounters } from "../../../lib/run/patterns";
import type { CircuitBreaker } from "../../../lib/scenario/patterns";

export type BreakerState = "closed" | "open" | "half-open";

/** Thrown into the breaker by a call that failed (timeout, error reply, refused send). */
export class RequestFailed extends Error {}

const stateNames: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

export function createRequestBreaker(settings: CircuitBreaker, counters: RequesterCounters) {
  const policy = circuitBreaker(handleAll, {
    breaker: new ConsecutiveBreaker(settings.failureThreshold),
    halfOpenAfter: settings.openFor,
    halfOpenSampling: { calls: settings.halfOpenTrials, threshold: 0 },
  });
  Object.assign(counters, { fastFailed: 0, breakerOpened: 0, breakerHalfOpened: 0, breakerClosed: 0, breakerOpen: 0, breakerHalfOpen: 0 });
  /** Transitions not yet written on a span: the next call to settle carries them. */
  let unwritten: { to: BreakerState; at: number }[] = [];

  policy.onStateChange((next) => {
    const to = stateNames[next];
    if (to === "open") counters.breakerOpened! += 1;
    else if (to === "half-open") counters.breakerHalfOpened! += 1;
    else counters.breakerClosed! += 1;
    counters.breakerOpen = to === "open" ? 1 : 0;
    counters.breakerHalfOpen = to === "half-open" ? 1 : 0;
    unwritten.push({ to, at: Date.now() });
  });

  return {
    state: (): BreakerState => stateNames[policy.state],
    /**
     * Runs one call through the breaker: true once it ran (well or not), false when the breaker
     * refused it and nothing was sent. `call` rejects with RequestFailed when the request failed.
     */
    async run(call: () => Promise<void>): Promise<boolean> {
      try {
        await policy.execute(call);
        return true;
      } catch (error) {
        if (isBrokenCircuitError(error)) {
          counters.fastFailed! += 1;
          return false;
        }
        if (error instanceof RequestFailed) return true;
        throw error;
      }
    },
    /** Writes the transitions since the last call settled as events on `span` (the call that caused them, or the next one). */
    mark(span: Span): void {
      for (const { to, at } of unwritten) span.addEvent(`brokerlab.circuit.${to}`, { "brokerlab.circuit.state": to }, at);
      unwritten = [];
    },
  };
}

export type RequestBreaker = ReturnType<typeof createRequestBreaker>;
