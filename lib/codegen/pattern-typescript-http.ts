// Runnable TypeScript for the task worker (with its signed callbacks) and the HTTP parts of the
// asynchronous API: the API (202 and a task id), its caller and the webhook receiver. Retries,
// headers and signatures as server/service/patterns/worker.ts and webhook-*.ts do them.
import { tsTemplateText } from "./escape";
import type { PatternPlan } from "./pattern-plan";
import { patternHeaders } from "./pattern-plan";
import { q, tsBackoff, tsConnect, tsPacing, tsPublishTo, tsStopOnSigint, tsWorkMs } from "./pattern-typescript-shared";
import { codegenHeaders } from "./plan";
import { indent, lines } from "./source";
import { tsRabbitUrl } from "./typescript-clients";
import { tsExpr, tsHelpers, tsMain, tsSleep, tsUsesUuid } from "./typescript-syntax";

type Plan<K extends PatternPlan["kind"]> = Extract<PatternPlan, { kind: K }>;

function jobTable(plan: Plan<"workers">): string {
  const { part } = plan;
  return lines(
    "const jobs: Record<string, { timeoutMs: number; run(args: Record<string, unknown>): Promise<unknown> }> = {",
    ...Object.entries(part.jobs).map(([job, spec]) => lines(
      `  ${q(job)}: {`,
      `    timeoutMs: ${spec.timeout ?? part.timeout},`,
      "    async run(args: Record<string, unknown>) {",
      `      await sleep(${tsWorkMs(spec.work)}); // the scenario's simulated work`,
      spec.failures.errorRate > 0 && `      if (Math.random() < ${spec.failures.errorRate}) throw new Error("simulated failure");`,
      spec.failures.poison && `      if (String(args[${q(spec.failures.poison.field)}]) === ${q(String(spec.failures.poison.equals))}) throw new Error("poison task");`,
      `      return ${indent(tsExpr(plan.results[job]!, "args"), 3).trimStart()};`,
      "    },",
      "  },",
    )),
    "};",
  );
}

/** The webhook sender: signed like a Brokerlab run, retried like one (webhook-sender.ts). */
function callBack(policy: Plan<"workers">["part"]["callbacks"]): string {
  const key = policy.signature === "wrong-secret" ? "`not-${secret}`" : "secret";
  return lines(
    `const callbackBackoffMs: number[] = [${policy.backoffMs.join(", ")}];`,
    "",
    `/** POSTs the outcome to the task's callback_url, signed; retried with backoff (${policy.retries} retries) while the receiver answers 5xx, 408 or 429 or does not answer. */`,
    "async function callBack(url: string, outcome: Record<string, unknown>): Promise<boolean> {",
    "  const body = JSON.stringify(outcome);",
    policy.signature === "wrong-secret" && "  // The scenario signs with a wrong secret (callbacks.signature): the receiver answers 401.",
    policy.signature === "missing"
      ? "  // The scenario sends no signature (callbacks.signature: missing): the receiver answers 401."
      : `  const signature = \`sha256=\${createHmac("sha256", ${key}).update(body).digest("hex")}\`;`,
    "  const delivery = randomUUID(); // the same on every attempt of this callback",
    "  for (let attempt = 1; ; attempt++) {",
    "    const response = await fetch(url, {",
    '      method: "POST",',
    "      headers: {",
    '        "content-type": "application/json",',
    policy.signature !== "missing" && `        ${q(patternHeaders.signature)}: signature,`,
    `        ${q(patternHeaders.delivery)}: delivery, ${q(patternHeaders.task)}: String(outcome.taskId), ${q(patternHeaders.attempt)}: String(attempt),`,
    "      },",
    `      body, signal: AbortSignal.timeout(${policy.timeout}),`,
    "    }).catch(() => undefined);",
    "    if (response?.ok) return true;",
    "    const status = response?.status ?? 0; // 0: no answer",
    `    const again = (status === 0 || status === 408 || status === 429 || status >= 500) && attempt <= ${policy.retries};`,
    '    console.warn(`callback for ${String(outcome.taskId)}: attempt ${attempt} got ${status || "no answer"}${again ? "; retrying" : ""}`);',
    "    if (!again) return false; // another 4xx is final",
    "    await sleep(backoff(callbackBackoffMs, attempt));",
    "  }",
    "}",
  );
}

export function tsWorker(plan: Plan<"workers">): string {
  const { part } = plan;
  const attempt = q(codegenHeaders.attempt);
  const signs = part.callbacks.signature !== "missing";
  const outcome = (status: string, extra: string) => `{ taskId: task.taskId, job: task.job, status: "${status}", ${extra}, attempts: tries, completedAt: new Date().toISOString() }`;
  return lines(
    'import { connect } from "amqplib";',
    `import { ${signs ? "createHmac, " : ""}randomUUID } from "node:crypto";`,
    "",
    tsRabbitUrl(plan.endpoint),
    `const queue = ${q(part.from.queue)};`,
    `const retries = ${part.retries};`,
    `const backoffMs: number[] = [${part.backoffMs.join(", ")}]; // before each retry; the last value repeats`,
    signs && "// Signs callbacks like a Brokerlab run: HMAC-SHA256 of the body (set the run's secret to be accepted by its receiver).",
    signs && 'const secret = process.env.BROKERLAB_WEBHOOK_SECRET ?? "change-me";',
    tsSleep,
    tsBackoff,
    tsHelpers(Object.values(plan.results)),
    "",
    jobTable(plan),
    "",
    "/** Runs one attempt, failing it at the job's time limit. */",
    "function runAttempt(job: string, args: Record<string, unknown>): Promise<unknown> {",
    "  const spec = jobs[job]!;",
    "  return Promise.race([",
    "    spec.run(args),",
    "    sleep(spec.timeoutMs).then(() => { throw new Error(`timed out after ${spec.timeoutMs} ms`); }),",
    "  ]);",
    "}",
    "",
    callBack(part.callbacks),
    "",
    "async function main(): Promise<void> {",
    indent(tsConnect(plan.endpoint, true), 1),
    `  // ${part.concurrency} at a time: the broker hands this worker at most ${part.concurrency} unacknowledged task${part.concurrency === 1 ? "" : "s"} (prefetch).`,
    `  await channel.prefetch(${part.concurrency});`,
    "  await channel.consume(queue, async (message) => {",
    "    if (!message) return;",
    "    const headers = message.properties.headers ?? {};",
    "    let task: { taskId: string; job: string; args?: Record<string, unknown>; callback_url?: string };",
    "    try {",
    "      task = JSON.parse(message.content.toString());",
    "    } catch {",
    '      console.warn("dropped a message that is not a task");',
    "      return channel.ack(message);",
    "    }",
    `    const tries = Number(headers[${attempt}] ?? 1);`,
    "    // A retry is published at once with its due time: hold it until then.",
    `    await sleep(Number(headers[${q(codegenHeaders.dueAt)}] ?? 0) - Date.now());`,
    "    try {",
    "      if (!jobs[task.job]) throw new Error(`unknown job ${task.job}`);",
    "      const result = await runAttempt(task.job, task.args ?? {});",
    "      console.log(`${task.taskId} succeeded: ${JSON.stringify(result)}`); // store it where the submitter can look it up",
    `      if (task.callback_url) await callBack(task.callback_url, ${outcome("succeeded", "result")});`,
    "    } catch (error) {",
    "      const reason = error instanceof Error ? error.message : String(error);",
    "      if (tries <= retries && jobs[task.job]) {",
    "        // A copy with the next attempt number and its due time, published now; the original is acked below.",
    "        const delayMs = backoff(backoffMs, tries);",
    '        channel.publish("", queue, message.content, {',
    '          persistent: true, messageId: task.taskId, contentType: "application/json",',
    `          headers: { ...headers, ${attempt}: tries + 1, ${q(codegenHeaders.dueAt)}: String(Date.now() + delayMs) },`,
    "        });",
    "        await channel.waitForConfirms();",
    "        console.warn(`${task.taskId} attempt ${tries} failed (${reason}); attempt ${tries + 1} in ${delayMs} ms`);",
    "      } else {",
    "        console.error(`${task.taskId} failed: ${reason}`);",
    `        if (task.callback_url) await callBack(task.callback_url, ${outcome("failed", "error: reason")});`,
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

export function tsHttpApi(plan: Plan<"httpApi">): string {
  const { part } = plan;
  return lines(
    'import { connect } from "amqplib";',
    'import { randomUUID } from "node:crypto";',
    'import { createServer } from "node:http";',
    "",
    tsRabbitUrl(plan.endpoint),
    "const port = Number(process.env.PORT ?? 8080);",
    "",
    "async function main(): Promise<void> {",
    indent(tsConnect(plan.endpoint, true), 1),
    "  // A task no queue takes comes back (mandatory) before its confirm: the request gets 503, not 202.",
    "  const returned = new Set<string>();",
    '  channel.on("return", (message: { properties: { messageId?: unknown } }) => returned.add(String(message.properties.messageId)));',
    "  const server = createServer(async (req, res) => {",
    "    const reply = (status: number, body: unknown) => {",
    '      res.writeHead(status, { "content-type": "application/json" });',
    "      res.end(JSON.stringify(body));",
    "    };",
    `    if ((req.url ?? "/").split("?")[0] !== ${q(part.path)}) return reply(404, { error: ${q(`not found; POST ${part.path}`)} });`,
    `    if (req.method !== "POST") return reply(405, { error: ${q(`use POST ${part.path}`)} });`,
    "    const chunks: Buffer[] = [];",
    "    for await (const chunk of req) chunks.push(chunk as Buffer);",
    "    let body: unknown;",
    "    try {",
    '      body = JSON.parse(Buffer.concat(chunks).toString() || "{}");',
    "    } catch {",
    '      return reply(400, { error: "the body is not JSON" });',
    "    }",
    '    if (!body || typeof body !== "object" || Array.isArray(body)) return reply(400, { error: "the body must be a JSON object" });',
    "    const { callback_url, ...args } = body as Record<string, unknown>;",
    `    const taskId = \`${tsTemplateText(`${plan.service}/${part.name}/`)}\${randomUUID()}\`;`,
    `    const task = { taskId, job: ${tsExpr(plan.job)}, args, ...(typeof callback_url === "string" ? { callback_url } : {}) };`,
    "    const queued = await new Promise<boolean>((resolve) => {",
    `      channel.publish(${tsPublishTo(plan.route, "task")}, Buffer.from(JSON.stringify(task)), {`,
    '        persistent: true, mandatory: true, messageId: taskId, contentType: "application/json",',
    `        headers: { ${q(codegenHeaders.id)}: taskId, ${q(codegenHeaders.sentAt)}: String(Date.now()), ${q(codegenHeaders.attempt)}: 1, "x-brokerlab-job": task.job },`,
    "      }, (error: unknown) => resolve(!error && !returned.delete(taskId)));",
    "    });",
    '    if (!queued) return reply(503, { error: "the task could not be queued" });',
    "    // Accepted, not done: a worker does the job and calls back when it is.",
    '    reply(202, { taskId, status: "accepted" });',
    "  });",
    `  server.listen(port, "127.0.0.1", () => console.log(\`POST http://127.0.0.1:\${port}${tsTemplateText(part.path)}\`));`,
    "}",
    "",
    tsMain,
  );
}

export function tsApiCall(plan: Plan<"apiCalls">): string {
  const loop = tsPacing(plan.pace);
  return lines(
    tsUsesUuid([plan.body]) && 'import { randomUUID } from "node:crypto";',
    "",
    `const api = process.env.API_URL ?? ${q(`http://127.0.0.1:8080${plan.apiPath}`)};`,
    plan.callbackPath && `const callbackUrl = process.env.CALLBACK_URL ?? ${q(`http://127.0.0.1:8081${plan.callbackPath}`)};`,
    loop.constants,
    loop.pace && tsSleep,
    tsHelpers([plan.body]),
    "",
    "async function main(): Promise<void> {",
    indent(tsStopOnSigint, 1),
    loop.start && `  ${loop.start}`,
    `  for (let seq = 1; ${loop.condition}; seq++) {`,
    `    const body = { ...${indent(tsExpr(plan.body), 2).trimStart()}${plan.callbackPath ? ", callback_url: callbackUrl" : ""} };`,
    "    const response = await fetch(api, {",
    '      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),',
    `      signal: AbortSignal.timeout(${plan.part.timeout}),`,
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

export function tsWebhookReceiver(plan: Plan<"webhookReceiver">): string {
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
    "  const answer = (status: number, body: unknown) => {",
    '    res.writeHead(status, { "content-type": "application/json" });',
    "    res.end(JSON.stringify(body));",
    "  };",
    `  if ((req.url ?? "/").split("?")[0] !== ${q(part.path)}) return answer(404, { error: ${q(`not found; POST ${part.path}`)} });`,
    '  if (req.method !== "POST") return answer(405, { error: "use POST" });',
    "  const chunks: Buffer[] = [];",
    "  for await (const chunk of req) chunks.push(chunk as Buffer);",
    "  const body = Buffer.concat(chunks);",
    part.failFirst > 0 && `  if (failFirst-- > 0) return answer(${part.failStatus}, { error: "failing on purpose (failFirst)" }); // the sender retries with backoff`,
    part.errorRate > 0 && `  if (Math.random() < ${part.errorRate}) return answer(${part.failStatus}, { error: "failing on purpose (errorRate)" });`,
    `  if (!signatureValid(body, req.headers[${q(patternHeaders.signature)}] as string | undefined)) {`,
    '    console.warn("rejected a callback with a bad or missing signature");',
    '    return answer(401, { error: "the signature is missing or does not match the body" });',
    "  }",
    "  const callback = JSON.parse(body.toString()) as { taskId: string; status: string };",
    "  // Deliveries are at least once: the same task may call back twice.",
    "  if (seen.has(callback.taskId)) console.log(`duplicate callback for ${callback.taskId}`);",
    "  seen.add(callback.taskId);",
    "  console.log(`${callback.taskId}: ${callback.status}`);",
    "  answer(200, { received: true });",
    "});",
    `server.listen(port, "127.0.0.1", () => console.log(\`callbacks on http://127.0.0.1:\${port}${tsTemplateText(part.path)}\`));`,
  );
}
