// Parses a scenario (YAML or JSON text, or an object) and checks it completely before any
// broker is touched: shape, broker naming rules, references between parts, and templates.
import { parseDocument } from "yaml";
import type { z } from "zod";
import { inputShapeProblem } from "../input-bounds";
import { checkFaultReferences } from "./faults";
import { checkPatternReferences } from "./patterns-check";
import { brokerDescriptors, descriptorOf } from "../brokers";
import type { BrokerKind } from "../brokers";
import { ownFormProblem, wrongBrokerMessage } from "../brokers/forms";
import type { FormRole } from "../brokers/forms";
import { scenarioSchema } from "./schema";
import type { BrokerResources, Scenario, Target } from "./schema";
import { parseTemplate, stringsIn } from "./template";
import { payloadFields } from "../brokers/check-parts";

export interface ScenarioProblem {
  /** Path of the bad field, e.g. `services[1].consumers[0].from.queue`. */
  path: string;
  message: string;
}

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

export function formatProblems(problems: readonly ScenarioProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("\n");
}

/** Parses YAML (a superset of JSON) text; syntax errors give line and column. */
export function parseScenarioText(text: string): ScenarioResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => ({ path: "", message: /call stack/i.test(e.message) ? tooDeep : `not valid YAML/JSON: ${e.message.split("\n")[0]!.replace(/:$/, "")}` })) };
  }
  if (doc.contents === null) return { ok: false, problems: [{ path: "", message: "the document is empty; a scenario starts with version: 1" }] };
  let value: unknown;
  try {
    // Each alias expands into a copy: a few lines of aliases of aliases would fill the memory.
    value = doc.toJS({ maxAliasCount: maxYamlAliases });
  } catch (error) {
    if (!(error instanceof ReferenceError) && !(error instanceof RangeError)) throw error;
    const message = /excessive alias/i.test(error.message)
      ? `uses YAML aliases (*name) too often (more than ${maxYamlAliases} expansions); write the values out instead`
      : error instanceof RangeError ? tooDeep : `not valid YAML/JSON: ${error.message}`;
    return { ok: false, problems: [{ path: "", message }] };
  }
  return validateScenario(value);
}

const tooDeep = "the scenario is nested too deep to read (a scenario needs a few levels, at most 64); flatten it";

/** Expansions of `*alias` a scenario may use (the yaml package's own default). */
export const maxYamlAliases = 100;

const zodProblems = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): ScenarioProblem[] =>
  issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // A field with several forms ({ queue } | { exchange, routingKey } | { topic }): report the
      // problems of the form the author evidently meant, or the unknown field every form rejects.
      const branch = likeliestBranch(issue.errors);
      if (branch) return zodProblems(branch, path);
      const unknown = issue.errors.map(unknownKeys).reduce((common, keys) => common.filter((k) => keys.includes(k)));
      if (unknown.length > 0) {
        const forms = ownUnionMessage(issue)?.match(/one of (.*)$/)?.[1];
        return [{ path: formatPath(path), message: `${describeUnknown(unknown)}; this field takes one of several forms${forms ? `: ${forms}` : ", see docs/scenario-format.md"}` }];
      }
    }
    return [{ path: formatPath(path), message: describeIssue(issue) }];
  });

const unknownKeys = (issues: readonly z.core.$ZodIssue[]): string[] => issues.flatMap((i) => (i.code === "unrecognized_keys" && i.path.length === 0 ? i.keys : []));

/** The union branch with the fewest problems, ignoring branches of another type altogether; none on a tie. */
function likeliestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const candidates = branches.filter((issues) => !issues.some((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value")));
  const fewest = Math.min(...candidates.map((issues) => issues.length));
  const best = candidates.filter((issues) => issues.length === fewest);
  // Two brokers' forms of one key ({ queue } of RabbitMQ and SQS) failing alike: the first speaks.
  const pathsOf = (issues: readonly z.core.$ZodIssue[]) => issues.map((i) => `${i.path.join(".")}:${i.code === "unrecognized_keys" ? i.keys.join(",") : ""}`).join("|");
  if (best.length === 1 || best.every((issues) => pathsOf(issues) === pathsOf(best[0]!))) return best[0];
  // Of two such forms, the one that knows every key the author wrote ({ queue, groupId } is SQS's).
  const knowsAllKeys = best.filter((issues) => unknownKeys(issues).length === 0);
  return knowsAllKeys.length === 1 ? knowsAllKeys[0] : undefined;
}

/** The message a union with named forms wrote itself (lib/scenario/union-forms.ts), not zod's default. */
const ownUnionMessage = (issue: z.core.$ZodIssueInvalidUnion) => (/^Invalid /.test(issue.message) ? undefined : issue.message);

const describeUnknown = (keys: readonly string[]) => `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`;

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `${describeUnknown(issue.keys)}; check the spelling against docs/scenario-format.md`;
  if (issue.code === "invalid_union") {
    const own = ownUnionMessage(issue);
    if (own) return own;
    if (issue.errors.length > 0 && issue.errors.some((branch) => branch.some((i) => i.path.length === 0 && i.code === "invalid_type" && /received undefined$/.test(i.message)))) return "is required";
    if ("options" in issue && Array.isArray(issue.options)) return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
    return "does not match any allowed form; see docs/scenario-format.md for the forms this field takes";
  }
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `is required (${issue.expected})`;
  if (issue.code === "invalid_value" && /^Invalid (option|input)/.test(issue.message)) {
    return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}

export function validateScenario(input: unknown): ScenarioResult {
  const shape = inputShapeProblem(input);
  if (shape) return { ok: false, problems: [{ path: "", message: `the scenario ${shape}` }] };
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error.issues) };
  const problems: ScenarioProblem[] = [];
  const raw = parsed.data;
  const resources: Record<string, BrokerResources> = {};
  for (const [brokerName, entry] of Object.entries(raw.resources)) {
    const broker = raw.brokers[brokerName];
    if (!broker) {
      problems.push({ path: `resources.${brokerName}`, message: `"${brokerName}" is not a broker declared in brokers (declared: ${Object.keys(raw.brokers).join(", ") || "none"})` });
      continue;
    }
    const result = descriptorOf(broker.kind).resources.safeParse(entry);
    if (!result.success) problems.push(...zodProblems(result.error.issues, ["resources", brokerName]));
    else resources[brokerName] = { kind: broker.kind, ...result.data } as BrokerResources;
  }
  if (problems.length > 0) return { ok: false, problems };
  const scenario: Scenario = { ...raw, resources };
  problems.push(...checkReferences(scenario));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scenario };
}

function duplicates(names: string[]): string[] {
  return names.filter((name, i) => names.indexOf(name) !== i);
}

/**
 * What is common to every broker kind: services and their parts are named once, every part names a
 * declared broker, its `to` or `from` is one of that broker's forms, and payload and header templates
 * name fields that exist. The rest (declared queues, topics, partitions, …) is each descriptor's check.
 */
function checkReferences(s: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const list = (names: string[]) => (names.length ? names.join(", ") : "none");
  const undeclaredBroker = (broker: string) => `"${broker}" is not a broker declared in brokers (declared: ${list(Object.keys(s.brokers))})`;
  /** Why a to/from does not fit its broker's kind, added at its path. */
  const misfits = (role: FormRole, path: string, value: object, kind: BrokerKind, broker: string): void => {
    const wrongBroker = wrongBrokerMessage(role, value, kind, broker);
    const own = wrongBroker ? undefined : ownFormProblem(role, value, kind);
    if (wrongBroker) add(path, wrongBroker);
    else if (own) add(formatPath([path, ...own.path]), own.message);
  };
  const checkTarget = (path: string, broker: string, to: Target): void => {
    const kind = s.brokers[broker]?.kind;
    if (!kind) add(`${path.replace(/\.to$/, "")}.broker`, undeclaredBroker(broker));
    else misfits("targets", path, to, kind, broker);
  };
  const checkTemplate = (path: string, source: string, fields: string[] = []) => {
    const parsed = parseTemplate(source, fields);
    if ("error" in parsed) add(path, parsed.error);
  };

  for (const name of duplicates(s.services.map((svc) => svc.name))) add("services", `service "${name}" is listed twice; service names must be unique`);
  s.services.forEach((svc, si) => {
    const base = `services[${si}]`;
    for (const name of duplicates(svc.producers.map((p) => p.name))) add(`${base}.producers`, `producer "${name}" is listed twice in ${svc.name}`);
    for (const name of duplicates(svc.consumers.map((c) => c.name))) add(`${base}.consumers`, `consumer "${name}" is listed twice in ${svc.name}`);
    svc.producers.forEach((p, pi) => {
      const path = `${base}.producers[${pi}]`;
      for (const [text, at] of stringsIn(p.payload)) checkTemplate(formatPath([path, "payload", ...at]), text);
      const fields = payloadFields(p.payload);
      for (const [key, value] of Object.entries(p.headers)) if (typeof value === "string") checkTemplate(`${path}.headers.${key}`, value, fields);
      checkTarget(`${path}.to`, p.broker, p.to);
    });
    svc.consumers.forEach((c, ci) => {
      const path = `${base}.consumers[${ci}]`;
      const kind = s.brokers[c.broker]?.kind;
      if (!kind) add(`${path}.broker`, undeclaredBroker(c.broker));
      else misfits("sources", `${path}.from`, c.from, kind, c.broker);
      if (c.forward) {
        for (const [text, at] of stringsIn(c.forward.payload)) checkTemplate(formatPath([`${path}.forward`, "payload", ...at]), text, ["*"]);
        checkTarget(`${path}.forward.to`, c.forward.broker, c.forward.to);
      }
    });
  });
  for (const descriptor of brokerDescriptors) problems.push(...descriptor.check(s));
  problems.push(...checkFaultReferences(s));
  problems.push(...checkPatternReferences(s));
  return problems;
}
