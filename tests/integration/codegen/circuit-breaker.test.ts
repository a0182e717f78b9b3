// Generated requesters with a circuit breaker on the real stack (cockatiel in TypeScript, pybreaker in
// Python): with nobody answering, calls time out until the breaker opens and fails calls fast; once
// a generated replier answers, a trial call succeeds and the breaker closes.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { loadScenario, unique } from "../../support/engine";
import { generatedPrograms } from "../../support/generated-program";
import { waitFor } from "../../support/wait-for";

const programs = generatedPrograms("codegen-cb");
after(() => programs.cleanUp());

function scenario(queue: string) {
  return loadScenario(`
version: 1
name: ${unique("codegen-cb")}
brokers: { rabbit: { kind: rabbitmq } }
resources:
  rabbit:
    queues: [{ name: ${queue}, durable: false, autoDelete: false }]
services:
  - name: shop
    requesters:
      - name: ask
        broker: rabbit
        to: { queue: ${queue} }
        timeout: 400ms
        expire: true
        circuitBreaker: { failureThreshold: 3, openFor: 500ms }
        rate: { perSecond: 20 }
        count: 300                     # 15 s: time for the replier to start while calls go on
        payload: { n: "{{seq}}" }
  - name: pricing
    repliers:
      - { name: quote, broker: rabbit, from: { queue: ${queue} }, reply: { n: "{{n}}" } }
`);
}

async function breakerRun(language: "typescript" | "python"): Promise<void> {
  const source = scenario(unique("codegen-cb"));
  const generate = language === "python" ? generatePython : generateTypeScript;
  const code = generate(source, { service: "shop", pattern: { kind: "requesters", name: "ask" } });
  assert.ok(code.run[0]!.includes(language === "python" ? "pybreaker" : "cockatiel"), `the install line names the breaker library: ${code.run[0]}`);
  const requester = programs.start(code);
  // Nobody answers yet: the breaker must open and refuse calls before the replier starts.
  await waitFor(() => /not sent, the circuit breaker is/.test(requester.output()) || undefined, { timeoutMs: 30_000, description: () => `a fast failure in the ${language} requester (${requester.output().slice(-500)})` });
  const replier = programs.start(generateTypeScript(source, { service: "pricing", pattern: { kind: "repliers", name: "quote" } }));
  const status = await Promise.race([requester.exited, new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), 90_000))]);
  await replier.stop();
  const output = requester.output();
  assert.equal(status, 0, output);
  assert.match(output, /circuit breaker: open/i);
  assert.match(output, /circuit breaker: half-?open/i);
  assert.match(output, /circuit breaker: closed/i);
  const [, replied, timedOut, fastFailed] = /replied (\d+), error replies \d+, timed out (\d+), late \d+, fast failures (\d+)/.exec(output) ?? [];
  assert.ok(Number(timedOut) >= 3 && Number(fastFailed) > 0 && Number(replied) > 0, `timeouts opened the breaker, calls failed fast, replies came after it closed: ${output.split("\n").at(-2)}`);
}

describe("generated requesters with a circuit breaker on the real stack", { timeout: 240_000 }, () => {
  it("TypeScript (cockatiel): opens with nobody answering, fails fast, closes once a replier answers", () => breakerRun("typescript"));
  it("Python (pybreaker): opens with nobody answering, fails fast, closes once a replier answers", () => breakerRun("python"));
});
