// Generated code on the real stack: the code view's replier and requester answer each other over
// RabbitMQ, across languages (a TypeScript replier for the Python requester and the other way
// round), every request matched to its reply by correlation id, none timed out.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const programs = generatedPrograms("codegen-rr");
after(() => programs.cleanUp());

/** A requester and a replier on a fresh queue that goes away with its last consumer. */
function scenario(queue: string) {
  return loadScenario(`
version: 1
name: ${unique("codegen-rr")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    queues: [{ name: ${queue}, durable: false, autoDelete: true }]
services:
  - name: shop
    requesters:
      - { name: ask, broker: rabbit, to: { queue: ${queue} }, timeout: 5s, rate: { perSecond: 40 }, count: 20, payload: { sku: "{{pick a b}}", n: "{{seq}}" } }
  - name: pricing
    repliers:
      - { name: quote, broker: rabbit, from: { queue: ${queue} }, work: { ms: 5 }, reply: { sku: "{{sku}}", n: "{{n}}", price: 2 } }
`);
}

async function roundTrip(replierLanguage: "typescript" | "python", requesterLanguage: "typescript" | "python"): Promise<void> {
  const source = scenario(unique("codegen-rr"));
  const generate = (language: string) => (language === "python" ? generatePython : generateTypeScript);
  const replier = programs.start(generate(replierLanguage)(source, { service: "pricing", pattern: { kind: "repliers", name: "quote" } }));
  await waitFor(() => replier.output().includes("answering requests on"), { timeoutMs: 30_000, description: `the ${replierLanguage} replier to consume (${replier.output()})` });
  const requester = programs.start(generate(requesterLanguage)(source, { service: "shop", pattern: { kind: "requesters", name: "ask" } }));
  const status = await Promise.race([requester.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 60_000))]);
  await replier.stop();
  assert.equal(status, 0, requester.output());
  assert.match(requester.output(), /replied 20, error replies 0, timed out 0, late 0/);
  // The reply to request 20 (its correlation id) carries request 20's fields back.
  assert.match(requester.output(), /shop\/ask\/20: reply after \d+ ms: \{"sku": ?"[ab]", ?"n": ?20, ?"price": ?2\}/);
}

describe("generated request/reply on the real stack", { timeout: 180_000 }, () => {
  it("a TypeScript replier answers a Python requester: 20 requests, 20 replies by correlation id", () => roundTrip("typescript", "python"));
  it("a Python replier answers a TypeScript requester: 20 requests, 20 replies by correlation id", () => roundTrip("python", "typescript"));
});
