// The closed set of step checks: declarative predicates over a run, the brokers' own view and the
// traces in Jaeger. Plain data validated by zod; evaluate.ts decides them, needs.ts says what to read.
import { z } from "zod";
import { conventionRuleIds } from "../trace/grade-trace";
import { metricPathSchema } from "./metric-path";
import { patchPathSchema } from "./patch";

export const comparisonSchema = z.enum([">=", ">", "==", "!=", "<=", "<"]);
export type Comparison = z.infer<typeof comparisonSchema>;

const regexSchema = z.string().min(1).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, "must be a valid regular expression");

/** How many of several matches must hold: all of them, at least one, or at least n. */
export const needSchema = z.union([z.literal("all"), z.literal("any"), z.number().int().min(1)]);
export type Need = z.infer<typeof needSchema>;

const checkIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a lowercase slug");
const consumerKeySchema = z.string().regex(/^[A-Za-z][\w-]*\/[A-Za-z][\w-]*$/, "must be <service>/<consumer>");

const common = {
  id: checkIdSchema.optional(),
  /** The goal in the learner's words ("inventory-service acknowledges every order"). */
  label: z.string().min(1).max(200).optional(),
  /** Once true during a run, it stays true for that run (for moments: a kill, a queue that filled up). */
  sticky: z.boolean().optional(),
};
const leaf = <K extends string, T extends z.ZodRawShape>(kind: K, shape: T) => z.strictObject({ kind: z.literal(kind), ...common, ...shape });

const runStatusEnum = z.enum(["starting", "running", "stopping", "finished", "failed"]);
const replicaStateEnum = z.enum(["starting", "running", "exited", "crashed", "killed", "paused", "stopped"]);
const spanKindEnum = z.enum(["producer", "consumer", "client", "server", "internal"]);
const connectionStateEnum = z.enum(["starting", "connected", "reconnecting", "crashed", "stopping", "stopped"]);

export const leafCheckSchemas = [
  leaf("runStatus", { is: z.array(runStatusEnum).min(1) }),
  leaf("runMetric", { path: metricPathSchema, op: comparisonSchema, value: z.number(), need: needSchema.optional() }),
  leaf("ledger", { field: z.enum(["confirmed", "consumed", "lost", "duplicated", "recovered"]), op: comparisonSchema, value: z.number() }),
  leaf("replicaMetric", { consumer: consumerKeySchema, field: z.enum(["received", "acked"]), op: comparisonSchema, value: z.number(), need: needSchema.optional() }),
  leaf("replicaState", { service: z.string().min(1), state: replicaStateEnum.optional(), minRestarts: z.number().int().min(1).optional(), atLeast: z.number().int().min(1).optional() }).refine(
    (check) => check.state !== undefined || check.minRestarts !== undefined,
    "a replicaState check names a state, minRestarts, or both",
  ),
  leaf("connectionState", { service: z.string().min(1), broker: z.string().min(1), state: connectionStateEnum, atLeast: z.number().int().min(1).optional() }),
  leaf("queueDepth", { queue: z.string().min(1), field: z.enum(["messages", "ready", "unacked"]).optional(), op: comparisonSchema, value: z.number() }),
  leaf("queueConsumers", { queue: z.string().min(1), op: comparisonSchema, value: z.number() }),
  leaf("consumerGroupLag", { group: z.string().min(1), topic: z.string().min(1).optional(), op: comparisonSchema, value: z.number() }),
  leaf("consumerGroupOffsets", { group: z.string().min(1), topic: z.string().min(1), committedAtLeast: z.number().int().min(1).optional(), partitions: z.union([z.literal("all"), z.number().int().min(1)]).optional() }),
  leaf("xDeath", { queue: z.string().min(1), reason: z.enum(["rejected", "expired", "maxlen", "delivery_limit"]).optional(), fromQueue: z.string().min(1).optional(), atLeast: z.number().int().min(1).optional() }),
  leaf("traceHasSpan", {
    service: z.string().min(1),
    spanKind: spanKindEnum.optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    atLeast: z.number().int().min(1).optional(),
    /** The trace of a matching span also holds spans of these kinds (a request that was published)… */
    traceAlso: z.array(spanKindEnum).min(1).optional(),
    /** …and none of these (no reply consumed; nothing sent at all). */
    traceLacks: z.array(spanKindEnum).min(1).optional(),
  }),
  leaf("traceCrosses", { services: z.array(z.string().min(1)).min(2) }),
  /** Spans of a service that link to a span of another trace (link propagation) instead of continuing it as its child. */
  leaf("traceLinked", { service: z.string().min(1), spanKind: spanKindEnum.optional(), atLeast: z.number().int().min(1).optional() }),
  /** The run's traces holding spans of a service grade clean against the messaging conventions (all rules, or `rules`), with one propagation if given. */
  leaf("traceConforms", { service: z.string().min(1), propagation: z.enum(["parent", "link"]).optional(), rules: z.array(z.enum(conventionRuleIds)).min(1).optional(), atLeast: z.number().int().min(1).optional() }),
  leaf("deliveryOrder", { consumer: consumerKeySchema, event: z.enum(["delivered", "processed"]).optional(), per: z.enum(["producer", "key"]).optional(), expect: z.enum(["ordered", "reordered"]), minMessages: z.number().int().min(2).optional() }),
  leaf("partitionByKey", { consumer: consumerKeySchema, minKeys: z.number().int().min(1).optional() }),
  /** A consumer that stopped (no acks for gapSeconds: a broker outage, a pause) and then worked again: atLeast acks after the gap. */
  leaf("resumedAfterGap", { consumer: consumerKeySchema, gapSeconds: z.number().min(1).max(600), atLeast: z.number().int().min(1).optional() }),
  // `matches`: a regular expression over a string field, for answers with more than one right form.
  leaf("scenario", { path: patchPathSchema, equals: z.union([z.string(), z.number(), z.boolean()]).optional(), op: comparisonSchema.optional(), value: z.number().optional(), matches: regexSchema.optional() }).refine(
    (check) => [check.equals !== undefined, check.op !== undefined && check.value !== undefined, check.matches !== undefined].filter(Boolean).length === 1,
    "a scenario check has exactly one of equals, op and value, or matches",
  ),
  leaf("scenarioProblem", { path: regexSchema.optional(), message: regexSchema.optional() }),
  leaf("runError", { code: z.enum(["INVALID_INPUT", "CONFLICT", "BROKER_UNAVAILABLE", "INTERNAL"]), message: regexSchema.optional() }),
  /** A line of the run's notes (what services and the engine reported going wrong) matches: a refusal by the broker. */
  leaf("runNote", { message: regexSchema, atLeast: z.number().int().min(1).optional() }),
  /** The broker's own list of a service's connections (RabbitMQ's management API): over TLS or not, as a user made for the run or not. */
  leaf("brokerConnections", { service: z.string().min(1), broker: z.string().min(1), tls: z.boolean().optional(), runUser: z.boolean().optional(), atLeast: z.number().int().min(1).optional() }),
] as const;

type LeafSchema = (typeof leafCheckSchemas)[number];
export type LeafCheck = z.infer<LeafSchema>;
interface Combined<K extends "all" | "any"> {
  kind: K;
  id?: string;
  label?: string;
  sticky?: boolean;
  checks: Check[];
}
export type CombinedCheck = Combined<"all"> | Combined<"any">;
export type Check = LeafCheck | CombinedCheck;
export type CheckKind = Check["kind"];
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

export const checkSchema: z.ZodType<Check> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    ...leafCheckSchemas,
    z.strictObject({ kind: z.literal("all"), ...common, checks: z.array(checkSchema).min(1) }),
    z.strictObject({ kind: z.literal("any"), ...common, checks: z.array(checkSchema).min(1) }),
  ]),
) as z.ZodType<Check>;

export const checkKinds = [...leafCheckSchemas.map((s) => s.shape.kind.value), "all", "any"] as CheckKind[];

/** Every node of a check tree with its id: its own, or its parent's id and its position. */
export function checkNodes(root: Check, rootId: string): { id: string; check: Check }[] {
  const out: { id: string; check: Check }[] = [];
  const walk = (check: Check, id: string) => {
    out.push({ id, check });
    if (check.kind === "all" || check.kind === "any") check.checks.forEach((child, i) => walk(child, child.id ?? `${id}.${i + 1}`));
  };
  walk(root, root.id ?? rootId);
  return out;
}
