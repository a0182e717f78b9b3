// A consumer's effects in its service's SQLite database (lesson 30): one row per processed message,
// and for an idempotent consumer a processed-ids table written in the same transaction, so an
// effect is applied once however often its message arrives, and a restart does not forget it.
import type { SqliteDatabase } from "../sqlite/open";

export function createEffectStore(db: SqliteDatabase, consumer: string, idempotent: boolean) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS effects (consumer TEXT NOT NULL, message_id TEXT NOT NULL, body BLOB NOT NULL, applied_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS processed_ids (consumer TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (consumer, message_id));
  `);
  const insertEffect = db.prepare("INSERT INTO effects (consumer, message_id, body, applied_at) VALUES (?, ?, ?, ?)");
  const insertProcessed = db.prepare("INSERT OR IGNORE INTO processed_ids (consumer, message_id) VALUES (?, ?)");
  const selectProcessed = db.prepare("SELECT 1 FROM processed_ids WHERE consumer = ? AND message_id = ?").pluck();
  const countEffects = db.prepare("SELECT count(*) FROM effects WHERE consumer = ?").pluck();
  const apply = db.transaction((id: string, body: Buffer): boolean => {
    // The id and the effect commit together: a crash cannot leave one without the other.
    if (idempotent && insertProcessed.run(consumer, id).changes === 0) return false;
    insertEffect.run(consumer, id, body, Date.now());
    return true;
  });

  return {
    /** Whether an idempotent consumer has applied this message's effect already. */
    processed: (id: string) => idempotent && selectProcessed.get(consumer, id) !== undefined,
    /** Applies the effect; false when an idempotent consumer had applied it before (nothing written). */
    apply: (id: string, body: Buffer): boolean => apply(id, body),
    effectsApplied: () => countEffects.get(consumer) as number,
  };
}

export type EffectStore = ReturnType<typeof createEffectStore>;
