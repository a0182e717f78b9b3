// The orders of a producer with a database (lesson 30): the order rows, the outbox of events still
// to publish, and the crash points that already fired (each fires once, not in every life).
import type { SqliteDatabase } from "../sqlite/open";

/** An event as the outbox keeps it: everything the relay needs to publish it again after a crash. */
export interface OutboxRow {
  id: string;
  seq: number;
  destination: string;
  body: Buffer;
  headers: string;
}

export type CrashPoint = "before-publish" | "before-mark-sent";

export function createOrderStore(db: SqliteDatabase, producer: string) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS orders (producer TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (producer, seq));
    CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, producer TEXT NOT NULL, seq INTEGER NOT NULL, destination TEXT NOT NULL, body BLOB NOT NULL, headers TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER);
    CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (producer, seq) WHERE sent_at IS NULL;
    CREATE TABLE IF NOT EXISTS crash_points (producer TEXT NOT NULL, point TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (producer, point, seq));
  `);
  const insertOrder = db.prepare("INSERT INTO orders (producer, seq, id, body, created_at) VALUES (?, ?, ?, ?, ?)");
  const insertOutbox = db.prepare("INSERT INTO outbox (id, producer, seq, destination, body, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const countOrders = db.prepare("SELECT count(*) AS n FROM orders WHERE producer = ?").pluck();
  const selectUnsent = db.prepare("SELECT id, seq, destination, body, headers FROM outbox WHERE producer = ? AND sent_at IS NULL ORDER BY seq LIMIT ?");
  const countUnsent = db.prepare("SELECT count(*) AS n FROM outbox WHERE producer = ? AND sent_at IS NULL").pluck();
  const updateSent = db.prepare("UPDATE outbox SET sent_at = ? WHERE id = ?");
  const insertCrash = db.prepare("INSERT OR IGNORE INTO crash_points (producer, point, seq) VALUES (?, ?, ?)");
  const writeWithOutbox = db.transaction((order: { seq: number; id: string; body: Buffer }, row: OutboxRow) => {
    const now = Date.now();
    insertOrder.run(producer, order.seq, order.id, order.body, now);
    insertOutbox.run(row.id, producer, row.seq, row.destination, row.body, row.headers, now);
  });

  return {
    /** Orders this producer has committed, in every life of the process. */
    ordersWritten: () => countOrders.get(producer) as number,
    writeOrder(seq: number, id: string, body: Buffer): void {
      insertOrder.run(producer, seq, id, body, Date.now());
    },
    /** The order and its event in one transaction: both are committed, or neither. */
    writeOrderWithEvent(seq: number, id: string, body: Buffer, row: OutboxRow): void {
      writeWithOutbox({ seq, id, body }, row);
    },
    unsent: (limit: number) => selectUnsent.all(producer, limit) as OutboxRow[],
    unsentCount: () => countUnsent.get(producer) as number,
    markSent(id: string): void {
      updateSent.run(Date.now(), id);
    },
    /** True the first time this point is reached for this order (recorded before the crash). */
    firstCrashAt(point: CrashPoint, seq: number): boolean {
      return insertCrash.run(producer, point, seq).changes === 1;
    },
  };
}

export type OrderStore = ReturnType<typeof createOrderStore>;
