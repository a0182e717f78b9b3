// One paragraph on what a pattern part does, for the opening comment of its generated program.
import { quotedName } from "./escape";
import type { PatternPlan } from "./pattern-plan";

const target = (route: { exchange: string }, to: { queue: string } | { exchange: string }) => ("queue" in to ? `queue ${quotedName(to.queue)}` : `exchange ${quotedName(route.exchange)}`);

const breakerWords = (cb: { failureThreshold: number; openFor: number; halfOpenTrials: number } | undefined) =>
  cb ? ` A circuit breaker opens after ${cb.failureThreshold} failed calls in a row and fails calls without sending them for ${cb.openFor} ms, then lets ${cb.halfOpenTrials} trial call(s) through and closes if they succeed.` : "";

export function describePattern(plan: PatternPlan): string {
  switch (plan.kind) {
    case "requesters":
      return `Request/reply: sends requests to ${target(plan.route, plan.part.to)} with reply_to and a correlation id, waits ${plan.part.timeout} ms for each reply, and counts replies, timeouts and late replies.${breakerWords(plan.part.circuitBreaker)}`;
    case "repliers":
      return `Request/reply: answers each request on queue ${quotedName(plan.part.from.queue)} on its reply_to queue, quoting its correlation id.`;
    case "tasks":
      return `Task queue: submits tasks { taskId, job, args } to ${target(plan.route, plan.part.to)}; a task is pending once the broker confirms it.`;
    case "workers":
      return `Task queue: a worker on queue ${quotedName(plan.part.from.queue)} runs ${Object.keys(plan.part.jobs).map(quotedName).join(", ")}, ${plan.part.concurrency} at a time, with a time limit per attempt and ${plan.part.retries} retries (each a copy with a due time), and calls back a task's callback_url (signed) when it has one.`;
    case "httpApi":
      return `Asynchronous HTTP API: POST ${plan.part.path} answers 202 Accepted and a task id, and queues the task (with its callback_url) for a worker.`;
    case "apiCalls":
      return `Calls the asynchronous HTTP API at ${plan.apiPath}${plan.callbackPath ? `, asking for a callback at ${plan.callbackPath}` : ""}.`;
    case "webhookReceiver":
      return `Webhook receiver: takes callbacks on POST ${plan.part.path}, checks their HMAC-SHA256 signature (401 when it is wrong or missing) and notices duplicates.`;
    case "projections":
      return `Event sourcing: folds the events of topic ${quotedName(plan.part.from.topic)} into the current state per ${quotedName(plan.part.key)}; REPLAY=1 rebuilds the state from offset 0, REPLAY=offset:<n> or REPLAY=time:<ISO date> from there.`;
  }
}
