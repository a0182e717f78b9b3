// A bounded set of recently seen message ids (least recently used out first), for idempotent
// consumers and for counting duplicates without growing forever.

export interface IdMemory {
  has(id: string): boolean;
  add(id: string): void;
}

export function createIdMemory(capacity = 100_000): IdMemory {
  const ids = new Map<string, true>();
  return {
    has(id) {
      if (!ids.has(id)) return false;
      ids.delete(id);
      ids.set(id, true);
      return true;
    },
    add(id) {
      ids.delete(id);
      ids.set(id, true);
      if (ids.size > capacity) ids.delete(ids.keys().next().value!);
    },
  };
}
