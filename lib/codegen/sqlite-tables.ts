// The SQLite tables of generated programs with a database (an outbox producer, an idempotent
// consumer), shared by the TypeScript and Python generators so both programs read the same file.
export const sqliteTables = {
  orders: "CREATE TABLE IF NOT EXISTS orders (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL);",
  outbox: "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL, sent_at INTEGER);",
  effects: "CREATE TABLE IF NOT EXISTS effects (message_id TEXT NOT NULL, body TEXT NOT NULL);",
  processed: "CREATE TABLE IF NOT EXISTS processed_ids (message_id TEXT PRIMARY KEY);",
  /** One file per service, in the directory the program runs in. */
  file: (service: string) => `${service}.sqlite`,
};
