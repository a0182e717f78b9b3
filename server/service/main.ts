// Entry point of a service process, forked by the engine with BROKERLAB_LAUNCH. OpenTelemetry
// starts first; the broker clients are loaded only afterwards, so the instrumentations patch them.
import { createFaultNotices } from "./fault-notices";
import { parseLaunch } from "./launch";
import { diagnostic, guardOutput } from "./orphan-guard";
import { startServiceTelemetry } from "./telemetry";

async function main(): Promise<void> {
  guardOutput();
  let launch;
  try {
    launch = parseLaunch(process.env.BROKERLAB_LAUNCH);
  } catch (error) {
    diagnostic(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const notices = createFaultNotices();
  const telemetry = startServiceTelemetry(launch, notices);
  const { runService } = await import("./runtime");
  await runService(launch, telemetry, notices);
}

void main().catch((error: unknown) => {
  diagnostic(`service process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
