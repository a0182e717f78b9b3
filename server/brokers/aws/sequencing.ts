// Two small waits the AWS sender and subscriber share: a signal that wakes everyone waiting for a
// change (a free slot, a settled send), and chains that run the work of one key (a FIFO message
// group) one after another, in call order, while different keys run side by side.

export function createChangeSignal() {
  let waiting: (() => void)[] = [];
  return {
    /** Wakes every waiter. */
    signal(): void {
      const woken = waiting;
      waiting = [];
      for (const resolve of woken) resolve();
    },
    /** Resolves at the next signal. */
    changed: (): Promise<void> => new Promise<void>((resolve) => waiting.push(resolve)),
  };
}

export function createKeyedChains() {
  const tails = new Map<string, Promise<unknown>>();
  return function inOrder<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (tails.get(key) ?? Promise.resolve()).then(work);
    tails.set(key, next);
    // The map forgets a key once its last queued work is done.
    void next.then(() => { if (tails.get(key) === next) tails.delete(key); }, () => {});
    return next;
  };
}
