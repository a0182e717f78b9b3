// A bounded set of recently seen message ids (oldest out first), for idempotent consumers and for
// counting duplicates without growing forever. A ring of ids beside a Set: every operation is O(1),
// also once the memory is full (a Map evicting its first key slows down as deleted entries pile up).

export interface IdMemory {
  has(id: string): boolean;
  /** Remembers `id`; when the memory is full the oldest id is forgotten. */
  add(id: string): void;
  readonly size: number;
}

export function createIdMemory(capacity = 100_000): IdMemory {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  const ids = new Set<string>();
  const ring: (string | undefined)[] = new Array<string | undefined>(capacity);
  let head = 0;
  return {
    has: (id) => ids.has(id),
    add(id) {
      if (ids.has(id)) return;
      const oldest = ring[head];
      if (oldest !== undefined) ids.delete(oldest);
      ring[head] = id;
      head = (head + 1) % capacity;
      ids.add(id);
    },
    get size() {
      return ids.size;
    },
  };
}
