// Lesson 29's scenarios: a requester in front of a replier that hangs for a while. The learner
// gives the requester a deadline, then a circuit breaker, then a cool-down short enough to recover.

/** The request/reply pair and the outage; `requester` is the requester's settings beyond the basics. */
function outage(requester: string): string {
  return `# circuit-breaker: checkout-service asks pricing-service for prices while pricing-service hangs for 6 s.
version: 1
name: circuit-breaker
description: A requester in front of a replier that hangs for 6 seconds; timeouts and a circuit breaker decide what the caller sees.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: pricing.requests, type: classic, durable: true }

services:
  - name: checkout-service
    requesters:
      - name: price-lookups
        broker: rabbit
        to: { queue: pricing.requests }
${requester}        rate: { perSecond: 10 }
        count: 200                    # 20 seconds of calls
        payload: { sku: "{{pick apple pear plum fig}}" }

  - name: pricing-service
    repliers:
      - name: quote
        broker: rabbit
        from: { queue: pricing.requests }
        concurrency: 4
        work: { ms: 20 }
        reply: { sku: "{{sku}}", unitPrice: "{{randomFloat 0.5 4}}" }

faults:
  # Frozen (SIGSTOP) from 4 s to 10 s: it keeps its connection and the requests it holds, and answers nothing.
  - { at: 4s, pause: pricing-service, for: 6s }
`;
}

/** Step 1: a deadline so long that nobody ever gives up. */
export const patientRequester = outage(`        timeout: 30s                  # how long to wait for each reply
`);

/** Step 2: a 1 s deadline, and requests that expire in the queue with it. */
export const requesterWithDeadline = outage(`        timeout: 1s
        expire: true                  # the request's TTL in the queue is its deadline too
`);

/** Step 3: a breaker whose cool-down is longer than the outage. */
export const breakerWithLongCoolDown = outage(`        timeout: 1s
        expire: true
        circuitBreaker:
          failureThreshold: 5         # open after 5 failed calls in a row
          openFor: 30s                # fail fast for 30 s, then let trial calls through
          halfOpenTrials: 1           # close again once this many trial calls succeed
`);
