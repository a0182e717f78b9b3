// Runnable TypeScript for the pattern parts (amqplib, kafkajs, node:http): request/reply, the task
// submitter and the event-sourced projection here, the worker and the HTTP parts in -http.ts. Same
// message shapes and headers as Brokerlab's own services, so a program can stand in for one.
import type { CircuitBreaker } from "../scenario/patterns";
import type { Scenario } from "../scenario/schema";
import { wrap } from "./describe";
import { tsComment, tsTemplateText } from "./escape";
import { describePattern } from "./pattern-describe";
import { foldPlan, hasBreaker, patternBroker, patternFileStem, patternHeaders, planPattern } from "./pattern-plan";
import type { FoldStep, PatternPlan, PatternSelection } from "./pattern-plan";
import { tsApiCall, tsHttpApi, tsWebhookReceiver, tsWorker } from "./pattern-typescript-http";
import { q, tsConnect, tsPacing, tsPublishTo, tsStopOnSigint, tsWorkMs } from "./pattern-typescript-shared";
import { codegenHeaders } from "./plan";
import type { GeneratedCode } from "./plan";
import { indent, lines, tidy } from "./source";
import { tsKafkaBrokers, tsKafkaTopics, tsRabbitUrl } from "./typescript-clients";
import { tsExpr, tsHelpers, tsMain, tsSleep, tsUsesUuid } from "./typescript-syntax";

function requester(plan: Extract<PatternPlan, { kind: "requesters" }>): string {
  const { part } = plan;
  const loop = tsPacing(plan.pace);
  const exclusive = part.replyTo === "exclusive";
  const cb = part.circuitBreaker;
  return lines(
    'import { connect } from "amqplib";',
    cb && 'import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from "cockatiel";',
    tsUsesUuid([plan.payload]) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    `const timeoutMs = ${part.timeout}; // a reply after this is late: the request already counts as timed out`,
    cb && tsBreaker(cb),
    loop.constants,
    tsSleep,
    tsHelpers([plan.payload, plan.route.routingKey]),
    "",
    `function render(seq: number) {\n  return ${indent(tsExpr(plan.payload), 1).trimStart()};\n}`,
    "",
    "async function main(): Promise<void> {",
    indent(tsConnect(plan.endpoint, true), 1),
    exclusive
      ? "  // A private queue the server names for this process: replies come back here."
      : `  // Replies come back on a declared queue (shared by every process that uses it).`,
    exclusive ? '  const { queue: replyTo } = await channel.assertQueue("", { exclusive: true });' : `  const replyTo = ${q((part.replyTo as { queue: string }).queue)};`,
    cb
      ? "  const pending = new Map<string, { sentAt: number; timer: NodeJS.Timeout; settle(ok: boolean): void }>();"
      : "  const pending = new Map<string, { sentAt: number; timer: NodeJS.Timeout }>();",
    `  let replied = 0, timedOut = 0, late = 0, errors = 0${cb ? ", fastFailed = 0" : ""};`,
    "  await channel.consume(replyTo, (message) => {",
    "    if (!message) return;",
    "    const id = String(message.properties.correlationId);",
    "    const entry = pending.get(id);",
    "    if (!entry) {",
    "      late += 1; // timed out already, or not ours: ignore it",
    "      console.warn(`late or unknown reply ${id}`);",
    "      return;",
    "    }",
    "    clearTimeout(entry.timer);",
    "    pending.delete(id);",
    `    if (message.properties.headers?.[${q(patternHeaders.replyStatus)}] === "error") errors += 1;`,
    "    else replied += 1;",
    cb && `    entry.settle(message.properties.headers?.[${q(patternHeaders.replyStatus)}] !== "error"); // tell the breaker how the call went`,
    "    console.log(`${id}: reply after ${Date.now() - entry.sentAt} ms: ${message.content.toString()}`);",
    "  }, { noAck: true });",
    "",
    indent(tsStopOnSigint, 1),
    loop.start && `  ${loop.start}`,
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const id = \`${tsTemplateText(`${plan.service}/${plan.name}/`)}\${seq}\`; // the correlation id`,
    `    while (pending.size >= ${part.maxPending}) await sleep(5); // at most this many awaiting a reply`,
    "    const payload = render(seq);",
    cb && "    // The breaker runs the call, or refuses it at once while open; the call lasts until its reply or timeout.",
    cb && "    breaker.execute(() => new Promise<void>((resolve, reject) => {",
    `    channel.publish(${tsPublishTo(plan.route, "payload")}, Buffer.from(JSON.stringify(payload)), {`,
    "      replyTo, correlationId: id, messageId: id, contentType: \"application/json\", mandatory: true,",
    part.expire && "      expiration: String(timeoutMs), // nobody waits after the timeout: let the request die in the queue",
    `      headers: { ${q(codegenHeaders.id)}: id, ${q(codegenHeaders.sentAt)}: String(Date.now()), ${q(codegenHeaders.attempt)}: 1 },`,
    "    });",
    "    pending.set(id, {",
    "      sentAt: Date.now(),",
    cb && "      settle: (ok) => (ok ? resolve() : reject(new Error(`${id} failed`))),",
    "      timer: setTimeout(() => {",
    "        pending.delete(id);",
    "        timedOut += 1;",
    "        console.warn(`${id}: no reply within ${timeoutMs} ms`);",
    cb && "        reject(new Error(`${id} timed out`));",
    "      }, timeoutMs),",
    "    });",
    cb && "    })).catch((error: unknown) => {",
    cb && "      if (!(error instanceof BrokenCircuitError)) return; // a failed call: counted above",
    cb && "      fastFailed += 1;",
    cb && "      console.warn(`${id}: not sent, the circuit breaker is ${CircuitState[breaker.state]}`);",
    cb && "    });",
    loop.pace && `    ${loop.pace}`,
    "  }",
    "  while (pending.size > 0) await sleep(50);",
    `  console.log(\`replied \${replied}, error replies \${errors}, timed out \${timedOut}, late \${late}${cb ? ", fast failures ${fastFailed}" : ""}\`);`,
    "  await connection.close();",
    "}",
    "",
    tsMain,
  );
}

/** The requester's circuit breaker (cockatiel): opens after failures in a row, half-opens after the cool-down. */
function tsBreaker(cb: CircuitBreaker): string {
  return lines(
    "const breaker = circuitBreaker(handleAll, {",
    `  breaker: new ConsecutiveBreaker(${cb.failureThreshold}), // open after this many failed calls in a row`,
    `  halfOpenAfter: ${cb.openFor}, // ms open before trial calls go through`,
    `  halfOpenSampling: { calls: ${cb.halfOpenTrials}, threshold: 0 }, // trial calls that must all succeed to close`,
    "});",
    "breaker.onStateChange((state) => console.log(`circuit breaker: ${CircuitState[state]}`));",
  );
}

function replier(plan: Extract<PatternPlan, { kind: "repliers" }>): string {
  const { part } = plan;
  return lines(
    'import { connect } from "amqplib";',
    tsUsesUuid([plan.reply]) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    tsSleep,
    tsHelpers([plan.reply]),
    "",
    "// The scenario's reply; its strings may name fields of the request.",
    `function answer(request: Record<string, unknown>) {\n  return ${indent(tsExpr(plan.reply, "request"), 1).trimStart()};\n}`,
    "",
    "async function main(): Promise<void> {",
    indent(tsConnect(plan.endpoint, false), 1),
    `  await channel.prefetch(${part.prefetch});`,
    `  await channel.consume(${q(part.from.queue)}, async (message) => {`,
    "    if (!message) return;",
    "    const { replyTo, correlationId } = message.properties;",
    `    await sleep(${tsWorkMs(part.work)}); // the scenario's simulated work`,
    `    const failed = Math.random() < ${part.failures.errorRate};`,
    "    const request = JSON.parse(message.content.toString()) as Record<string, unknown>;",
    "    const body = failed ? { error: \"simulated failure\" } : answer(request);",
    "    // Answer on the queue the request names, quoting its correlation id.",
    "    if (replyTo) {",
    '      channel.publish("", String(replyTo), Buffer.from(JSON.stringify(body)), {',
    `        correlationId, contentType: "application/json", headers: { ${q(patternHeaders.replyStatus)}: failed ? "error" : "ok" },`,
    "      });",
    "    }",
    "    channel.ack(message);",
    "  });",
    `  console.log(${q(`answering requests on ${part.from.queue}; Ctrl+C to stop`)});`,
    "}",
    "",
    tsMain,
  );
}

function tasks(plan: Extract<PatternPlan, { kind: "tasks" }>): string {
  const loop = tsPacing(plan.pace);
  const exprs = [plan.job, plan.args, plan.route.routingKey];
  return lines(
    'import { connect } from "amqplib";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    loop.constants,
    loop.pace && tsSleep,
    tsHelpers(exprs),
    "",
    "async function main(): Promise<void> {",
    indent(tsConnect(plan.endpoint, true), 1),
    indent(tsStopOnSigint, 1),
    loop.start && `  ${loop.start}`,
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const taskId = \`${tsTemplateText(`${plan.service}/${plan.name}/`)}\${seq}\`;`,
    `    const task = { taskId, job: ${tsExpr(plan.job)}, args: ${indent(tsExpr(plan.args), 2).trimStart()} };`,
    `    channel.publish(${tsPublishTo(plan.route, "task")}, Buffer.from(JSON.stringify(task)), {`,
    "      persistent: true, mandatory: true, messageId: taskId, contentType: \"application/json\",",
    `      headers: { ${q(codegenHeaders.id)}: taskId, ${q(codegenHeaders.sentAt)}: String(Date.now()), ${q(codegenHeaders.attempt)}: 1 },`,
    "    });",
    "    await channel.waitForConfirms(); // the task is pending once the broker has it",
    "    console.log(`submitted ${taskId} (${task.job})`);",
    loop.pace && `    ${loop.pace}`,
    "  }",
    "  await connection.close();",
    "}",
    "",
    tsMain,
  );
}

const tsFoldHelpers: Record<FoldStep["op"], string> = {
  add: "function add(s: State, name: string, n: number | undefined): void {\n  if (n !== undefined) s[name] = Number(s[name] ?? 0) + n;\n}",
  subtract: "function subtract(s: State, name: string, n: number | undefined): void {\n  if (n !== undefined) s[name] = Number(s[name] ?? 0) - n;\n}",
  max: "function max(s: State, name: string, n: number | undefined): void {\n  if (n !== undefined) s[name] = typeof s[name] === \"number\" ? Math.max(s[name], n) : n;\n}",
  min: "function min(s: State, name: string, n: number | undefined): void {\n  if (n !== undefined) s[name] = typeof s[name] === \"number\" ? Math.min(s[name], n) : n;\n}",
  set: "function set(s: State, name: string, value: unknown): void {\n  if (typeof value === \"string\" || typeof value === \"number\" || typeof value === \"boolean\") s[name] = value;\n}",
};

function tsFoldStep({ target, op, from }: FoldStep): string {
  if ("value" in from) return op === "set" ? `s[${q(target)}] = ${q(from.value)};` : `${op}(s, ${q(target)}, ${q(from.value)});`;
  const read = `field(event, ${q(from.field)})`;
  return `${op}(s, ${q(target)}, ${op === "set" ? read : `number(${read})`});`;
}

function projection(plan: Extract<PatternPlan, { kind: "projections" }>): string {
  const { part } = plan;
  const fold = foldPlan(part);
  return lines(
    'import { Kafka, logLevel } from "kafkajs";',
    "",
    tsKafkaBrokers(plan.endpoint),
    `const topic = ${q(part.from.topic)};`,
    "type State = Record<string, string | number | boolean>;",
    "",
    '/** A payload field; "a.b" reads a nested field when there is no top-level "a.b". */',
    "function field(event: Record<string, unknown>, name: string): unknown {",
    "  if (name in event) return event[name];",
    "  let node: unknown = event;",
    '  for (const part of name.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;',
    "  return node;",
    "}",
    "",
    '/** A field as a number (3 or "2.5"); undefined when it is not one, and its step is skipped. */',
    "function number(value: unknown): number | undefined {",
    '  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : undefined;',
    "  return n !== undefined && Number.isFinite(n) ? n : undefined;",
    "}",
    "",
    ...[...fold.helpers].flatMap((op) => [tsFoldHelpers[op], ""]),
    "// How each event type changes the state of its key (the scenario's fold; other types are skipped).",
    "const fold: Record<string, (s: State, event: Record<string, unknown>) => void> = {",
    ...fold.types.map(({ type, steps }) => lines(`  ${q(type)}: (s, event) => {`, ...steps.map((step) => `    ${tsFoldStep(step)}`), "  },")),
    "};",
    "",
    "// REPLAY rebuilds the state in a fresh consumer group (no committed offsets): REPLAY=1 from offset 0,",
    "// REPLAY=offset:<n> from offset n of every partition, REPLAY=time:<ISO date> from the first event since then.",
    "const replay = process.env.REPLAY;",
    "",
    "async function replayStarts(kafka: Kafka): Promise<{ partition: number; offset: string }[]> {",
    "  if (!replay || !/^(offset|time):/.test(replay)) return []; // none, or offset 0: where a new group starts anyway",
    "  const admin = kafka.admin();",
    "  await admin.connect();",
    "  try {",
    '    if (replay.startsWith("time:")) return await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(replay.slice(5)));',
    '    return (await admin.fetchTopicOffsets(topic)).map(({ partition }) => ({ partition, offset: replay.slice("offset:".length) }));',
    "  } finally {",
    "    await admin.disconnect();",
    "  }",
    "}",
    "",
    "async function main(): Promise<void> {",
    '  const kafka = new Kafka({ brokers, clientId: "projection", logLevel: logLevel.ERROR });',
    indent(tsKafkaTopics(plan.endpoint), 1),
    `  const groupId = replay ? \`${tsTemplateText(`${plan.group}-replay-`)}\${Date.now()}\` : ${q(plan.group)};`,
    "  const consumer = kafka.consumer({ groupId });",
    "  await consumer.connect();",
    "  await consumer.subscribe({ topics: [topic], fromBeginning: true });",
    "  const state = new Map<string, State>();",
    "  let applied = 0;",
    "  await consumer.run({",
    "    eachMessage: async ({ message }) => {",
    '      const event = JSON.parse(message.value?.toString() ?? "null") as unknown;',
    '      if (!event || typeof event !== "object" || Array.isArray(event)) return;',
    "      const payload = event as Record<string, unknown>;",
    `      const key = field(payload, ${q(part.key)});`,
    `      const apply = fold[String(field(payload, ${q(part.typeField)}))];`,
    '      if (key === undefined || key === null || typeof key === "object" || !apply) return;',
    "      const current = state.get(String(key)) ?? {};",
    "      apply(current, payload);",
    "      state.set(String(key), current);",
    "      applied += 1;",
    "    },",
    "  });",
    "  for (const start of await replayStarts(kafka)) consumer.seek({ topic, ...start });",
    "  setInterval(() => console.log(`${applied} events applied:`, JSON.stringify(Object.fromEntries(state))), 2_000);",
    "}",
    "",
    tsMain,
  );
}

const emitters: { [K in PatternPlan["kind"]]: (plan: Extract<PatternPlan, { kind: K }>) => string } = {
  requesters: requester, repliers: replier, tasks, workers: tsWorker, httpApi: tsHttpApi, apiCalls: tsApiCall, webhookReceiver: tsWebhookReceiver, projections: projection,
};

const tsLibraries = { rabbitmq: ["amqplib"], kafka: ["kafkajs"], http: [] };

/** The TypeScript program for the selected pattern part. */
export function generatePatternTypeScript(scenario: Scenario, service: string, selection: PatternSelection): GeneratedCode {
  const plan = planPattern(scenario, service, selection);
  const fileName = `${patternFileStem(plan)}.ts`;
  const libraries = [...tsLibraries[patternBroker(plan)], ...(hasBreaker(plan) ? ["cockatiel"] : [])];
  const install = `npm install ${[...libraries, "tsx"].join(" ")}`;
  const body = (emitters[plan.kind] as (p: PatternPlan) => string)(plan);
  const preamble = lines(
    tsComment(`${plan.service} / ${plan.name}, generated by Brokerlab from the scenario "${plan.scenario}".`),
    ...wrap(describePattern(plan)).map(tsComment),
    "//",
    "// Runs as is against the local stack (npm run stack:up):",
    `//   ${install}`,
    `//   npx tsx ${fileName}`,
  );
  return { language: "typescript", library: libraries.join(" + ") || "node:http", fileName, run: [install, `npx tsx ${fileName}`], source: tidy(lines(preamble, "", body)) };
}

