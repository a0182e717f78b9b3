// Generated Redis and Google Cloud Pub/Sub code as text: every part of the examples and of a variant
// with the other settings type-checks strictly against the installed node-redis and
// @google-cloud/pubsub and compiles with python3; the scenario's settings reach the code; a hostile
// filter and ordering key stay inside their literals.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import ts from "typescript";
import { pyQuote, tsQuote } from "../../../lib/codegen/escape";
import type { CodegenSelection } from "../../../lib/codegen/plan";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import type { Scenario } from "../../../lib/scenario/schema";
import { unsafeCharacter } from "./code-shape";
import { example, scenario } from "./fixtures";

const repoModules = path.resolve(__dirname, "../../../node_modules");
const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-codegen-redis-pubsub-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const hostile = '"\n__import__("os").system("x") */ ${x} `\u2028 \\';

function variant(filter = "attributes.type = \"created\"", name = "variant"): Scenario {
  return scenario({
    version: 1,
    name,
    brokers: { redis: { kind: "redis", url: "redis://127.0.0.1:6380" }, gcp: { kind: "pubsub", project: "other-project" } },
    resources: {
      redis: { streams: [{ name: "jobs", claimIdle: "1s" }], channels: [{ name: "news.eu" }] },
      gcp: {
        topics: [{ name: "orders" }, { name: "orders-dead" }],
        subscriptions: [{ name: "billing", topic: "orders", ackDeadline: "20s", messageOrdering: true, filter, deadLetter: { topic: "orders-dead", maxDeliveryAttempts: 6 } }],
      },
    },
    services: [
      {
        name: "shop",
        producers: [
          { name: "jobs", broker: "redis", to: { stream: "jobs" }, rate: { perSecond: 5 }, payload: { n: "{{seq}}" } },
          { name: "orders", broker: "gcp", to: { pubsubTopic: "orders", orderingKey: `c-{{customer}}${hostile}`, attributes: { type: "created" } }, rate: { burst: 3 }, payload: { customer: "{{pick a b}}", at: "{{now}}" } },
        ],
      },
      {
        name: "workers",
        consumers: [
          { name: "jobs", broker: "redis", from: { stream: "jobs", group: "w" }, ack: "auto", work: { ms: 0 }, idempotent: true },
          { name: "drops", broker: "redis", from: { stream: "jobs", group: "d" }, ack: "manual", onError: { retries: 2, then: "drop" }, failures: { crashAfter: 5 } },
          { name: "news", broker: "redis", from: { channelPattern: "news.*" }, idempotent: true, failures: { errorRate: 0.5, crashAfter: 9 } },
          { name: "billing", broker: "gcp", from: { subscription: "billing", mode: "pull", extendDeadline: false }, ack: "manual", onError: "drop" },
          { name: "billing-auto", broker: "gcp", from: { subscription: "billing" }, ack: "auto", idempotent: true, failures: { crashAfter: 4 } },
        ],
      },
    ],
  });
}

function parts(s: Scenario): [string, CodegenSelection][] {
  return s.services.flatMap((service) => [
    ...service.producers.filter((p) => ["redis", "gcp"].includes(p.broker)).map((p): [string, CodegenSelection] => [`${s.name}: ${service.name}/${p.name}`, { service: service.name, producer: p.name }]),
    ...service.consumers.filter((c) => ["redis", "gcp"].includes(c.broker)).map((c): [string, CodegenSelection] => [`${s.name}: ${service.name}/${c.name}`, { service: service.name, consumer: c.name }]),
  ]);
}

const scenarios = [example("redis-streams-orders"), example("pubsub-fanout"), variant(), variant(hostile, "hostile")];
const every = scenarios.flatMap((s) => parts(s).map(([label, selection]) => [label, s, selection] as const));

describe("generated Redis and Pub/Sub programs", () => {
  it("cover every Redis and Pub/Sub part of the examples and the variants", () => assert.ok(every.length >= 20, `${every.length} parts`));

  it("type-check strictly against the installed redis and @google-cloud/pubsub", () => {
    const files = every.map(([, s, selection], index) => {
      const file = path.join(dir, `program-${index}.ts`);
      writeFileSync(file, generateTypeScript(s, selection).source);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noUnusedLocals: true, noEmit: true, esModuleInterop: true, skipLibCheck: true,
      types: ["node"], typeRoots: [path.join(repoModules, "@types")], baseUrl: dir,
      paths: { redis: [path.join(repoModules, "redis")], "@google-cloud/pubsub": [path.join(repoModules, "@google-cloud/pubsub")] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    assert.deepEqual(problems, []);
  });

  it("compile with python3 -m py_compile", () => {
    const files = every.map(([, s, selection], index) => {
      const file = path.join(dir, `program_${index}.py`);
      writeFileSync(file, generatePython(s, selection).source);
      return file;
    });
    const result = spawnSync("python3", ["-m", "py_compile", ...files], { encoding: "utf8" });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  it("carry the stream's MAXLEN, claim idle time and dead-letter stream, and the install line", () => {
    const orders = example("redis-streams-orders");
    const producer = generateTypeScript(orders, { service: "shop", producer: "orders" });
    assert.match(producer.source, /const maxLen = 10000;/);
    assert.match(producer.source, /strategy: "MAXLEN", strategyModifier: "~", threshold: maxLen/);
    assert.deepEqual(producer.run, ["npm install redis tsx", "npx tsx shop-orders.ts"]);
    const consumer = generatePython(orders, { service: "fulfilment", consumer: "orders" });
    assert.match(consumer.source, /^CLAIM_IDLE_MS = 2000 /m);
    assert.match(consumer.source, /^DEAD_LETTER_STREAM = "orders\.dead"$/m);
    assert.match(consumer.source, /client\.xautoclaim\(STREAM, GROUP, CONSUMER, min_idle_time=CLAIM_IDLE_MS/);
    assert.match(consumer.source, /# {3}python3 -m pip install redis\n/);
    assert.match(consumer.source, /os\.environ\.get\("REDIS_URL", "redis:\/\/127\.0\.0\.1:6379"\)/);
  });

  it("carry the subscription's deadline, ordering, filter and dead-letter policy, and the emulator variables", () => {
    const s = variant();
    const ts = generateTypeScript(s, { service: "workers", consumer: "billing" }).source;
    assert.match(ts, /createSubscription\(subscriptionName, \{ ackDeadlineSeconds: 20, enableMessageOrdering: true, filter: "attributes\.type = \\"created\\"", deadLetterPolicy: .*maxDeliveryAttempts: 6 \}/);
    assert.match(ts, /process\.env\.PUBSUB_EMULATOR_HOST \?\? "127\.0\.0\.1:8085"/);
    assert.match(ts, /process\.env\.PUBSUB_PROJECT_ID \?\? "other-project"/);
    assert.doesNotMatch(ts, /keepAlive/, "extendDeadline: false leaves the deadline alone");
    const py = generatePython(s, { service: "shop", producer: "orders" }).source;
    assert.match(py, /PublisherOptions\(enable_message_ordering=True\)/);
    assert.match(py, /ordering_key="c-" \+ str\(payload\.get\("customer", ""\)\)/);
  });

  it("keep a hostile filter and ordering key inside their literals", () => {
    const s = variant(hostile, "hostile");
    const tsConsumer = generateTypeScript(s, { service: "workers", consumer: "billing" }).source;
    const pyConsumer = generatePython(s, { service: "workers", consumer: "billing" }).source;
    assert.ok(tsConsumer.includes(`filter: ${tsQuote(hostile)}`), "the filter as one TypeScript literal");
    assert.ok(pyConsumer.includes(`"filter": ${pyQuote(hostile)},`), "the filter as one Python literal");
    for (const source of [tsConsumer, pyConsumer, generateTypeScript(s, { service: "shop", producer: "orders" }).source, generatePython(s, { service: "shop", producer: "orders" }).source]) {
      assert.equal(unsafeCharacter.exec(source), null, "no raw line separator or control character");
      assert.doesNotMatch(source, /^__import__/m, "the Python statement never starts a line");
    }
  });
});
