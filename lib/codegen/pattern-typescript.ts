// Runnable TypeScript for the pattern parts (amqplib, kafkajs, node:http): request/reply, task
// queues, the asynchronous HTTP API with signed webhooks, and an event-sourced projection. Same
// message shapes and headers as Brokerlab's own services, so a program can stand in for one.
import { describePattern } from "./pattern-describe";
import { patternFileStem, patternHeaders, planPattern } from "./pattern-plan";
import type { PatternPlan, PatternSelection, RabbitRoute } from "./pattern-plan";
import { codegenHeaders } from "./plan";
import type { GeneratedCode } from "./plan";
import { indent, lines, tidy } from "./source";
import { wrap } from "./describe";
import type { Scenario } from "../scenario/schema";
import { tsKafkaBrokers, tsKafkaTopics, tsRabbitDeclarations, tsRabbitUrl } from "./typescript-clients";
import { tsExpr, tsHelpers, tsMain, tsSleep, tsString, tsUsesUuid } from "./typescript-syntax";

const q = (value: unknown) => JSON.stringify(value);

function connect(plan: { endpoint: Parameters<typeof tsRabbitDeclarations>[0] }, confirm: boolean): string {
  return lines(
    "const connection = await connect(url);",
    `const channel = await connection.${confirm ? "createConfirmChannel" : "createChannel"}();`,
    tsRabbitDeclarations(plan.endpoint),
  );
}

const publishTo = (route: RabbitRoute, source: string) => `${q(route.exchange)}, ${tsString(route.routingKey, source)}`;

/** seq-paced loop settings shared by the requester, the task submitter and the API caller. */
function pacing(part: { rate: { perSecond?: number; burst?: number; manual?: true } | Record<string, unknown>; count?: number }): { constants: string; condition: string; pace: string } {
  const rate = part.rate as { perSecond?: number; burst?: number };
  const count = part.count ?? rate.burst ?? (rate.perSecond === undefined ? 1 : undefined);
  return {
    constants: lines(rate.perSecond !== undefined && `const perSecond = ${rate.perSecond};`, count !== undefined && `const count = ${count};`),
    condition: count !== undefined ? "seq <= count && !stop.signal.aborted" : "!stop.signal.aborted",
    pace: rate.perSecond !== undefined ? "await sleep(startedAt + (seq * 1000) / perSecond - Date.now());" : "",
  };
}

const stopOnSigint = lines("const stop = new AbortController();", 'process.once("SIGINT", () => stop.abort());');

function requester(plan: Extract<PatternPlan, { kind: "requesters" }>): string {
  const { part } = plan;
  const loop = pacing(part);
  const exclusive = part.replyTo === "exclusive";
  return lines(
    'import { connect } from "amqplib";',
    tsUsesUuid([plan.payload]) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    `const timeoutMs = ${part.timeout}; // a reply after this is late: the request already counts as timed out`,
    loop.constants,
    tsSleep,
    tsHelpers([plan.payload, plan.route.routingKey]),
    "",
    `function render(seq: number) {\n  return ${indent(tsExpr(plan.payload), 1).trimStart()};\n}`,
    "",
    "async function main(): Promise<void> {",
    indent(connect(plan, true), 1),
    exclusive
      ? "  // A private queue the server names for this process: replies come back here."
      : `  // Replies come back on a declared queue (shared by every process that uses it).`,
    exclusive ? '  const { queue: replyTo } = await channel.assertQueue("", { exclusive: true });' : `  const replyTo = ${q((part.replyTo as { queue: string }).queue)};`,
    "  const pending = new Map<string, { sentAt: number; timer: NodeJS.Timeout }>();",
    "  let replied = 0, timedOut = 0, late = 0, errors = 0;",
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
    "    console.log(`${id}: reply after ${Date.now() - entry.sentAt} ms: ${message.content.toString()}`);",
    "  }, { noAck: true });",
    "",
    indent(stopOnSigint, 1),
    "  const startedAt = Date.now();",
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const id = \`${plan.service}/${plan.name}/\${seq}\`; // the correlation id`,
    `    while (pending.size >= ${part.maxPending}) await sleep(5); // at most this many awaiting a reply`,
    "    const payload = render(seq);",
    `    channel.publish(${publishTo(plan.route, "payload")}, Buffer.from(JSON.stringify(payload)), {`,
    "      replyTo, correlationId: id, messageId: id, contentType: \"application/json\", mandatory: true,",
    part.expire && "      expiration: String(timeoutMs), // nobody waits after the timeout: let the request die in the queue",
    `      headers: { ${q(codegenHeaders.id)}: id, ${q(codegenHeaders.sentAt)}: String(Date.now()), ${q(codegenHeaders.attempt)}: 1 },`,
    "    });",
    "    pending.set(id, {",
    "      sentAt: Date.now(),",
    "      timer: setTimeout(() => {",
    "        pending.delete(id);",
    "        timedOut += 1;",
    "        console.warn(`${id}: no reply within ${timeoutMs} ms`);",
    "      }, timeoutMs),",
    "    });",
    loop.pace && `    ${loop.pace}`,
    "  }",
    "  while (pending.size > 0) await sleep(50);",
    "  console.log(`replied ${replied}, error replies ${errors}, timed out ${timedOut}, late ${late}`);",
    "  await connection.close();",
    "}",
    "",
    tsMain,
  );
}

function work(spec: { ms: number; jitterMs: number }): string {
  return spec.ms > 0 || spec.jitterMs > 0 ? `${spec.ms}${spec.jitterMs > 0 ? ` + (Math.random() * 2 - 1) * ${spec.jitterMs}` : ""}` : "0";
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
    indent(connect(plan, false), 1),
    `  await channel.prefetch(${part.prefetch});`,
    `  await channel.consume(${q(part.from.queue)}, async (message) => {`,
    "    if (!message) return;",
    "    const { replyTo, correlationId } = message.properties;",
    `    await sleep(${work(part.work)}); // the scenario's simulated work`,
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
  const loop = pacing(plan.part);
  const exprs = [plan.job, plan.args, plan.route.routingKey];
  return lines(
    'import { connect } from "amqplib";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    loop.constants,
    tsSleep,
    tsHelpers(exprs),
    "",
    "async function main(): Promise<void> {",
    indent(connect(plan, true), 1),
    indent(stopOnSigint, 1),
    "  const startedAt = Date.now();",
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const taskId = \`${plan.service}/${plan.name}/\${seq}\`;`,
    `    const task = { taskId, job: ${tsExpr(plan.job)}, args: ${indent(tsExpr(plan.args), 2).trimStart()} };`,
    `    channel.publish(${publishTo(plan.route, "task")}, Buffer.from(JSON.stringify(task)), {`,
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

function worker(plan: Extract<PatternPlan, { kind: "workers" }>): string {
  const { part } = plan;
  const results = Object.values(plan.results);
  const jobs = Object.entries(part.jobs).map(([job, spec]) => lines(
    `  ${q(job)}: {`,
    `    timeoutMs: ${spec.timeout ?? part.timeout},`,
    `    async run(args: Record<string, unknown>) {`,
    `      await sleep(${work(spec.work)}); // the scenario's simulated work`,
    spec.failures.errorRate > 0 && `      if (Math.random() < ${spec.failures.errorRate}) throw new Error("simulated failure");`,
    spec.failures.poison && `      if (String(args[${q(spec.failures.poison.field)}]) === ${q(String(spec.failures.poison.equals))}) throw new Error("poison task");`,
    `      return ${indent(tsExpr(plan.results[job]!, "args"), 3).trimStart()};`,
    "    },",
    "  },",
  ));
  const policy = part.callbacks;
  return lines(
    'import { connect } from "amqplib";',
    'import { createHmac } from "node:crypto";',
    tsUsesUuid(results) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    `const queue = ${q(part.from.queue)};`,
    `const retries = ${part.retries};`,
    `const backoffMs: number[] = ${q(part.backoffMs)}; // before each retry; the last value repeats`,
    "// Signs callbacks like a Brokerlab run: HMAC-SHA256 of the body (set the run's secret to be accepted by its receiver).",
    'const secret = process.env.BROKERLAB_WEBHOOK_SECRET ?? "change-me";',
    tsSleep,
    tsHelpers(results),
    "",
    "const jobs: Record<string, { timeoutMs: number; run(args: Record<string, unknown>): Promise<unknown> }> = {",
    ...jobs,
    "};",
    "",
    "/** Runs one attempt, failing it at the job's time limit. */",
    "function attempt(job: string, args: Record<string, unknown>): Promise<unknown> {",
    "  const spec = jobs[job];",
    "  if (!spec) return Promise.reject(new Error(`no job named ${job}`));",
    "  return Promise.race([",
    "    spec.run(args),",
    "    sleep(spec.timeoutMs).then(() => { throw new Error(`timed out after ${spec.timeoutMs} ms`); }),",
    "  ]);",
    "}",
    "",
    `/** POSTs the outcome to the task's callback_url, signed; retried with backoff (${policy.retries} retries). */`,
    "async function callBack(url: string, outcome: Record<string, unknown>): Promise<void> {",
    "  const body = JSON.stringify(outcome);",
    `  const delays: number[] = ${q(policy.backoffMs)};`,
    `  for (let attempt = 1; attempt <= ${policy.retries + 1}; attempt++) {`,
    "    const response = await fetch(url, {",
    '      method: "POST",',
    `      headers: { "content-type": "application/json", ${q(patternHeaders.signature)}: \`sha256=\${createHmac("sha256", secret).update(body).digest("hex")}\`, ${q(patternHeaders.task)}: String(outcome.taskId), ${q(patternHeaders.attempt)}: String(attempt) },`,
    `      body, signal: AbortSignal.timeout(${policy.timeout}),`,
    "    }).catch(() => undefined);",
    "    if (response?.ok) return;",
    "    console.warn(`callback for ${String(outcome.taskId)}: attempt ${attempt} got ${response?.status ?? \"no answer\"}`);",
    "    await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0);",
    "  }",
    "}",
    "",
    "async function main(): Promise<void> {",
    indent(connect(plan, true), 1),
    `  await channel.prefetch(${part.prefetch * part.concurrency}); // ${part.concurrency} at a time`,
    "  await channel.consume(queue, async (message) => {",
    "    if (!message) return;",
    "    const task = JSON.parse(message.content.toString()) as { taskId: string; job: string; args: Record<string, unknown>; callback_url?: string };",
    `    const tries = Number(message.properties.headers?.[${q(codegenHeaders.attempt)}] ?? 1);`,
    "    try {",
    "      const result = await attempt(task.job, task.args ?? {});",
    "      console.log(`${task.taskId} succeeded: ${JSON.stringify(result)}`); // store it where the submitter can look it up",
    '      if (task.callback_url) await callBack(task.callback_url, { taskId: task.taskId, job: task.job, status: "succeeded", result, attempts: tries, completedAt: new Date().toISOString() });',
    "    } catch (error) {",
    "      const reason = error instanceof Error ? error.message : String(error);",
    "      if (tries <= retries) {",
    "        // A copy with the next attempt number, after the backoff; the original is acked below.",
    "        await sleep(backoffMs[Math.min(tries - 1, backoffMs.length - 1)] ?? 0);",
    '        channel.publish("", queue, message.content, { persistent: true, messageId: task.taskId, headers: { ...message.properties.headers, ' + `${q(codegenHeaders.attempt)}: tries + 1 } });`,
    "        console.warn(`${task.taskId} attempt ${tries} failed (${reason}); retrying`);",
    "      } else {",
    "        console.error(`${task.taskId} failed: ${reason}`);",
    '        if (task.callback_url) await callBack(task.callback_url, { taskId: task.taskId, job: task.job, status: "failed", error: reason, attempts: tries, completedAt: new Date().toISOString() });',
    "      }",
    "    }",
    "    channel.ack(message);",
    "  });",
    "  console.log(`working on ${queue}; Ctrl+C to stop`);",
    "}",
    "",
    tsMain,
  );
}

function httpApi(plan: Extract<PatternPlan, { kind: "httpApi" }>): string {
  const { part } = plan;
  return lines(
    'import { connect } from "amqplib";',
    'import { createServer } from "node:http";',
    'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(plan.endpoint),
    "const port = Number(process.env.PORT ?? 8080);",
    "",
    "async function main(): Promise<void> {",
    indent(connect(plan, true), 1),
    "  const server = createServer(async (req, res) => {",
    "    const reply = (status: number, body: unknown) => {",
    '      res.writeHead(status, { "content-type": "application/json" });',
    "      res.end(JSON.stringify(body));",
    "    };",
    `    if (req.method !== "POST" || req.url !== ${q(part.path)}) return reply(404, { error: ${q(`POST ${part.path}`)} });`,
    "    const chunks: Buffer[] = [];",
    "    for await (const chunk of req) chunks.push(chunk as Buffer);",
    "    let body: Record<string, unknown>;",
    "    try {",
    '      body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>;',
    "    } catch {",
    '      return reply(400, { error: "the body is not JSON" });',
    "    }",
    "    const { callback_url, ...args } = body;",
    `    const taskId = \`${plan.service}/${part.name}/\${randomUUID()}\`;`,
    `    const task = { taskId, job: ${tsExpr(plan.job)}, args, ...(typeof callback_url === "string" ? { callback_url } : {}) };`,
    `    channel.publish(${publishTo(plan.route, "task")}, Buffer.from(JSON.stringify(task)), {`,
    "      persistent: true, messageId: taskId, contentType: \"application/json\",",
    `      headers: { ${q(codegenHeaders.id)}: taskId, ${q(codegenHeaders.sentAt)}: String(Date.now()), ${q(codegenHeaders.attempt)}: 1 },`,
    "    });",
    "    try {",
    "      await channel.waitForConfirms();",
    "    } catch {",
    '      return reply(503, { error: "the task could not be queued" });',
    "    }",
    "    // Accepted, not done: a worker does the job and calls back when it is.",
    "    reply(202, { taskId });",
    "  });",
    '  server.listen(port, "127.0.0.1", () => console.log(`POST http://127.0.0.1:${port}' + part.path + '`));',
    "}",
    "",
    tsMain,
  );
}

function apiCall(plan: Extract<PatternPlan, { kind: "apiCalls" }>): string {
  const { part } = plan;
  const loop = pacing(part);
  return lines(
    tsUsesUuid([plan.body]) && 'import { randomUUID } from "node:crypto";',
    "",
    `const api = process.env.API_URL ?? ${q(`http://127.0.0.1:8080${plan.apiPath}`)};`,
    plan.callbackPath && `const callbackUrl = process.env.CALLBACK_URL ?? ${q(`http://127.0.0.1:8081${plan.callbackPath}`)};`,
    loop.constants,
    tsSleep,
    tsHelpers([plan.body]),
    "",
    "async function main(): Promise<void> {",
    indent(stopOnSigint, 1),
    "  const startedAt = Date.now();",
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const body = { ...${indent(tsExpr(plan.body), 2).trimStart()}${plan.callbackPath ? ", callback_url: callbackUrl" : ""} };`,
    "    const response = await fetch(api, {",
    '      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),',
    `      signal: AbortSignal.timeout(${part.timeout}),`,
    "    }).catch((error: unknown) => error as Error);",
    "    if (response instanceof Error) console.warn(`request ${seq} failed: ${response.message}`);",
    "    else console.log(`request ${seq}: ${response.status} ${await response.text()}`); // 202 and a task id",
    loop.pace && `    ${loop.pace}`,
    "  }",
    "}",
    "",
    tsMain,
  );
}

function webhookReceiver(plan: Extract<PatternPlan, { kind: "webhookReceiver" }>): string {
  const { part } = plan;
  return lines(
    'import { createHmac, timingSafeEqual } from "node:crypto";',
    'import { createServer } from "node:http";',
    "",
    "const port = Number(process.env.PORT ?? 8081);",
    'const secret = process.env.BROKERLAB_WEBHOOK_SECRET ?? "change-me"; // the same secret as the sender',
    part.failFirst > 0 && `let failFirst = ${part.failFirst}; // the scenario's outage: the first callbacks get ${part.failStatus}`,
    "const seen = new Set<string>();",
    "",
    "/** Constant-time check of `sha256=<hex HMAC-SHA256 of the raw body>`. */",
    "function signatureValid(body: Buffer, header: string | undefined): boolean {",
    "  if (!header) return false;",
    '  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);',
    "  const given = Buffer.from(header.trim());",
    "  return given.length === expected.length && timingSafeEqual(given, expected);",
    "}",
    "",
    "const server = createServer(async (req, res) => {",
    `  if (req.method !== "POST" || req.url !== ${q(part.path)}) return void res.writeHead(404).end();`,
    "  const chunks: Buffer[] = [];",
    "  for await (const chunk of req) chunks.push(chunk as Buffer);",
    "  const body = Buffer.concat(chunks);",
    part.failFirst > 0 && `  if (failFirst-- > 0) return void res.writeHead(${part.failStatus}).end(); // the sender retries with backoff`,
    part.errorRate > 0 && `  if (Math.random() < ${part.errorRate}) return void res.writeHead(${part.failStatus}).end();`,
    `  if (!signatureValid(body, req.headers[${q(patternHeaders.signature)}] as string | undefined)) {`,
    '    console.warn("rejected a callback with a bad or missing signature");',
    "    return void res.writeHead(401).end();",
    "  }",
    "  const callback = JSON.parse(body.toString()) as { taskId: string; status: string };",
    "  // Deliveries are at least once: the same task may call back twice.",
    "  if (seen.has(callback.taskId)) console.log(`duplicate callback for ${callback.taskId}`);",
    "  seen.add(callback.taskId);",
    "  console.log(`${callback.taskId}: ${callback.status}`);",
    "  res.writeHead(200).end();",
    "});",
    `server.listen(port, "127.0.0.1", () => console.log(\`callbacks on http://127.0.0.1:\${port}${part.path}\`));`,
  );
}

function foldLines(plan: Extract<PatternPlan, { kind: "projections" }>): string[] {
  return Object.entries(plan.part.fold).map(([type, ops]) => {
    const steps = Object.entries(ops).map(([field, op]) => {
      const [name, value] = Object.entries(op)[0] as [string, string | number | boolean];
      const operand = typeof value === "string" ? `Number(event[${q(value)}])` : q(value);
      switch (name) {
        case "add": return `s[${q(field)}] = Number(s[${q(field)}] ?? 0) + ${operand};`;
        case "subtract": return `s[${q(field)}] = Number(s[${q(field)}] ?? 0) - ${operand};`;
        case "max": return `s[${q(field)}] = Math.max(Number(s[${q(field)}] ?? -Infinity), ${operand});`;
        case "min": return `s[${q(field)}] = Math.min(Number(s[${q(field)}] ?? Infinity), ${operand});`;
        default: return `s[${q(field)}] = ${typeof value === "string" ? `event[${q(value)}] as string | number | boolean` : q(value)};`;
      }
    });
    return lines(`  ${q(type)}: (s, event) => {`, ...steps.map((step) => `    ${step}`), "  },");
  });
}

function projection(plan: Extract<PatternPlan, { kind: "projections" }>): string {
  const { part } = plan;
  return lines(
    'import { Kafka, logLevel } from "kafkajs";',
    "",
    tsKafkaBrokers(plan.endpoint),
    `const topic = ${q(part.from.topic)};`,
    "type State = Record<string, string | number | boolean>;",
    "",
    `// How each event type changes the state of its key (the scenario's fold; other types are skipped).`,
    "const fold: Record<string, (state: State, event: Record<string, unknown>) => void> = {",
    ...foldLines(plan),
    "};",
    "",
    "async function main(): Promise<void> {",
    '  const kafka = new Kafka({ brokers, clientId: "projection", logLevel: logLevel.ERROR });',
    indent(tsKafkaTopics(plan.endpoint), 1),
    "  // REPLAY=1 rebuilds the state from offset 0: a new group has no committed offsets.",
    `  const groupId = process.env.REPLAY ? \`${plan.group}-replay-\${Date.now()}\` : ${q(plan.group)};`,
    "  const consumer = kafka.consumer({ groupId });",
    "  await consumer.connect();",
    "  await consumer.subscribe({ topics: [topic], fromBeginning: true });",
    "  const state = new Map<string, State>();",
    "  let applied = 0;",
    "  await consumer.run({",
    "    eachMessage: async ({ message }) => {",
    '      const event = JSON.parse(message.value?.toString() ?? "{}") as Record<string, unknown>;',
    `      const key = event[${q(part.key)}];`,
    `      const apply = fold[String(event[${q(part.typeField)}])];`,
    "      if (key === undefined || !apply) return;",
    "      const current = state.get(String(key)) ?? {};",
    "      apply(current, event);",
    "      state.set(String(key), current);",
    "      applied += 1;",
    "    },",
    "  });",
    "  setInterval(() => console.log(applied, Object.fromEntries(state)), 2_000);",
    "}",
    "",
    tsMain,
  );
}

const emitters: { [K in PatternPlan["kind"]]: (plan: Extract<PatternPlan, { kind: K }>) => string } = {
  requesters: requester, repliers: replier, tasks, workers: worker, httpApi, apiCalls: apiCall, webhookReceiver, projections: projection,
};

export function patternLibraries(plan: PatternPlan): string[] {
  if (plan.kind === "projections") return ["kafkajs"];
  if (plan.kind === "apiCalls" || plan.kind === "webhookReceiver") return [];
  return ["amqplib"];
}

/** The TypeScript program for the selected pattern part. */
export function generatePatternTypeScript(scenario: Scenario, service: string, selection: PatternSelection): GeneratedCode {
  const plan = planPattern(scenario, service, selection);
  const fileName = `${patternFileStem(plan)}.ts`;
  const libraries = patternLibraries(plan);
  const install = `npm install ${[...libraries, "tsx"].join(" ")}`;
  const body = (emitters[plan.kind] as (p: PatternPlan) => string)(plan);
  const preamble = lines(
    `// ${plan.service} / ${plan.name}, generated by Brokerlab from the scenario "${plan.scenario}".`,
    ...wrap(describePattern(plan)).map((line) => `// ${line}`),
    "//",
    "// Runs as is against the local stack (npm run stack:up):",
    `//   ${install}`,
    `//   npx tsx ${fileName}`,
  );
  return { language: "typescript", library: libraries.join(" + ") || "node:http", fileName, run: [install, `npx tsx ${fileName}`], source: tidy(lines(preamble, "", body)) };
}

