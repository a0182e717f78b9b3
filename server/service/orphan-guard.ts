// Keeps a service process from outliving the engine that forked it. A process whose engine was
// SIGKILLed once spun at 100% CPU: its stderr pipe was gone, the failed write raised an error, the
// error handler wrote to stderr again, and so on. So output errors are swallowed (and later writes
// dropped), and the process leaves, within a bounded grace, when its engine goes away.

let outputClosed = false;

/** Installs listeners on stdout/stderr so that a closed pipe (EPIPE) never becomes an exception. */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {
      outputClosed = true;
    });
  }
}

/** One line to stderr, for the engine's per-replica log; dropped once the pipe is known closed. */
export function diagnostic(line: string): void {
  if (outputClosed) return;
  try {
    process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
  } catch {
    outputClosed = true;
  }
}

export interface ParentWatchOptions {
  /** How long the graceful stop may take before the process exits anyway (broker clients can hang on a dead link proxy). */
  graceMs?: number;
  /** How often the parent pid is checked, for when there is no IPC channel to close. */
  pollMs?: number;
  /** Exits the process; replaced in tests. */
  exit?: (code: number) => void;
}

/**
 * Calls `onGone` once, when the IPC channel to the engine closes or the parent pid changes
 * (re-parented to init or a subreaper); exits with code 1 if the process is still there `graceMs` later.
 */
export function watchParent(onGone: (why: string) => void, { graceMs = 3_000, pollMs = 1_000, exit = (code) => process.exit(code) }: ParentWatchOptions = {}): () => void {
  const parent = process.ppid;
  let gone = false;
  const leave = (why: string) => {
    if (gone) return;
    gone = true;
    clearInterval(poll);
    diagnostic(`engine gone (${why}); stopping within ${graceMs} ms`);
    // Not unref'd: the deadline must hold even if the graceful stop leaves nothing else to run.
    setTimeout(() => exit(1), graceMs);
    onGone(why);
  };
  const onDisconnect = () => leave("IPC channel closed");
  process.once("disconnect", onDisconnect);
  const poll = setInterval(() => {
    if (process.ppid !== parent) leave(`parent pid changed from ${parent} to ${process.ppid}`);
  }, pollMs);
  poll.unref();
  return () => {
    clearInterval(poll);
    process.off("disconnect", onDisconnect);
  };
}
