// Lesson 29: timeouts and circuit breakers in asynchronous request/reply. A replier hangs for six
// seconds; the requester learns to give up on time (a deadline per request), to stop sending
// while the replier hangs (a circuit breaker), and to find out when it is back (half-open trials).
import type { Lesson } from "../schema";
import { breakerWithLongCoolDown, patientRequester, requesterWithDeadline } from "../scenarios/circuit-breaker";

const lookups = "services[checkout-service].requesters[price-lookups]";
const counters = "patterns.requests.checkout-service/price-lookups.counters";

export const timeoutsCircuitBreakers: Lesson = {
  id: "timeouts-circuit-breakers",
  number: 29,
  kind: "lesson",
  title: "Timeouts and circuit breakers",
  summary: "A replier hangs for six seconds. Give each request a deadline, put a circuit breaker in front of the replier so calls fail fast instead of piling up, and watch it half-open and close when the replier is back.",
  brokers: ["rabbitmq"],
  minutes: 20,
  intro:
    "Lesson 14 sent requests through RabbitMQ and waited for replies. This lesson is about the bad days: the service that answers is down or hangs. A caller that waits without limit ties up its own resources and its own callers; a caller that keeps sending adds load to a service that is already in trouble. Two tools fix this. A **deadline** (the request's timeout) says how long the caller waits for the answer. A **circuit breaker** counts failed calls; after enough failures in a row it **opens** and fails calls at once, without sending them; after a cool-down it goes **half-open** and lets a few trial calls through; if they succeed it **closes** again. Throughout, checkout-service asks pricing-service for prices, 10 requests a second for 20 seconds, and pricing-service hangs from 4 s to 10 s: it is frozen (paused), keeps its connection and the requests it already holds, and answers nothing, the way a process stuck in a deadlock or a long garbage-collection pause behaves.",
  steps: [
    {
      id: "deadline",
      title: "A deadline on every request",
      body: `checkout-service waits up to 30 s for each reply (\`timeout: 30s\`). While pricing-service hangs, the requests wait in \`pricing.requests\`, and checkout-service waits with them: nothing tells its own callers that prices are unavailable.

Give each request a deadline of one second: set \`timeout: 1s\` on the requester \`price-lookups\`, and \`expire: true\` so that a request also expires in the queue once its deadline has passed. **Predict**, then press **Start** (about 20 seconds).

A deadline and a message TTL are different things, even though \`expire: true\` sets one from the other. The **deadline** belongs to the caller: it is how long checkout-service waits for the *response*, and it runs whether the request is in the queue, in the server's hands or already answered on the way back. The **TTL** (the AMQP \`expiration\` property, lesson 10's tool) belongs to the request *message*: RabbitMQ drops the message if it waits in a queue longer than that. A TTL makes nobody stop waiting, and it does nothing once the server has taken the request. Here it saves pricing-service from answering, once it wakes up, questions that checkout-service has already given up on.`,
      scenario: { yaml: patientRequester },
      solution: { patch: [{ set: `${lookups}.timeout`, value: "1s" }, { set: `${lookups}.expire`, value: true }] },
      predict: {
        prompt: "With a 1 s deadline, how many requests time out while pricing-service hangs?",
        metric: `${counters}.timedOut`,
        options: [
          { text: "None: they wait in the queue and are answered when it is back", min: 0, max: 0 },
          { text: "A few: only the ones pricing-service was working on when it died", min: 1, max: 19 },
          { text: "Nearly every request sent while it hangs: about 60", min: 20 },
        ],
        explanation: "Each request sent during the outage waits one second and gives up. At 10 a second for 6 seconds, that is about 60 timeouts. The ten or so requests pricing-service held when it froze are answered after it wakes up, too late. The caller now knows within a second that the price lookup failed and can say so, use a cached price or try later.",
      },
      check: {
        id: "deadline-holds",
        kind: "all",
        label: "Requests gave up after their deadline, and expired unanswered",
        checks: [
          { kind: "scenario", label: "The requester waits at most 2 s", path: `${lookups}.timeout`, op: "<=", value: 2_000 },
          { kind: "scenario", label: "Requests expire in the queue with their deadline", path: `${lookups}.expire`, equals: true },
          { kind: "runMetric", label: "Requests timed out while pricing-service hung", path: `${counters}.timedOut`, op: ">", value: 0 },
          {
            kind: "traceHasSpan", sticky: true, label: "A timed-out request was published and no reply came back",
            service: "checkout-service", spanKind: "client", attributes: { "brokerlab.request.outcome": "timeout" }, traceAlso: ["producer"], traceLacks: ["consumer"],
          },
        ],
      },
      hints: [
        "Under the requester price-lookups, change `timeout: 30s` to `timeout: 1s` and add `expire: true`, or use Show me.",
        "The trace part needs Jaeger to have a timed-out request: open one from the requester's table of outcomes to see a send and no reply.",
      ],
      quiz: [
        {
          id: "ttl-is-not-deadline",
          prompt: "pricing-service has already taken a request when its 1 s deadline passes. What does the request's TTL (expire: true) do about it?",
          options: [
            { text: "RabbitMQ takes the request back from pricing-service" },
            { text: "Nothing: the TTL only drops a message still waiting in a queue; the server answers, and the reply arrives late", correct: true },
            { text: "RabbitMQ sends checkout-service an error reply" },
            { text: "pricing-service stops working on it" },
          ],
          explanation: "A TTL is a rule for the broker about a message in a queue. The deadline is the caller's rule about waiting for a response. A reply that comes after the deadline is late and the requester drops it (lesson 14).",
        },
      ],
    },
    {
      id: "open-breaker",
      title: "Fail fast: the breaker opens",
      body: `With the deadline, every call during the outage still costs a second of waiting, and every request is still sent to a queue nobody reads. A **circuit breaker** stops that. Add one to the requester:

\`circuitBreaker: { failureThreshold: 5, openFor: 30s }\`

After 5 failed calls in a row (timeouts, error replies or refused sends), the breaker opens: for the next 30 s each call fails at once, and no request is published. This is what protects a struggling service: its callers stop adding work while it recovers, and their own callers get an answer (a failure) at once instead of after the deadline.

Retrying is the other tool the course names for failed calls, and it goes well with a breaker: retry a call that failed once, but never retry a call the open breaker refused, or the retries become the flood the breaker is there to stop.

Run it. In the run panel, the requester's breaker tiles show the state and the fast failures.`,
      scenario: { yaml: requesterWithDeadline },
      solution: { patch: [{ set: `${lookups}.circuitBreaker`, value: { failureThreshold: 5, openFor: "30s" } }] },
      predict: {
        prompt: "Once the breaker is open, how many requests does checkout-service publish to pricing.requests?",
        metric: `${counters}.fastFailed`,
        options: [
          { text: "The same as before: the breaker only changes how failures are counted", min: 0, max: 0 },
          { text: "None: the calls fail fast and nothing is sent (fast failures)", min: 1 },
        ],
        explanation: "An open breaker refuses the call before anything happens: no message, no waiting. The counter fastFailed counts those calls. In the trace, a fast-failed call is a lone CLIENT span with no PRODUCER span under it.",
      },
      check: {
        id: "breaker-opens",
        kind: "all",
        label: "The breaker opened and calls failed fast, unsent",
        checks: [
          { kind: "scenario", label: "The requester has a circuit breaker", path: `${lookups}.circuitBreaker.failureThreshold`, op: ">=", value: 1 },
          { kind: "runMetric", label: "The breaker opened", path: `${counters}.breakerOpened`, op: ">=", value: 1 },
          { kind: "runMetric", label: "Calls failed fast", path: `${counters}.fastFailed`, op: ">", value: 0 },
          {
            kind: "traceHasSpan", sticky: true, label: "A fast-failed call sent nothing: no PRODUCER or CONSUMER span in its trace",
            service: "checkout-service", spanKind: "client", attributes: { "brokerlab.request.outcome": "fast-failed" }, traceLacks: ["producer", "consumer"],
          },
        ],
      },
      hints: [
        "Add `circuitBreaker: { failureThreshold: 5, openFor: 30s }` under the requester price-lookups (indented like `timeout`), or use Show me.",
        "A breaker that never opens needs failures in a row: pricing-service must hang while calls are made.",
      ],
      quiz: [
        {
          id: "why-fail-fast",
          prompt: "Why is failing fast better than sending the request and timing out, while the replier hangs?",
          options: [
            { text: "It is not: a timed-out request might still be answered" },
            { text: "The caller learns at once instead of after the deadline, and the struggling service gets no extra work while it recovers", correct: true },
            { text: "RabbitMQ would lose the requests otherwise" },
            { text: "A fast failure is retried automatically by the broker" },
          ],
          explanation: "Waiting costs the caller threads, memory and its own deadline; sending costs the failing service more load. The breaker trades a few calls that might have worked for a quick, honest failure.",
        },
      ],
    },
    {
      id: "half-open-close",
      title: "Half-open, a trial call, closed again",
      body: `Look at the last run: pricing-service was answering again at 10 s, yet every call after the breaker opened failed fast to the end of the run, because 30 s of cool-down outlasted the whole outage. A breaker finds out that the service is back only by trying.

Set \`openFor: 2s\`. After 2 s open, the breaker goes **half-open**: it lets \`halfOpenTrials\` calls through (1 by default) and refuses the rest. If the trial call is answered, the breaker closes and calls flow again; if it fails, the breaker opens for another 2 s. Run it and watch the breaker tiles: open, half-open, open again while pricing-service still hangs, and closed soon after it answers again.

The cool-down is a trade: short, and each trial adds a little load to a service that may still be recovering; long, and callers fail for longer than the outage. Each half-open, open and closed change is written as an event on the request span that caused it (\`brokerlab.circuit.open\`, \`brokerlab.circuit.half-open\`, \`brokerlab.circuit.closed\`).`,
      scenario: { yaml: breakerWithLongCoolDown },
      solution: { patch: [{ set: `${lookups}.circuitBreaker.openFor`, value: "2s" }] },
      check: {
        id: "breaker-closes",
        kind: "all",
        label: "The breaker half-opened, a trial call succeeded, and it closed",
        checks: [
          { kind: "scenario", label: "The breaker cools down for at most 5 s", path: `${lookups}.circuitBreaker.openFor`, op: "<=", value: 5_000 },
          { kind: "runMetric", label: "The breaker opened", path: `${counters}.breakerOpened`, op: ">=", value: 1 },
          { kind: "runMetric", id: "half-opened", label: "It went half-open", path: `${counters}.breakerHalfOpened`, op: ">=", value: 1 },
          { kind: "runMetric", id: "closed-again", label: "It closed again", path: `${counters}.breakerClosed`, op: ">=", value: 1 },
          {
            kind: "traceHasSpan", sticky: true, label: "A trial call sent while half-open got its reply",
            service: "checkout-service", spanKind: "client", attributes: { "brokerlab.circuit.state": "half-open", "brokerlab.request.outcome": "replied" }, traceAlso: ["consumer"],
          },
        ],
      },
      hints: [
        "Change `openFor: 30s` to `openFor: 2s` in the requester's circuitBreaker, or use Show me.",
        "The breaker closes only after pricing-service answers again (about 10 s into the run) and a trial call gets its reply within the 1 s deadline.",
      ],
      quiz: [
        {
          id: "half-open-why",
          prompt: "Why does a half-open breaker let only a few trial calls through instead of closing at once?",
          options: [
            { text: "To test whether the service is back without sending it the full load, in case it is still failing or just starting", correct: true },
            { text: "Because RabbitMQ limits how many requests a queue accepts" },
            { text: "To give the replier's queue time to fill" },
            { text: "It does close at once; the trials are only logged" },
          ],
          explanation: "Half-open is a probe. If the trial fails, the breaker opens again and the service was spared a burst; if it succeeds, normal traffic resumes. Libraries such as cockatiel (TypeScript), pybreaker (Python) and Resilience4j (Java) all work this way.",
        },
      ],
    },
  ],
  recap: [
    "A deadline belongs to the caller and bounds the wait for the response; a message TTL only tells the broker to drop a message that waited in a queue.",
    "A circuit breaker opens after repeated failures and fails calls at once, without sending them, so the caller answers fast and the failing service gets no extra load.",
    "After its cool-down the breaker goes half-open and lets a few trial calls through; it closes when they succeed and opens again when they fail.",
    "Retry calls that failed, never calls the open breaker refused.",
    "The trace tells the failures apart: a timed-out request has a send and no reply; a fast-failed call has no send at all.",
  ],
};
