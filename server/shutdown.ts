// Graceful shutdown: on SIGTERM or SIGINT, run the steps in the order given (the reverse of
// start-up), each awaited, all within a deadline; a second signal or the deadline exits at once.

export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOptions {
  timeoutMs?: number;
  log?: (message: string) => void;
  exit?: (code: number) => void;
}

export async function runShutdown(steps: ShutdownStep[], log: (message: string) => void): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    try {
      await step.run();
    } catch (error) {
      clean = false;
      log(`shutdown: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return clean;
}

export function shutdownOnSignals(steps: ShutdownStep[], options: ShutdownOptions = {}): void {
  const { timeoutMs = 10_000, log = (message) => console.log(message), exit = (code) => process.exit(code) } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now.`);
      return exit(1);
    }
    stopping = true;
    log(`${signal}: shutting down (${steps.map((step) => step.name).join(" → ")})…`);
    const deadline = setTimeout(() => {
      log(`shutdown took longer than ${timeoutMs} ms; exiting.`);
      exit(1);
    }, timeoutMs);
    deadline.unref();
    void runShutdown(steps, log).then((clean) => {
      clearTimeout(deadline);
      log(clean ? "stopped." : "stopped, with errors (see above).");
      exit(clean ? 0 : 1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
