// The node-redis programs: a producer that XADDs to a stream (trimmed to about its MAXLEN) or
// PUBLISHes to a channel, a consumer-group reader (XREADGROUP, XACK, XAUTOCLAIM of entries left
// idle, a dead-letter stream) and a channel subscriber. Entries and envelopes are Brokerlab's own.
import { tsQuote } from "./escape";
import type { Expr } from "./expression";
import type { ConsumerPlan, ProducerPlan } from "./plan";
import { codegenHeaders } from "./plan";
import type { RedisEndpoint } from "./redis-pubsub-plan";
import { redisWire, streamDecl } from "./redis-pubsub-plan";
import { indent, lines } from "./source";
import { attributeLines, tsTraceparent } from "./typescript-aws-clients";
import { tsProducerLoop, tsRender } from "./typescript-rabbitmq";
import { tsHelpers, tsMain, tsSleep, tsUsesUuid, tsWork } from "./typescript-syntax";

const q = tsQuote;
const tsRedisUrl = (endpoint: RedisEndpoint) => `const url = process.env.REDIS_URL ?? ${q(endpoint.url)};`;
const tsRedisConnect = (name: string) =>
  lines(`  const ${name} = createClient({ url });`, `  ${name}.on("error", (error: Error) => console.error(\`redis: \${error.message}\`));`, `  await ${name}.connect();`);

/** A Redis or Pub/Sub producer's constants and helpers: the schedule, the template helpers, traceparent() and render(). */
export function tsProducerTop(plan: ProducerPlan, exprs: (Expr | undefined)[]): string {
  const loop = tsProducerLoop(plan);
  return lines(...loop.constants, loop.pace && tsSleep, tsHelpers(exprs), tsTraceparent, "", tsRender(plan));
}

export function tsRedisProducerProgram(plan: ProducerPlan): string {
  if (plan.route.kind !== "redis") return "";
  const route = plan.route;
  const loop = tsProducerLoop(plan);
  const exprs = [plan.payload, ...plan.headers.map(([, value]) => value)];
  const headers = lines("{", indent(attributeLines(plan.headers, "id", "payload").join("\n"), 1), "}");
  const send =
    "stream" in route
      ? lines(
          `    // The entry's fields as Brokerlab writes them: the payload in ${q(redisWire.body)}, the headers (JSON) in ${q(redisWire.headers)}.`,
          `    const fields = { ${redisWire.body}: JSON.stringify(payload), ${redisWire.headers}: JSON.stringify(headers) };`,
          route.maxLen !== undefined
            ? '    await client.xAdd(stream, "*", fields, { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: maxLen } });'
            : '    await client.xAdd(stream, "*", fields);',
        )
      : lines(
          "    // Brokerlab's envelope: the headers and the payload (as text) in one JSON message.",
          `    const receivers = await client.publish(channel, JSON.stringify({ ${redisWire.headers}: headers, ${redisWire.body}: JSON.stringify(payload) }));`,
          "    // Redis answers how many subscribers got it: 0 means nobody listened, and the message is gone.",
          "    if (receivers === 0) console.warn(`${id}: no subscriber was listening on ${channel}; lost`);",
        );
  return lines(
    'import { createClient } from "redis";',
    `import { randomBytes${tsUsesUuid(exprs) ? ", randomUUID" : ""} } from "node:crypto";`,
    "",
    tsRedisUrl(plan.endpoint as RedisEndpoint),
    "stream" in route ? `const stream = ${q(route.stream)};` : `const channel = ${q(route.channel)};`,
    "stream" in route && route.maxLen !== undefined && `const maxLen = ${route.maxLen}; // XADD … MAXLEN ~: Redis trims the oldest entries beyond about this many, read or not`,
    tsProducerTop(plan, exprs),
    "",
    "async function main(): Promise<void> {",
    tsRedisConnect("client"),
    loop.start,
    `    const headers: Record<string, string> = ${indent(headers, 2).trimStart()};`,
    send,
    loop.end(),
    "  await client.close();",
    "  console.log(`published ${sent} messages`);",
    "}",
    "",
    tsMain,
  );
}

/** Reads Brokerlab's entry fields or envelope; someone else's message is its body, without headers. */
const tsRedisUnwrap = lines(
  "function unwrap(body: unknown, headers: unknown): { body: string; headers: Record<string, string> } {",
  "  if (typeof body !== \"string\") return { body: JSON.stringify(body ?? {}), headers: {} };",
  "  try {",
  "    const parsed: unknown = typeof headers === \"string\" ? JSON.parse(headers) : headers;",
  "    return { body, headers: parsed && typeof parsed === \"object\" ? (parsed as Record<string, string>) : {} };",
  "  } catch {",
  "    return { body, headers: {} };",
  "  }",
  "}",
);

const tsProcessed = (deliveries: string) =>
  `console.log(\`\${id}: processed\${${deliveries}}\${traceId ? \` in trace \${traceId}\` : ""}\`);`;

export function tsRedisConsumerProgram(plan: ConsumerPlan): string {
  const { consumer } = plan;
  const endpoint = plan.endpoint as RedisEndpoint;
  if ("stream" in consumer.from) return tsStreamConsumer(plan, endpoint, consumer.from.stream, consumer.from.group);
  const pattern = "channelPattern" in consumer.from ? consumer.from.channelPattern : undefined;
  const channel = "channel" in consumer.from ? consumer.from.channel : undefined;
  const usesSleep = consumer.work.ms > 0 || consumer.work.jitterMs > 0;
  return lines(
    'import { createClient } from "redis";',
    "",
    tsRedisUrl(endpoint),
    pattern !== undefined ? `const pattern = ${q(pattern)}; // PSUBSCRIBE: every channel whose name matches` : `const channel = ${q(channel ?? "")};`,
    consumer.idempotent && "const processed = new Set<string>(); // ids already processed: a repeat is skipped",
    consumer.failures.crashAfter !== undefined && "let taken = 0;",
    usesSleep && tsSleep,
    "",
    tsWork(consumer),
    "",
    tsRedisUnwrap,
    "",
    "async function main(): Promise<void> {",
    tsRedisConnect("subscriber"),
    "  // Pub/Sub channels keep nothing and have no acks: a message reaches whoever listens now, once.",
    "  // Messages are worked on one after another, in the order they arrive.",
    "  let chain = Promise.resolve();",
    "  const handle = (message: string) => {",
    "    chain = chain.then(async () => {",
    `      let envelope: Record<string, unknown> = {};`,
    "      try {",
    "        envelope = JSON.parse(message) as Record<string, unknown>;",
    "      } catch {",
    "        envelope = { body: message };",
    "      }",
    `      const { body, headers } = unwrap(envelope[${q(redisWire.body)}], envelope[${q(redisWire.headers)}]);`,
    `      const id = headers[${q(codegenHeaders.id)}] ?? "?";`,
    '      const traceId = headers.traceparent?.split("-")[1];',
    consumer.idempotent && lines("      if (processed.has(id)) {", "        console.log(`${id}: a duplicate, skipped`);", "        return;", "      }"),
    consumer.failures.crashAfter !== undefined && lines(`      if (++taken >= ${consumer.failures.crashAfter}) {`, "        console.error(`crashAfter: exiting while handling ${id}`);", "        process.exit(1);", "      }"),
    "      try {",
    "        await work(JSON.parse(body) as Record<string, unknown>);",
    consumer.idempotent && "        processed.add(id);",
    `        ${tsProcessed('""')}`,
    "      } catch (error) {",
    "        console.warn(`${id}: ${error instanceof Error ? error.message : String(error)}; lost (a channel delivers once)`);",
    "      }",
    "    });",
    "  };",
    pattern !== undefined ? "  await subscriber.pSubscribe(pattern, handle);" : "  await subscriber.subscribe(channel, handle);",
    `  console.log(\`subscribed to \${${pattern !== undefined ? "pattern" : "channel"}}; press Ctrl+C to stop\`);`,
    '  await new Promise((resolve) => process.once("SIGINT", resolve));',
    "  await chain;",
    "  await subscriber.close();",
    "}",
    "",
    tsMain,
  );
}

function tsStreamConsumer(plan: ConsumerPlan, endpoint: RedisEndpoint, stream: string, group: string): string {
  const { consumer, onError } = plan;
  const manual = consumer.ack === "manual";
  const { claimIdle, deadLetter } = streamDecl(endpoint, stream);
  const failed =
    onError.then === "drop"
      ? lines(`      if (deliveries > ${onError.retries}) {`, "        await client.xAck(stream, group, entry.id);", "        console.warn(`${id}: ${reason}; dropped (acknowledged without processing)`);", "        return;", "      }")
      : false;
  return lines(
    'import { createClient } from "redis";',
    "",
    tsRedisUrl(endpoint),
    `const stream = ${q(stream)};`,
    `const group = ${q(group)};`,
    "const consumerName = `${group}-${process.pid}`; // each process is a consumer of its own name in the group",
    `const concurrency = ${consumer.concurrency}; // entries read and worked on at a time`,
    manual && `const claimIdleMs = ${claimIdle}; // an entry pending this long (a failure, a crashed consumer) is claimed again`,
    deadLetter && `const deadLetter = { stream: ${q(deadLetter.stream)}, maxDeliveries: ${deadLetter.maxDeliveries} };`,
    (manual || consumer.work.ms > 0 || consumer.work.jitterMs > 0) && tsSleep,
    "",
    tsWork(consumer),
    "",
    tsRedisUnwrap,
    "",
    "type Entry = { id: string; message: Record<string, string> };",
    "",
    "async function main(): Promise<void> {",
    tsRedisConnect("client"),
    "  // Blocking reads get a connection of their own, so acks and claims never wait behind one.",
    "  const reader = client.duplicate();",
    "  await reader.connect();",
    "  try {",
    "    // A new group starts at the stream's first entry: what was added before this program ran is read too.",
    '    await client.xGroupCreate(stream, group, "0", { MKSTREAM: true });',
    "  } catch (error) {",
    '    if (!String(error).includes("BUSYGROUP")) throw error;',
    "  }",
    "  const stop = new AbortController();",
    '  process.once("SIGINT", () => stop.abort());',
    consumer.idempotent && "  const processed = new Set<string>(); // ids already processed: a repeat is acknowledged, not processed again",
    consumer.failures.crashAfter !== undefined && "  let taken = 0;",
    "",
    "  /** How many times the group has delivered the entry (from the pending entries list). */",
    "  async function deliveriesOf(entryId: string): Promise<number> {",
    "    const [pending] = await client.xPendingRange(stream, group, entryId, entryId, 1);",
    "    return pending ? Number(pending.deliveriesCounter) : 1;",
    "  }",
    "",
    "  async function handle(entry: Entry, deliveries: number): Promise<void> {",
    `    const { body, headers } = unwrap(entry.message[${q(redisWire.body)}], entry.message[${q(redisWire.headers)}]);`,
    `    const id = headers[${q(codegenHeaders.id)}] ?? entry.id;`,
    '    const traceId = headers.traceparent?.split("-")[1];',
    deadLetter &&
      lines(
        "    if (deliveries > deadLetter.maxDeliveries) {",
        "      // Delivered too often: moved to the dead-letter stream as it is, then acknowledged.",
        '      await client.xAdd(deadLetter.stream, "*", entry.message);',
        "      await client.xAck(stream, group, entry.id);",
        "      console.warn(`${id}: dead-lettered to ${deadLetter.stream} after ${deliveries - 1} deliveries`);",
        "      return;",
        "    }",
      ),
    consumer.idempotent && lines("    if (processed.has(id)) {", "      await client.xAck(stream, group, entry.id);", "      console.log(`${id}: a duplicate, acknowledged without processing`);", "      return;", "    }"),
    consumer.failures.crashAfter !== undefined && lines(`    if (++taken >= ${consumer.failures.crashAfter}) {`, "      console.error(`crashAfter: exiting before acknowledging ${id}`);", "      process.exit(1);", "    }"),
    "    try {",
    "      await work(JSON.parse(body) as Record<string, unknown>);",
    consumer.idempotent && "      processed.add(id);",
    manual && "      await client.xAck(stream, group, entry.id); // manual: acknowledged once the work is done",
    `      ${tsProcessed('deliveries > 1 ? ` (delivery ${deliveries})` : ""')}`,
    "    } catch (error) {",
    "      const reason = error instanceof Error ? error.message : String(error);",
    manual && failed,
    manual
      ? "      console.warn(`${id}: ${reason}; left pending: claimed again after ${claimIdleMs} ms idle`);"
      : "      console.warn(`${id}: ${reason}; lost: NOACK reads acknowledged it on delivery`);",
    "    }",
    "  }",
    "",
    "  async function read(): Promise<void> {",
    "    // Own pending entries first (a restart after a crash), from id 0 on, then new ones ('>').",
    '    let cursor = "0";',
    "    while (!stop.signal.aborted) {",
    `      const reply = await reader.xReadGroup(group, consumerName, { key: stream, id: cursor }, { COUNT: concurrency${manual ? "" : ", NOACK: true"}, ...(cursor === ">" ? { BLOCK: 1_000 } : {}) });`,
    "      const entries = ((reply as { messages: Entry[] }[] | null)?.[0]?.messages ?? []);",
    '      if (cursor !== ">" && entries.length === 0) cursor = ">";',
    '      const backlog = cursor !== ">";',
    "      if (backlog && entries.length > 0) cursor = entries[entries.length - 1]!.id;",
    "      await Promise.all(entries.map(async (entry) => handle(entry, backlog ? await deliveriesOf(entry.id) : 1)));",
    "    }",
    "  }",
    manual &&
      lines(
        "",
        "  async function claim(): Promise<void> {",
        "    // Redis's redelivery path: entries idle in the pending list too long are handed to this consumer.",
        "    while (!stop.signal.aborted) {",
        "      await sleep(Math.min(claimIdleMs / 2, 2_000));",
        '      const reply = await client.xAutoClaim(stream, group, consumerName, claimIdleMs, "0-0", { COUNT: concurrency });',
        "      const entries = reply.messages.filter((entry): entry is Entry => entry !== null);",
        "      await Promise.all(entries.map(async (entry) => handle(entry, await deliveriesOf(entry.id))));",
        "    }",
        "  }",
      ),
    "",
    "  console.log(`consuming ${stream} in group ${group} as ${consumerName}; press Ctrl+C to stop`);",
    `  await Promise.all([read()${manual ? ", claim()" : ""}]);`,
    "  await Promise.all([reader.close(), client.close()]);",
    "}",
    "",
    tsMain,
  );
}
