// FIFO order for the AWS sender and subscriber: chains that run the work of one key (a message
// group) one after another, in call order, while different keys run side by side.

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
