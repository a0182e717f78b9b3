// Reads the launch spec the engine passes in BROKERLAB_LAUNCH, checked with zod at the edge.
import { z } from "zod";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { serviceSchema } from "../../lib/scenario/schema";
import { resolvedSchemas } from "../../lib/brokers";

const resolvedBrokerSchema = z.discriminatedUnion("kind", resolvedSchemas);

const launchSchema = z.object({
  runId: z.string().min(1),
  scenarioName: z.string().min(1),
  service: serviceSchema,
  replica: z.number().int().min(0),
  replicas: z.number().int().min(1),
  brokers: z.record(z.string(), resolvedBrokerSchema),
  resources: z.record(z.string(), z.any()),
  propagation: z.enum(["parent", "link"]),
  tracing: z.object({ enabled: z.boolean(), otlpEndpoint: z.string(), maxPerSecond: z.number().int().min(0).optional() }),
  frameIntervalMs: z.number().int().min(10).max(10_000),
  logSampleEvery: z.number().int().min(1),
  ledgerWriteAhead: z.boolean().optional(),
  resume: z.record(z.string(), z.number().int().min(0)).optional(),
  awaitGo: z.boolean().optional(),
  patterns: z.object({ webhookSecret: z.string() }).optional(),
  dataDir: z.string().min(1).optional(),
});

// zod drops what the schema does not name: a field added to ServiceLaunch and not here never
// reached the service (the start barrier's awaitGo was lost that way). The two key sets must match.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const launchKeysMatch: SameKeys<z.infer<typeof launchSchema>, ServiceLaunch> = true;
void launchKeysMatch;

export function parseLaunch(text: string | undefined): ServiceLaunch {
  if (!text) throw new Error("BROKERLAB_LAUNCH is not set; a service process is started by the engine");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("BROKERLAB_LAUNCH is not valid JSON");
  }
  const parsed = launchSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`BROKERLAB_LAUNCH is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data as ServiceLaunch;
}
