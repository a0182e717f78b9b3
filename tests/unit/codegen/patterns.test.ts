// Generated code for the pattern parts: every pattern part of every example becomes a TypeScript
// program that type-checks strictly against the installed libraries and a Python program that
// compiles, with the pattern's essentials (reply_to and correlation id, signatures, the fold…).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import ts from "typescript";
import { patternKinds } from "../../../lib/codegen/pattern-plan";
import { CodegenError } from "../../../lib/codegen/plan";
import type { CodegenSelection } from "../../../lib/codegen/plan";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import type { Scenario } from "../../../lib/scenario/schema";
import { example } from "./fixtures";

const repoModules = path.resolve(__dirname, "../../../node_modules");

function everyPatternPart(): [string, Scenario, CodegenSelection][] {
  const out: [string, Scenario, CodegenSelection][] = [];
  for (const name of ["request-reply", "task-queue", "webhooks", "event-sourcing"]) {
    const scenario = example(name);
    for (const service of scenario.services) {
      for (const kind of patternKinds) {
        const value = (service as Record<string, unknown>)[kind];
        if (value === undefined) continue;
        const items = Array.isArray(value) ? (value as { name: string }[]).map((v) => v.name) : [undefined];
        for (const item of items) out.push([`${name}: ${service.name}/${kind}${item ? `/${item}` : ""}`, scenario, { service: service.name, pattern: { kind, ...(item ? { name: item } : {}) } }]);
      }
    }
  }
  return out;
}

describe("generated code for pattern parts", () => {
  const parts = everyPatternPart();
  const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-codegen-patterns-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("covers every kind of pattern part in the examples", () => {
    const kinds = new Set(parts.map(([, , s]) => s.pattern!.kind));
    assert.deepEqual([...kinds].sort(), [...patternKinds].sort());
  });

  it("TypeScript type-checks strictly against the installed amqplib and kafkajs", () => {
    const files = parts.map(([, scenario, selection], index) => {
      const file = path.join(dir, `pattern-${index}.ts`);
      writeFileSync(file, generateTypeScript(scenario, selection).source);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noUnusedLocals: true, noEmit: true, esModuleInterop: true, skipLibCheck: true,
      types: ["node"], typeRoots: [path.join(repoModules, "@types")], baseUrl: dir,
      paths: { amqplib: [path.join(repoModules, "amqplib")], kafkajs: [path.join(repoModules, "kafkajs")] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    assert.deepEqual(problems, []);
  });

  it("Python compiles with python3 -m py_compile", () => {
    const files = parts.map(([, scenario, selection], index) => {
      const file = path.join(dir, `pattern_${index}.py`);
      writeFileSync(file, generatePython(scenario, selection).source);
      return file;
    });
    const result = spawnSync("python3", ["-m", "py_compile", ...files], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
  });

  it("request/reply: reply_to, the correlation id, the timeout; the replier answers on reply_to", () => {
    const scenario = example("request-reply");
    const client = generateTypeScript(scenario, { service: "checkout-service", pattern: { kind: "requesters", name: "price-lookups" } });
    assert.match(client.source, /replyTo, correlationId: id/);
    assert.match(client.source, /const timeoutMs = 1500;/);
    assert.match(client.source, /assertQueue\("", \{ exclusive: true \}\)/);
    const server = generateTypeScript(scenario, { service: "pricing-service", pattern: { kind: "repliers", name: "quote" } });
    assert.match(server.source, /channel\.publish\("", String\(replyTo\)/);
    assert.match(server.source, /"x-brokerlab-reply": failed \? "error" : "ok"/);
    const python = generatePython(scenario, { service: "checkout-service", pattern: { kind: "requesters", name: "price-lookups" } });
    assert.match(python.source, /reply_to=reply_to, correlation_id=request_id/);
  });

  it("webhooks: the worker signs callbacks with HMAC-SHA256, the receiver checks in constant time and answers 401", () => {
    const scenario = example("webhooks");
    const services = scenario.services;
    const workerService = services.find((s) => s.workers?.length)!;
    const worker = generateTypeScript(scenario, { service: workerService.name, pattern: { kind: "workers", name: workerService.workers![0]!.name } });
    assert.match(worker.source, /"x-brokerlab-signature": `sha256=\$\{createHmac\("sha256", secret\)/);
    const receiverService = services.find((s) => s.webhookReceiver)!;
    const receiver = generateTypeScript(scenario, { service: receiverService.name, pattern: { kind: "webhookReceiver" } });
    assert.match(receiver.source, /timingSafeEqual/);
    assert.match(receiver.source, /writeHead\(401\)/);
    assert.match(receiver.source, /let failFirst = 2;/);
    const python = generatePython(scenario, { service: receiverService.name, pattern: { kind: "webhookReceiver" } });
    assert.match(python.source, /hmac\.compare_digest/);
  });

  it("event sourcing: the fold per event type, and a replay from offset 0", () => {
    const scenario = example("event-sourcing");
    const service = scenario.services.find((s) => s.projections?.length)!;
    const code = generateTypeScript(scenario, { service: service.name, pattern: { kind: "projections" } });
    assert.match(code.source, /fromBeginning: true/);
    assert.match(code.source, /process\.env\.REPLAY/);
    assert.match(code.source, /const fold: Record<string/);
  });

  it("names what is missing", () => {
    assert.throws(() => generateTypeScript(example("request-reply"), { service: "checkout-service", pattern: { kind: "workers" } }), (e: Error) => e instanceof CodegenError && /no worker/.test(e.message));
    assert.throws(() => generatePython(example("request-reply"), { service: "checkout-service", pattern: { kind: "httpApi" } }), (e: Error) => e instanceof CodegenError && /no httpApi/.test(e.message));
  });
});
