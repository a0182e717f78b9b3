// The pika program for a producer with a database (Python's sqlite3): each order is committed first;
// then either published at once (publish-after-commit) or, with a transactional outbox, committed
// with its event and published by a relay that marks each row sent once RabbitMQ confirmed it.
import { pyQuote } from "./escape";
import type { Endpoint, ProducerPlan } from "./plan";
import { lines } from "./source";
import { pyRabbitConnect, pyRabbitPublish, pyRabbitUrl } from "./python-clients";
import { pyProducerLoop, pyRender } from "./python-rabbitmq";
import { py, pyImports, pyMain } from "./python-syntax";
import { sqliteTables as sqlite } from "./sqlite-tables";

type RabbitEndpoint = Extract<Endpoint, { kind: "rabbitmq" }>;
const q = pyQuote;

export function pyRabbitDatabaseProducerProgram(plan: ProducerPlan): string {
  const endpoint = plan.endpoint as RabbitEndpoint;
  const database = plan.producer.database;
  if (plan.route.kind !== "rabbitmq" || !database) return "";
  const outbox = database.mode === "outbox";
  const { producer } = plan;
  const loop = pyProducerLoop(plan);
  const exprs = [plan.payload, plan.route.routingKey, ...plan.headers.map(([, value]) => value)];
  const publish = pyRabbitPublish(plan.route, { body: "body", id: "message_id", source: "payload", headers: plan.headers, persistent: producer.persistent, mandatory: producer.mandatory });
  return lines(
    pyImports(exprs, ["import pika"]),
    "import sqlite3",
    "",
    pyRabbitUrl(endpoint),
    ...loop.constants,
    outbox && `RELAY_EVERY = ${database.relayEvery / 1000}  # seconds between the relay's looks for unsent events`,
    outbox && `RELAY_BATCH = ${database.relayBatch}`,
    "",
    `# ${plan.service}'s database: its orders${outbox ? ", and in the outbox the events it still owes the others" : ""}.`,
    `db = sqlite3.connect(os.environ.get("DATABASE_FILE", ${q(sqlite.file(plan.service))}))  # DATABASE_FILE: where the file goes`,
    'db.execute("PRAGMA journal_mode = WAL")',
    'db.execute("PRAGMA synchronous = FULL")  # a committed order survives a crash',
    `db.execute(${q(sqlite.orders)})`,
    outbox && `db.execute(${q(sqlite.outbox)})`,
    "",
    "",
    pyRender(plan),
    "",
    "",
    "def main():",
    py(pyRabbitConnect(endpoint, true), 1),
    outbox &&
      lines(
        "",
        "    def relay():",
        '        """Publishes unsent outbox rows in order and marks each sent once RabbitMQ confirmed it.',
        '        A crash between the confirm and the mark sends that row again: at least once."""',
        '        rows = db.execute("SELECT seq, id, body FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?", (RELAY_BATCH,)).fetchall()',
        "        for seq, message_id, body in rows:",
        "            payload = json.loads(body)",
        py(publish, 3),
        "            with db:",
        '                db.execute("UPDATE outbox SET sent_at = ? WHERE seq = ?", (time.time(), seq))',
        "        if rows:",
        '            print(f"relay: {len(rows)} event(s) published and marked sent, up to {rows[-1][1]}")',
        "        return len(rows)",
        "",
      ),
    "    # A restarted program carries on after the orders its database already holds.",
    '    first_seq = db.execute("SELECT count(*) FROM orders").fetchone()[0] + 1',
    "    started = time.monotonic()",
    outbox && "    relayed_at = started",
    "    placed = 0",
    "    seq = first_seq",
    "    try:",
    `        while ${loop.condition}:`,
    "            payload = render(seq)",
    `            message_id = ${q(`${plan.service}/${plan.name}/`)} + str(seq)`,
    "            body = json.dumps(payload)",
    outbox
      ? lines(
          "            with db:  # the order and its event in one transaction: both are committed, or neither is",
          '                db.execute("INSERT INTO orders (seq, id, body) VALUES (?, ?, ?)", (seq, message_id, body))',
          '                db.execute("INSERT INTO outbox (seq, id, body) VALUES (?, ?, ?)", (seq, message_id, body))',
          "            if time.monotonic() - relayed_at >= RELAY_EVERY:",
          "                relay()",
          "                relayed_at = time.monotonic()",
        )
      : lines(
          "            with db:  # committed: the order exists",
          '                db.execute("INSERT INTO orders (seq, id, body) VALUES (?, ?, ?)", (seq, message_id, body))',
          "            # A crash here loses this order's event: nothing records that it was never published.",
          py(publish, 3),
        ),
    "            placed += 1",
    loop.pace && "            time.sleep(max(0.0, started + (seq - first_seq + 1) / PER_SECOND - time.monotonic()))  # keep the scenario's rate",
    "            seq += 1",
    "    except KeyboardInterrupt:",
    "        pass",
    outbox && lines("    while relay() > 0:  # the events still owed go out before the program ends", "        pass"),
    "    connection.close()",
    `    print(f"placed {placed} orders${outbox ? ", every event published from the outbox" : ", each event published after its commit"}")`,
    "",
    "",
    pyMain,
  );
}
