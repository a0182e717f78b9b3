// Lesson 14: request/reply over messaging: reply-to, correlation id, and a deadline.
import type { Lesson } from "../schema";
import { priceRequests } from "../scenarios/patterns";

const quote = "services[pricing-service].consumers[quote]";

export const requestReply: Lesson = {
  id: "request-reply",
  number: 14,
  kind: "lesson",
  title: "Request/reply over messaging",
  summary: "Ask a question through a queue and get the answer on another: the reply-to address, the correlation id that pairs them, and what happens when the answer is late.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Sometimes a service needs an answer, and still wants the broker in between (load balancing over responders, buffering, no direct addresses). **Request/reply** does it with two queues: the request carries a `reply-to` (where to answer) and a `correlation-id` (which question this is); the responder sends its answer there with the same correlation id; the requester pairs them up. A request that is not answered in time must time out, on both sides.",
  steps: [
    {
      id: "ask-and-answer",
      title: "Ask, answer, pair them up",
      body: `cart-service sends 80 price requests to \`rpc.price-requests\`, each with headers \`reply-to: rpc.price-replies\` and \`correlation-id\` set to the request's id. pricing-service answers each on the reply queue with the same correlation id, and cart-service consumes the replies.

Press **Start**. Every request should get its reply, and one trace should hold both services (the request and its reply).`,
      scenario: { yaml: priceRequests },
      check: {
        id: "every-request-answered",
        kind: "all",
        label: "Every request got a reply",
        checks: [
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "pricing-service answered 80 requests", path: "consumers.pricing-service/quote.forwarded", op: ">=", value: 80 },
          { kind: "runMetric", label: "cart-service received 80 replies", path: "consumers.cart-service/await-reply.received", op: ">=", value: 80 },
          { kind: "traceCrosses", sticky: true, label: "A trace holds the request and its reply", services: ["cart-service", "pricing-service"] },
        ],
      },
      hints: ["Press Start; the run takes about 9 seconds."],
      quiz: [
        {
          id: "correlation-why",
          prompt: "Why does each reply carry the request's correlation id?",
          options: [
            { text: "So the broker can route it" },
            { text: "So the requester, with many requests in flight, knows which one this answers", correct: true },
            { text: "To encrypt the reply" },
            { text: "Because AMQP rejects messages without one" },
          ],
          explanation: "Replies share one queue and arrive in any order. The correlation id is how the requester matches a reply to the waiting request (and recognises a late reply to a request it already gave up on).",
        },
      ],
    },
    {
      id: "late-answers",
      title: "A slow responder: requests time out",
      body: `Make pricing-service slow: \`work: { ms: 250 }\`, while requests keep coming at 10 a second. The request queue has a TTL of 1 second, the caller's deadline: a request nobody picked up in time expires into \`rpc.timed-out\` instead of being answered uselessly late.

Run it (20 s). Some requests are answered, some time out; the check wants to see both. In code, the requester also keeps its own timer per correlation id and gives up on the answer, so a reply that arrives afterwards is dropped.`,
      solution: { patch: [{ set: `${quote}.work`, value: { ms: 250 } }] },
      run: { durationSeconds: 20 },
      check: {
        id: "some-timed-out",
        kind: "all",
        label: "Late requests timed out; the rest were answered",
        checks: [
          { kind: "scenario", label: "pricing-service takes 250 ms a request", path: `${quote}.work.ms`, op: ">=", value: 150 },
          { kind: "runMetric", label: "Some replies arrived", path: "consumers.cart-service/await-reply.received", op: ">", value: 0 },
          { kind: "xDeath", sticky: true, label: "rpc.timed-out holds requests that expired", queue: "rpc.timed-out", reason: "expired", fromQueue: "rpc.price-requests" },
        ],
      },
      hints: ["Set `work: { ms: 250 }` on pricing-service's consumer, or use Show me."],
    },
  ],
  recap: [
    "Request/reply over a broker: the request names a reply-to queue and a correlation id; the reply carries the id back.",
    "Replies on a shared queue arrive in any order; the correlation id pairs them.",
    "Give every request a deadline: a TTL on the request queue, and a timer in the requester.",
  ],
};
