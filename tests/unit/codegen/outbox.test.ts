// The generated programs of a producer with a database and a consumer with effects: the modes and
// options become the right statements, the TypeScript type-checks against better-sqlite3 and
// amqplib, the Python parses, and on a broker without database support the generator says so.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import ts from "typescript";
import { CodegenError } from "../../../lib/codegen/plan";
import { generateJava } from "../../../lib/codegen/java";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import { pyShapes } from "./code-shape";
import { variant } from "./fixtures";

const repoModules = path.resolve(__dirname, "../../../node_modules");
const producer = { service: "source", producer: "events" };
const consumer = { service: "sink", consumer: "audit" };
const direct = variant({ producer: { database: { mode: "publish-after-commit" } }, consumer: { effects: "sqlite", idempotent: false, work: { ms: 1 } } });
const outbox = variant({ producer: { database: { mode: "outbox", relayEvery: "150ms", relayBatch: 7 } }, consumer: { effects: "sqlite", idempotent: true, work: { ms: 1 } } });
const programs = [direct, outbox].flatMap((scenario) => [generateTypeScript(scenario, producer), generateTypeScript(scenario, consumer)]);
const python = [direct, outbox].flatMap((scenario) => [generatePython(scenario, producer), generatePython(scenario, consumer)]);

describe("generated code for the outbox and the idempotent consumer", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-codegen-outbox-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("type-checks strictly against the installed amqplib and better-sqlite3", () => {
    const files = programs.map((code, index) => {
      const file = path.join(dir, `program-${index}.ts`);
      writeFileSync(file, code.source);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noUnusedLocals: true, noEmit: true, esModuleInterop: true, skipLibCheck: true,
      types: ["node"], typeRoots: [path.join(repoModules, "@types")], baseUrl: dir,
      paths: { amqplib: [path.join(repoModules, "amqplib")], "better-sqlite3": [path.join(repoModules, "@types/better-sqlite3")] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    assert.deepEqual(problems, []);
  });

  it("the Python parses", () => {
    for (const shape of pyShapes(python.map((code) => code.source))) assert.deepEqual(shape.problems, []);
  });

  it("publish after commit: the order is committed, then its event published and confirmed", () => {
    const [ts0, tsConsumer] = programs;
    assert.match(ts0!.source, /insertOrder\.run\(seq, id, body\); \/\/ committed[\s\S]*publish\(id, body, payload\);\s+await channel\.waitForConfirms\(\);/);
    assert.doesNotMatch(ts0!.source, /outbox/);
    assert.deepEqual(ts0!.run[0], "npm install amqplib better-sqlite3 tsx");
    assert.match(tsConsumer!.source, /applyEffect\(id, message\.content\.toString\(\)\); \/\/ not idempotent/);
    assert.doesNotMatch(tsConsumer!.source, /processed_ids|new Set/);
    assert.match(python[0]!.source, /with db: {2}# committed: the order exists\n.*INSERT INTO orders[\s\S]*# A crash here loses/);
    assert.equal(python[0]!.run[0], "python3 -m pip install pika", "sqlite3 comes with Python");
  });

  it("outbox: the order and its event in one transaction, a relay that marks rows sent after the confirms, an idempotent consumer", () => {
    const [, , tsOutbox, tsIdempotent] = programs;
    assert.match(tsOutbox!.source, /const relayEveryMs = 150;[\s\S]*const relayBatch = 7;/);
    assert.match(tsOutbox!.source, /db\.transaction\(\(seq: number, id: string, body: string\) => \{\n\s+insertOrder\.run\(seq, id, body\);\n\s+insertEvent\.run\(seq, id, body\);/);
    assert.match(tsOutbox!.source, /await channel\.waitForConfirms\(\);\n\s+for \(const row of rows\) markSent\.run/);
    assert.match(tsIdempotent!.source, /if \(insertProcessed\.run\(id\)\.changes === 0\) return false;\n\s+insertEffect\.run\(id, body\);/);
    assert.match(tsIdempotent!.source, /if \(!applyEffect\(id, message\.content\.toString\(\)\)\)/);
    const [, , pyOutbox, pyIdempotent] = python;
    assert.match(pyOutbox!.source, /RELAY_EVERY = 0\.15[\s\S]*RELAY_BATCH = 7/);
    assert.match(pyOutbox!.source, /with db: {2}# the order and its event in one transaction[^\n]*\n.*INSERT INTO orders[^\n]*\n.*INSERT INTO outbox/);
    assert.match(pyIdempotent!.source, /INSERT OR IGNORE INTO processed_ids[\s\S]*return False\n\s+db\.execute\("INSERT INTO effects/);
  });

  it("Java: the generator says it is not written for a database yet, rather than leave the database out", () => {
    for (const selection of [producer, consumer]) {
      assert.throws(() => generateJava(outbox, selection), (error: unknown) => error instanceof CodegenError && /not generated yet for a service with a database/.test(error.message));
    }
  });

  it("a Kafka producer with a database: the generator says it is written for RabbitMQ so far", () => {
    const kafka = variant({ kafkaProducer: { database: { mode: "outbox" } } });
    for (const generate of [generateTypeScript, generatePython]) {
      assert.throws(() => generate(kafka, { service: "source", producer: "clicks" }), (error: unknown) => error instanceof CodegenError && /written for RabbitMQ so far/.test(error.message));
    }
  });
});
