// How far each producer of each replica got, read from the ids the broker confirmed: a replica
// that is killed or restarted resumes after its last confirmed message instead of starting its
// sequence again (which would publish the same ids twice and look like duplicates).

/** Ids are `<service>/<producer>/<seq>`; forwards and fault messages have other last parts and are skipped. */
const idPattern = /^(.+)\/([^/]+)\/(\d+)$/;

export function createProducerProgress(replicasOf: (service: string) => number) {
  /** `service/producer#replica` → highest confirmed seq. */
  const highest = new Map<string, number>();

  return {
    confirmed(ids: readonly string[]): void {
      for (const id of ids) {
        const match = idPattern.exec(id);
        if (!match) continue;
        const [, service, producer, text] = match;
        const seq = Number(text);
        const replicas = replicasOf(service!);
        if (replicas < 1) continue;
        const key = `${service}/${producer}#${(seq - 1) % replicas}`;
        if (seq > (highest.get(key) ?? 0)) highest.set(key, seq);
      }
    },
    /** Per producer, how many messages replica `replica` of `service` already sent (its next index). */
    resume(service: string, replica: number, producers: readonly string[]): Record<string, number> {
      const replicas = replicasOf(service);
      const out: Record<string, number> = {};
      for (const producer of producers) {
        const seq = highest.get(`${service}/${producer}#${replica}`);
        if (seq !== undefined) out[producer] = Math.floor((seq - (replica + 1)) / replicas) + 1;
      }
      return out;
    },
  };
}
