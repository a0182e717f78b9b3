// Decides a check over a snapshot, purely: green (pass), amber (partial: some of it holds) or red
// (fail), always with what holds and what is still missing, in words a learner can act on.
import type { Check, CheckKind, CheckOf } from "./checks";
import { checkNodes } from "./checks";
import { compare, describeCheck, opWord } from "./describe";
import { evaluateBroker } from "./evaluate-broker";
import { evaluateConnections } from "./evaluate-connections";
import { evaluateEvents } from "./evaluate-events";
import { describeMetric, parseMetricPath, readMetric } from "./metric-path";
import { readPath } from "./patch";
import type { CheckSnapshot, RunView } from "./snapshot";
import { counted, measured, type CheckState, type Verdict } from "./verdict";

export type { CheckState, Verdict };

/** Sticky checks that held earlier in the run, by id, with what they said then. */
export type Latched = ReadonlyMap<string, string>;

export const noRun = "No run yet: press Start (or Show me) in the run panel.";

export interface CheckResult {
  id: string;
  kind: CheckKind;
  label: string;
  state: CheckState;
  /** What holds, or what is still missing. */
  detail: string;
  sticky?: boolean;
  /** A sticky check that held earlier in this run. */
  held?: boolean;
  children?: CheckResult[];
}

function runMetric(check: CheckOf<"runMetric">, run: RunView): Verdict {
  const path = parseMetricPath(check.path);
  if ("error" in path) return { state: "fail", detail: `bad metric path: ${path.error}` };
  const readings = readMetric(run.frame, path);
  if (readings.length === 0) {
    const what = path.section === "queues" ? `queue ${path.key}` : path.section === "lag" ? `group ${path.key}` : path.section === "patterns" ? `reading of ${path.key}.${path.field}` : `${path.section.slice(0, -1)} ${path.key}`;
    return { state: "fail", detail: `this run has no ${what} yet; is the step's scenario loaded?` };
  }
  if (path.key !== "*") return measured(readings[0]!.value, check.op, check.value, describeMetric(path));
  const noun = path.section === "queues" ? "queues" : path.section;
  return counted(readings.map((r) => ({ key: r.key, ok: compare(r.value, check.op, check.value) })), check.need ?? "all", noun, `have ${path.field} ${opWord(check.op, check.value)}`);
}

function replicaMetric(check: CheckOf<"replicaMetric">, run: RunView): Verdict {
  const service = check.consumer.split("/")[0]!;
  const count = run.scenario.services.find((s) => s.name === service)?.replicas;
  if (count === undefined) return { state: "fail", detail: `this run has no service ${service}; is the step's scenario loaded?` };
  const seen = run.replicas[check.consumer] ?? [];
  const readings = Array.from({ length: count }, (_, replica) => {
    const value = seen.find((r) => r.replica === replica)?.[check.field] ?? 0;
    return { key: `replica ${replica} (${value})`, ok: compare(value, check.op, check.value) };
  });
  return counted(readings, check.need ?? "all", `replicas of ${check.consumer}`, `have ${check.field} ${opWord(check.op, check.value)}`);
}

function replicaState(check: CheckOf<"replicaState"> | CheckOf<"connectionState">, run: RunView): Verdict {
  const replicas = run.frame.services[check.service];
  if (!replicas || replicas.length === 0) return { state: "fail", detail: `this run has no service ${check.service}` };
  const stateOf = (r: (typeof replicas)[number]) => (check.kind === "replicaState" ? r.state : (r.connections[check.broker] ?? "not connected"));
  const restarts = check.kind === "replicaState" ? check.minRestarts : undefined;
  const wanted = [check.state, restarts ? `restarted ${restarts}+ time(s)` : undefined].filter(Boolean).join(", ");
  const matching = replicas.filter((r) => (!check.state || stateOf(r) === check.state) && (!restarts || r.restarts >= restarts)).length;
  const atLeast = check.atLeast ?? 1;
  const subject = check.kind === "replicaState" ? `replicas of ${check.service}` : `replicas of ${check.service} (connection to ${check.broker})`;
  const now = replicas.map((r) => `${stateOf(r)}${r.restarts ? ` after ${r.restarts} restart(s)` : ""}`).join(", ");
  if (matching >= atLeast) return { state: "pass", detail: `${matching} of ${replicas.length} ${subject}: ${wanted}` };
  return { state: matching > 0 ? "partial" : "fail", detail: `${matching} of ${replicas.length} ${subject}: ${wanted}; needs ${atLeast} (now: ${now})` };
}

function scenarioField(check: CheckOf<"scenario">, run: RunView): Verdict {
  const value = readPath(run.scenario, check.path);
  const shown = value === undefined ? "not set" : JSON.stringify(value);
  if (check.matches !== undefined) {
    const ok = typeof value === "string" && new RegExp(check.matches).test(value);
    return { state: ok ? "pass" : "fail", detail: ok ? `the run uses ${check.path}: ${shown}` : `the run uses ${check.path}: ${shown}; this step wants a value matching /${check.matches}/` };
  }
  if (check.equals !== undefined) {
    const ok = value === check.equals;
    return { state: ok ? "pass" : "fail", detail: ok ? `the run uses ${check.path}: ${shown}` : `the run uses ${check.path}: ${shown}; this step wants ${JSON.stringify(check.equals)}` };
  }
  if (typeof value !== "number") return { state: "fail", detail: `the run's ${check.path} is ${shown}; this step wants a number ${opWord(check.op!, check.value!)}` };
  const ok = compare(value, check.op!, check.value!);
  return { state: ok ? "pass" : "fail", detail: ok ? `the run uses ${check.path}: ${value}` : `the run uses ${check.path}: ${value}; this step wants ${opWord(check.op!, check.value!)}` };
}

function attemptCheck(check: CheckOf<"scenarioProblem"> | CheckOf<"runError">, snapshot: CheckSnapshot): Verdict {
  const attempt = snapshot.attempt;
  if (!attempt) return { state: "fail", detail: "not tried on this step yet: press Start with the scenario this step asks for" };
  if (check.kind === "scenarioProblem") {
    const hit = attempt.problems.find((p) => (!check.path || new RegExp(check.path).test(p.path)) && (!check.message || new RegExp(check.message).test(p.message)));
    if (hit) return { state: "pass", detail: `refused before any broker was touched: ${hit.path ? `${hit.path}: ` : ""}${hit.message}` };
    if (attempt.problems.length > 0) return { state: "partial", detail: `refused, but for another reason: ${attempt.problems[0]!.path}: ${attempt.problems[0]!.message}` };
    return { state: "fail", detail: attempt.runId ? "your last try was a valid scenario, and it ran" : "your last try was a valid scenario" };
  }
  if (attempt.problems.length > 0) return { state: "fail", detail: `your last try did not get as far as the broker: ${attempt.problems[0]!.path}: ${attempt.problems[0]!.message}` };
  const error = attempt.error;
  if (!error) return { state: "fail", detail: attempt.runId ? "your last try started without an error" : "your last try has no outcome yet" };
  if (!error.verified) return { state: "fail", detail: `the browser reported ${error.code}, but the engine holds no failed run that says so` };
  const ok = error.code === check.code && (!check.message || new RegExp(check.message, "i").test(error.message));
  if (ok) return { state: "pass", detail: `the engine refused the run with ${error.code}: ${error.message}` };
  return { state: "partial", detail: `the engine refused the run, but with ${error.code}: ${error.message}` };
}

function leaf(check: Exclude<Check, { kind: "all" | "any" }>, snapshot: CheckSnapshot): Verdict {
  if (check.kind === "scenarioProblem" || check.kind === "runError") return attemptCheck(check, snapshot);
  const run = snapshot.run;
  if (!run) return { state: "fail", detail: noRun };
  switch (check.kind) {
    case "runStatus":
      return check.is.includes(run.status) ? { state: "pass", detail: `the run is ${run.status}` } : { state: run.status === "failed" ? "fail" : "partial", detail: `the run is ${run.status}; waiting until it is ${check.is.join(" or ")}` };
    case "runMetric":
      return runMetric(check, run);
    case "ledger":
      return measured(run.frame.ledger[check.field], check.op, check.value, `the ledger's ${check.field}`);
    case "replicaMetric":
      return replicaMetric(check, run);
    case "replicaState":
    case "connectionState":
      return replicaState(check, run);
    case "scenario":
      return scenarioField(check, run);
    case "deliveryOrder":
    case "partitionByKey":
    case "resumedAfterGap":
      return evaluateEvents(check, run);
    case "runNote":
    case "brokerConnections":
      return evaluateConnections(check, run, snapshot);
    default:
      return evaluateBroker(check, run, snapshot);
  }
}

function combine(check: CheckOf<"all"> | CheckOf<"any">, children: CheckResult[]): Verdict {
  const passed = children.filter((c) => c.state === "pass");
  const missing = children.filter((c) => c.state !== "pass").map((c) => c.label);
  if (check.kind === "all") {
    if (missing.length === 0) return { state: "pass", detail: `all ${children.length} hold` };
    const some = passed.length > 0 || children.some((c) => c.state === "partial");
    return { state: some ? "partial" : "fail", detail: `${passed.length} of ${children.length} hold; still missing: ${missing.join("; ")}` };
  }
  if (passed.length > 0) return { state: "pass", detail: `holds: ${passed[0]!.label}` };
  return { state: children.some((c) => c.state === "partial") ? "partial" : "fail", detail: `none holds yet (${children.length} ways to pass)` };
}

/** Decides a check tree; `rootId` names the root when the check has no id of its own. */
export function evaluateCheck(check: Check, snapshot: CheckSnapshot, rootId: string, latched: Latched = new Map()): CheckResult {
  const walk = (node: Check, id: string): CheckResult => {
    const label = node.label ?? describeCheck(node);
    const base = { id, kind: node.kind, label, ...(node.sticky ? { sticky: true } : {}) };
    const earlier = node.sticky ? latched.get(id) : undefined;
    if (earlier !== undefined) return { ...base, state: "pass", held: true, detail: `${earlier} (seen earlier in this run)` };
    if (node.kind === "all" || node.kind === "any") {
      const children = node.checks.map((child, i) => walk(child, child.id ?? `${id}.${i + 1}`));
      return { ...base, ...combine(node, children), children };
    }
    return { ...base, ...leaf(node, snapshot) };
  };
  return walk(check, check.id ?? rootId);
}

/** Sticky nodes that pass now and were not latched before: the caller remembers them for the run. */
export function newlyLatched(result: CheckResult): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: CheckResult) => {
    if (node.sticky && node.state === "pass" && !node.held) out.set(node.id, node.detail);
    node.children?.forEach(walk);
  };
  walk(result);
  return out;
}

/** The leaves that do not hold yet: what the learner still has to do. */
export function missingParts(result: CheckResult): CheckResult[] {
  if (result.state === "pass") return [];
  if (!result.children) return [result];
  return result.children.flatMap(missingParts);
}

export { checkNodes };
