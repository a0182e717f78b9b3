// Helpers for the fault tests: a ledger line each test prints (docs/reliability.md quotes them),
// the guards for tests that stop a broker, and the stack command that brings it back.
import { spawn } from "node:child_process";
import path from "node:path";
import type { RunReport } from "../../../lib/run/model";
import { repoRoot } from "../../support/engine";
import { stackMode } from "../../../stack/docker";
import { pidFile } from "../../../stack/paths";
import { readLivePid } from "../../../stack/process";
import { localService } from "../../../stack/services";
import type { ServiceId } from "../../../lib/stack";

/** The stack services a test may stop: every broker's (moto's server for the Amazon broker), from the stack's one list. */
type Stoppable = Exclude<ServiceId, "jaeger">;

/** One line per test: the ledger and the counters that explain it. */
export function printLedger(label: string, report: RunReport, extra: Record<string, unknown> = {}): void {
  const sum = (pick: (c: RunReport["consumers"][string]) => number) => Object.values(report.consumers).reduce((n, c) => n + pick(c), 0);
  const published = Object.values(report.producers).reduce((n, p) => n + p.published, 0);
  console.log(`LEDGER ${label}: ${JSON.stringify({
    published,
    ...report.ledger,
    received: sum((c) => c.received),
    redelivered: sum((c) => c.redelivered),
    duplicates: sum((c) => c.duplicates),
    deadLettered: sum((c) => c.deadLettered),
    failedSends: Object.values(report.producers).reduce((n, p) => n + p.failed, 0),
    p50Ms: report.latencyMs.p50,
    ...extra,
  })}`);
}

/**
 * Tests that stop a broker run in CI (one stack, nothing else on it) or against a private stack
 * (BROKERLAB_STACK_DIR with its own ports); never by surprise on a stack other people use.
 */
export const brokerStopSkip = process.env.CI || process.env.BROKERLAB_STACK_DIR
  ? false
  : "stops and starts a broker: runs in CI (CI=1) or against a private stack (BROKERLAB_STACK_DIR=.stack-faults and other ports, see docs/reliability.md)";

/**
 * Why this checkout cannot stop `kind`, or undefined when it can: `stack:down` (rightly) stops only
 * a broker this checkout's stack started, or Docker's. A test that stops a broker skips with this
 * reason rather than fail on a reconnect that never came.
 */
export async function cannotStopBroker(kind: Stoppable): Promise<string | undefined> {
  const service = await localService(kind);
  if (readLivePid(pidFile(kind), service.marker) !== undefined) return undefined;
  if ((await stackMode()) === "docker") return undefined;
  return `cannot stop ${kind}: this checkout's stack did not start it (another checkout, Docker or a manual start runs it), so stack:down leaves it alone; start the stack from this checkout (npm run stack:up) to run this test`;
}

/** `npm run stack:up -- <kind>` for the configured stack: returns once the broker answers its health check. */
export function stackUp(kind: Stoppable): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "stack", "cli.ts"), "up", kind], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`stack up ${kind} exited ${code}:\n${output}`))));
  });
}

/** Span events (Jaeger "logs") by span kind and service, from the query API. */
export async function spanEvents(traceId: string): Promise<{ service: string; kind: string; events: Record<string, unknown>[] }[] | undefined> {
  const base = (process.env.JAEGER_QUERY_URL ?? "http://127.0.0.1:16686").replace(/\/+$/, "");
  const response = await fetch(`${base}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return undefined;
  type Field = { key: string; value: unknown };
  const body = (await response.json()) as { data?: { spans: { processID: string; tags: Field[]; logs?: { fields: Field[] }[] }[]; processes: Record<string, { serviceName: string }> }[] };
  const trace = body.data?.[0];
  if (!trace) return undefined;
  return trace.spans.map((span) => ({
    service: trace.processes[span.processID]?.serviceName ?? "?",
    kind: String(span.tags.find((t) => t.key === "span.kind")?.value ?? ""),
    events: (span.logs ?? []).map((log) => Object.fromEntries(log.fields.map((f) => [f.key, f.value]))),
  }));
}
