// Opens a SQLite database file with better-sqlite3 (synchronous: a committed transaction is on disk
// when the call returns). Service databases live in their run's directory; the run store will too.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export type SqliteDatabase = Database.Database;

/**
 * WAL with synchronous FULL: a commit survives a crash of the process (and of the machine), which
 * is the promise the outbox lessons rest on. A busy timeout lets two processes share a file.
 */
export function openSqlite(file: string): SqliteDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  return db;
}
