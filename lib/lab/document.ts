// One scenario document as the lab holds it: the YAML text (the single source of truth), what
// it parses to, and what the validator says about it. A syntax error keeps the last good parse,
// so the canvas does not go blank while someone is typing.
import { parseDocument, stringify } from "yaml";
import { faultTargets } from "../scenario/faults";
import type { FaultAction } from "../scenario/faults";
import type { Scenario } from "../scenario/schema";
import type { ScenarioProblem } from "../scenario/validate";
import { validateScenario } from "../scenario/validate";
import { isRecord } from "./model";

export interface Analysis {
  text: string;
  /** False when the text is not valid YAML; `raw` is then the last good parse. */
  parsed: boolean;
  raw: unknown;
  /** YAML syntax errors, with line and column. */
  syntax: ScenarioProblem[];
  /** The validator's problems (shape, broker rules, references); empty when valid. */
  problems: ScenarioProblem[];
  scenario?: Scenario;
}

export function analyse(text: string, previous?: Analysis): Analysis {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const syntax = doc.errors.map((e) => ({
      path: "",
      message: `line ${e.linePos?.[0]?.line ?? "?"}, column ${e.linePos?.[0]?.col ?? "?"}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
    }));
    return { text, parsed: false, raw: previous?.raw ?? {}, syntax, problems: previous?.problems ?? [] };
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || raw === undefined) {
    return { text, parsed: true, raw: {}, syntax: [], problems: [{ path: "", message: "the document is empty; a scenario starts with version: 1" }] };
  }
  const result = validateScenario(raw);
  return result.ok ? { text, parsed: true, raw, syntax: [], problems: [], scenario: result.scenario } : { text, parsed: true, raw, syntax: [], problems: result.problems };
}

/** A problem in words a newcomer can act on: a missing link says what to connect. */
export function explainProblem(problem: ScenarioProblem, raw: unknown): string {
  const link = /^services\[(\d+)\]\.(producers|consumers)\[(\d+)\]\.(to|from)$/.exec(problem.path);
  if (link) {
    const service = isRecord(raw) && Array.isArray(raw.services) ? raw.services[Number(link[1])] : undefined;
    const list = isRecord(service) ? service[link[2]!] : undefined;
    const item = Array.isArray(list) ? list[Number(link[3])] : undefined;
    if (isRecord(item) && item[link[4]!] === undefined) {
      const who = `${String(service && isRecord(service) ? service.name : "?")}/${String(item.name ?? "?")}`;
      return link[4] === "to" ? `${who} is not connected: drag from its ● to a queue, exchange or topic.` : `${who} is not connected: drag from a queue or topic to its ●.`;
    }
  }
  if (problem.path === "services" && /at least one service/.test(problem.message)) return "add a service (S), or load an example.";
  return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
}

/** Why a document cannot run yet, in one line; undefined when it can. */
export function blockingReason(analysis: Analysis): string | undefined {
  if (!analysis.parsed) return `The YAML does not parse (${analysis.syntax[0]?.message ?? "syntax error"}).`;
  const first = analysis.problems[0];
  if (!first) return undefined;
  const more = analysis.problems.length > 1 ? ` (and ${analysis.problems.length - 1} more)` : "";
  return `${explainProblem(first, analysis.raw)}${more}`;
}

/** A fault as the engine holds it ({ at, action, service, forMs }) in its written form ({ at, kill: service, for }). */
function faultEntry(fault: unknown): unknown {
  if (!isRecord(fault) || typeof fault.action !== "string" || !Object.hasOwn(faultTargets, fault.action)) return fault;
  const { at, action, forMs, ...rest } = fault;
  const targetKey = faultTargets[action as FaultAction];
  const { [targetKey]: target, ...parameters } = rest;
  return { at, [action as string]: target, ...(forMs !== undefined ? { for: forMs } : {}), ...parameters };
}

/** A broker's resources as validation types them ({ kind, queues, … }) without the kind, which the format takes from the broker. */
function resourcesEntry(entry: unknown): unknown {
  if (!isRecord(entry)) return entry;
  const { kind: _kind, ...rest } = entry;
  return rest;
}

/**
 * A validated scenario (as a run reports it) back as YAML a user can edit: faults return to their
 * written form ({ at, kill: service }) and resources lose the kind validation adds; everything
 * else already reads as scenario input.
 */
export function scenarioToText(scenario: unknown): string {
  if (!isRecord(scenario)) return stringify(scenario);
  const faults = Array.isArray(scenario.faults) ? scenario.faults.map(faultEntry) : undefined;
  const resources = isRecord(scenario.resources) ? Object.fromEntries(Object.entries(scenario.resources).map(([broker, entry]) => [broker, resourcesEntry(entry)])) : undefined;
  return stringify({ ...scenario, ...(resources ? { resources } : {}), ...(faults ? { faults } : {}) }, { lineWidth: 0 });
}
