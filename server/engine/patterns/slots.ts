// Cumulative counters that service processes report per pattern part, summed per
// `<service>/<part>` over replicas and surviving restarts: when a process exits, its last counters
// become a base the next incarnation adds to. Gauges count live processes only; a `done` flag is
// the last one each replica reported, ANDed over replicas.

type Counters = Record<string, number | boolean>;

interface Slot {
  current: Record<string, Counters>;
  base: Record<string, Counters>;
}

export function createCounterSlots<T extends object>(gauges: readonly string[] = ["pending", "inFlight"]) {
  const slots = new Map<string, Slot>();
  const slot = (service: string, replica: number) => {
    const key = `${service}#${replica}`;
    let entry = slots.get(key);
    if (!entry) slots.set(key, (entry = { current: {}, base: {} }));
    return entry;
  };

  /** Adds numbers (gauges only when `live`); flags are ANDed. */
  function addInto(target: Counters, source: Counters, live: boolean): void {
    for (const [key, value] of Object.entries(source)) {
      if (typeof value === "boolean") target[key] = key in target ? Boolean(target[key]) && value : value;
      else if (live || !gauges.includes(key)) target[key] = Number(target[key] ?? 0) + value;
      else target[key] ??= 0;
    }
  }

  return {
    set(service: string, replica: number, parts: Record<string, T> | undefined) {
      if (parts) slot(service, replica).current = parts as Record<string, Counters>;
    },
    exited(service: string, replica: number) {
      const entry = slots.get(`${service}#${replica}`);
      if (!entry) return;
      for (const [name, counters] of Object.entries(entry.current)) {
        const base = (entry.base[name] ??= {});
        for (const [key, value] of Object.entries(counters)) {
          if (typeof value === "boolean") base[key] = value;
          else base[key] = Number(base[key] ?? 0) + (gauges.includes(key) ? 0 : value);
        }
      }
      entry.current = {};
    },
    /** Sums per `<service>/<part>`. */
    sum(): Record<string, T> {
      const out: Record<string, Counters> = {};
      for (const [key, entry] of slots) {
        const service = key.slice(0, key.lastIndexOf("#"));
        for (const name of new Set([...Object.keys(entry.base), ...Object.keys(entry.current)])) {
          const base = entry.base[name] ?? {};
          const current = entry.current[name];
          // This replica's flags: the live process's, else the last it reported.
          const flags = Object.fromEntries(Object.entries(current ?? base).filter(([, v]) => typeof v === "boolean"));
          const numbers = (source: Counters) => Object.fromEntries(Object.entries(source).filter(([, v]) => typeof v === "number"));
          const target = (out[`${service}/${name}`] ??= {});
          addInto(target, numbers(base), false);
          if (current) addInto(target, numbers(current), true);
          addInto(target, flags, true);
        }
      }
      return out as Record<string, T>;
    },
  };
}
