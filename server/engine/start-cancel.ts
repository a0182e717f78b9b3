// Lets run:stop cancel a run that is still starting: the steps not yet begun are skipped, the wait
// for service processes ends at once, and the run tears down what it had created.

export class StartCancelled extends Error {
  constructor(readonly reason: string) {
    super(`The run was stopped while it was starting (${reason}); what it had created is torn down.`);
    this.name = "StartCancelled";
  }
}

export function createStartCancel() {
  let cancelled: StartCancelled | undefined;
  let reject: (error: StartCancelled) => void = () => {};
  const whenCancelled = new Promise<never>((_, fail) => (reject = fail));
  // Nobody may be racing it when stop is called; the rejection is read through check() instead.
  whenCancelled.catch(() => {});
  return {
    /** Why the start was cancelled; undefined while it was not. */
    reason: () => cancelled?.reason,
    /** Idempotent: the first reason wins. */
    cancel(reason: string): void {
      if (cancelled) return;
      cancelled = new StartCancelled(reason);
      reject(cancelled);
    },
    /** Throws once cancelled: called between start steps. */
    check(): void {
      if (cancelled) throw cancelled;
    },
    /** A long wait (processes becoming ready) that a cancel ends at once. */
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, whenCancelled]),
  };
}
