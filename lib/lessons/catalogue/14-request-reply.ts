// Lesson 14: request/reply over messaging: reply-to, correlation id, timeouts and late replies.
import type { Lesson } from "../schema";

const quote = "services[pricing-service].repliers[quote]";
const counters = "patterns.requests.checkout-service/price-lookups.counters";

export const requestReply: Lesson = {
  id: "request-reply",
  number: 14,
  kind: "lesson",
  title: "Request/reply over messaging",
  summary: "Ask a question through a queue and get the answer back: the reply-to address, the correlation id that pairs them, the timeout, and what to do with an answer that comes too late.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Sometimes a service needs an answer and still wants the broker in between (load spread over responders, buffering, no addresses). **Request/reply** does it: the request carries `reply_to` (where to answer) and a `correlation_id` (which question this is); the responder publishes its answer there with the same correlation id; the requester pairs them up. The requester cannot wait forever: after a timeout it gives up, and a reply that still arrives is **late** and must be ignored.",
  steps: [
    {
      id: "ask-and-answer",
      title: "Ask, answer, pair them up",
      body: `checkout-service sends 60 price requests to \`pricing.requests\`, each with \`reply_to\` set to its own exclusive reply queue and \`correlation_id\` set to the request's id, and waits up to 1.5 s for each. pricing-service answers four at a time; 5 % of its answers are error replies.

Press **Start**. The check wants the replies matched to their requests, the error replies counted as answers, no timeouts, and one trace holding a request and its reply.`,
      scenario: { example: "request-reply" },
      check: {
        id: "every-request-answered",
        kind: "all",
        label: "Every request got its reply in time",
        checks: [
          { kind: "runMetric", label: "checkout-service sent 60 requests", path: `${counters}.sent`, op: ">=", value: 60 },
          { kind: "runMetric", label: "At least 50 were answered", path: `${counters}.replied`, op: ">=", value: 50 },
          { kind: "runMetric", label: "None timed out", path: `${counters}.timedOut`, op: "==", value: 0 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "traceCrosses", sticky: true, label: "A trace holds a request and its reply", services: ["checkout-service", "pricing-service"] },
        ],
      },
      hints: ["Press Start; the run takes about 5 seconds."],
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
          explanation: "Replies arrive on one queue in any order. The correlation id is how the requester matches a reply to the waiting request, and recognises a late reply to a request it already gave up on.",
        },
      ],
    },
    {
      id: "late-answers",
      title: "A slow responder: timeouts and late replies",
      body: `Make pricing-service slow and single-minded: \`work: { ms: 400 }\` and \`concurrency: 1\`, while requests keep coming at 20 a second.

**Predict**, then run it. Requests pile up in the queue; most are still waiting when checkout-service's 1.5 s timer fires. It gives up on them (timed out), and when their replies eventually arrive they are **late**: the requester has moved on and drops them.

Answering a request nobody waits for is wasted work. With \`expire: true\` on the requester, each request's AMQP \`expiration\` becomes its timeout, and RabbitMQ drops a request that waited too long in the queue instead of handing it to the server (one the server already holds still gets answered late).`,
      solution: { patch: [{ set: `${quote}.work`, value: { ms: 400 } }, { set: `${quote}.concurrency`, value: 1 }] },
      predict: {
        prompt: "The server now answers about two requests a second; 60 arrive in 3 seconds, each with a 1.5 s timeout. How many time out?",
        metric: `${counters}.timedOut`,
        options: [
          { text: "None: every request is answered in the end", min: 0, max: 0 },
          { text: "Many: the requester stops waiting long before the server gets to them", min: 1 },
        ],
        explanation: "An answer only counts while someone waits for it. The server does answer the backlog, but after the deadline: the requests time out, and the replies that come afterwards are late. A slow dependency turns into timeouts upstream.",
      },
      check: {
        id: "timeouts-and-late",
        kind: "all",
        label: "Requests timed out and their replies came late",
        checks: [
          { kind: "scenario", label: "pricing-service takes 400 ms a request", path: `${quote}.work.ms`, op: ">=", value: 200 },
          { kind: "runMetric", label: "Requests timed out", path: `${counters}.timedOut`, op: ">", value: 0 },
          { kind: "runMetric", label: "Late replies were dropped", path: `${counters}.late`, op: ">", value: 0 },
        ],
      },
      hints: ["Set `work: { ms: 400 }` and `concurrency: 1` on pricing-service's replier, or use Show me."],
    },
  ],
  recap: [
    "Request/reply over a broker: the request names a reply-to queue and a correlation id; the reply carries the id back.",
    "Replies on one queue arrive in any order; the correlation id pairs them.",
    "Every request needs a deadline; a reply after it is late and must be dropped.",
    "Let requests expire with their timeout, so a slow server does not waste work on answers nobody waits for.",
  ],
};
