// The amqplib program for a producer with a database (better-sqlite3): each order is committed
// first; then either published at once (publish-after-commit) or, with a transactional outbox,
// committed with its event and published by a polling relay that marks rows sent after the confirms.
import { tsQuote, tsTemplateText } from "./escape";
import type { Endpoint, ProducerPlan } from "./plan";
import { indent, lines } from "./source";
import { tsRabbitConnect, tsRabbitPublish, tsRabbitUrl } from "./typescript-clients";
import { tsProducerLoop, tsRender } from "./typescript-rabbitmq";
import { sqliteTables as sqlite } from "./sqlite-tables";
import { tsHelpers, tsMain, tsSleep, tsUsesUuid } from "./typescript-syntax";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
const q = tsQuote;

export function tsRabbitDatabaseProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as RabbitEndpoint;
  const database = plan.producer.database;
  if (plan.route.kind !== "rabbitmq" || !database) return "";
  const outbox = database.mode === "outbox";
  const { producer } = plan;
  const loop = tsProducerLoop(plan);
  const exprs = [plan.payload, plan.route.routingKey, ...plan.headers.map(([, value]) => value)];
  const publish = tsRabbitPublish(plan.route, { body: "Buffer.from(body)", id: "id", source: "payload", headers: plan.headers, persistent: producer.persistent, mandatory: producer.mandatory });
  return lines(
    'import { connect } from "amqplib";',
    'import Database from "better-sqlite3";',
    tsUsesUuid(exprs) && 'import { randomUUID } from "node:crypto";',
    "",
    tsRabbitUrl(endpoint),
    ...loop.constants,
    outbox && `const relayEveryMs = ${database.relayEvery}; // how often the relay looks for unsent events`,
    outbox && `const relayBatch = ${database.relayBatch}; // and how many it publishes per look`,
    tsSleep,
    tsHelpers(exprs),
    "",
    tsRender(plan),
    "",
    `// ${plan.service}'s database: its orders${outbox ? ", and in the outbox the events it still owes the others" : ""}.`,
    `const db = new Database(process.env.DATABASE_FILE ?? ${q(sqlite.file(plan.service))}); // DATABASE_FILE: where the file goes`,
    'db.pragma("journal_mode = WAL");',
    'db.pragma("synchronous = FULL"); // a committed order survives a crash',
    `db.exec(${q(sqlite.orders)});`,
    outbox && `db.exec(${q(sqlite.outbox)});`,
    'const insertOrder = db.prepare("INSERT INTO orders (seq, id, body) VALUES (?, ?, ?)");',
    outbox &&
      lines(
        'const insertEvent = db.prepare("INSERT INTO outbox (seq, id, body) VALUES (?, ?, ?)");',
        "// The order and its event in one transaction: both are committed, or neither is.",
        "const placeOrder = db.transaction((seq: number, id: string, body: string) => {",
        "  insertOrder.run(seq, id, body);",
        "  insertEvent.run(seq, id, body);",
        "});",
        'const selectUnsent = db.prepare("SELECT seq, id, body FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?");',
        'const markSent = db.prepare("UPDATE outbox SET sent_at = ? WHERE seq = ?");',
      ),
    "// A restarted program carries on after the orders its database already holds.",
    'const ordersWritten = db.prepare("SELECT count(*) FROM orders").pluck().get() as number;',
    "",
    "async function main(): Promise<void> {",
    indent(tsRabbitConnect(endpoint, true), 1),
    "  const stop = new AbortController();",
    '  process.once("SIGINT", () => stop.abort());',
    "  const publish = (id: string, body: string, payload: ReturnType<typeof render>) =>",
    `    ${indent(publish, 2).trimStart().replace(/;$/, "")};`,
    outbox &&
      lines(
        "  let placing = true;",
        "  // The relay publishes unsent rows in order, waits for RabbitMQ's confirms, then marks them sent.",
        "  // A crash between the confirms and the mark sends those rows again: at least once.",
        "  async function relay(): Promise<void> {",
        "    for (;;) {",
        "      const rows = selectUnsent.all(relayBatch) as { seq: number; id: string; body: string }[];",
        "      for (const row of rows) publish(row.id, row.body, JSON.parse(row.body) as ReturnType<typeof render>);",
        "      if (rows.length > 0) {",
        "        await channel.waitForConfirms();",
        "        for (const row of rows) markSent.run(Date.now(), row.seq);",
        "        console.log(`relay: ${rows.length} event(s) published and marked sent, up to ${rows[rows.length - 1]!.id}`);",
        "      } else if (!placing) return;",
        "      if (rows.length < relayBatch) await sleep(relayEveryMs);",
        "    }",
        "  }",
        "  const relayed = relay();",
      ),
    "  const firstSeq = ordersWritten + 1;",
    "  const startedAt = Date.now();",
    "  let placed = 0;",
    `  for (let seq = firstSeq; ${loop.condition}; seq++) {`,
    "    const payload = render(seq);",
    `    const id = \`${tsTemplateText(`${plan.service}/${plan.name}/`)}\${seq}\`;`,
    "    const body = JSON.stringify(payload);",
    outbox
      ? "    placeOrder(seq, id, body); // the relay publishes its event"
      : lines(
          "    insertOrder.run(seq, id, body); // committed: the order exists",
          "    // A crash here loses this order's event: nothing records that it was never published.",
          "    publish(id, body, payload);",
          "    await channel.waitForConfirms();",
        ),
    "    placed += 1;",
    loop.pace && "    await sleep(startedAt + ((seq - firstSeq + 1) * 1000) / perSecond - Date.now()); // keep the scenario's rate",
    "  }",
    outbox && lines("  placing = false;", "  await relayed; // the events still owed go out before the program ends"),
    `  console.log(\`placed \${placed} orders${outbox ? ", every event published from the outbox" : ", each event published after its commit"}\`);`,
    "  await connection.close();",
    "}",
    "",
    tsMain,
  );
}
