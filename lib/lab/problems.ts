// Maps the validator's path-named problems ("services[1].consumers[0].prefetch: …") onto what the
// lab shows: the item a problem belongs to, and the inspector field it sits next to.
import type { ScenarioProblem } from "../scenario/validate";
import { formatPath } from "../scenario/validate";
import { nodeKindOfList } from "./broker-views";
import type { DocPath } from "./yaml-edit";

export type ItemKind = "scenario" | "service" | "producer" | "consumer" | "pattern" | "queue" | "exchange" | "topic" | "binding" | "subscription" | "bus" | "rule";

const patternFamilies = new Set(["requesters", "repliers", "tasks", "workers", "httpApi", "apiCalls", "webhookReceiver", "projections"]);

/** Parses "services[1].consumers[0].from.queue" back into ["services", 1, "consumers", 0, "from", "queue"]. */
export function parsePath(path: string): DocPath {
  const out: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return out;
}

export const pathKey = (path: DocPath): string => formatPath(path);

/** The kind of item a path names, and the path of that item (its prefix). */
export function itemOf(path: DocPath): { kind: ItemKind; path: DocPath } {
  if (path[0] === "services" && typeof path[1] === "number") {
    if ((path[2] === "producers" || path[2] === "consumers") && typeof path[3] === "number") {
      return { kind: path[2] === "producers" ? "producer" : "consumer", path: path.slice(0, 4) };
    }
    if (patternFamilies.has(String(path[2]))) {
      const single = path[2] === "httpApi" || path[2] === "webhookReceiver";
      if (single || typeof path[3] === "number") return { kind: "pattern", path: path.slice(0, single ? 3 : 4) };
    }
    return { kind: "service", path: path.slice(0, 2) };
  }
  if (path[0] === "resources" && typeof path[3] === "number") {
    const kinds: Record<string, ItemKind> = { queues: "queue", exchanges: "exchange", topics: "topic", bindings: "binding", subscriptions: "subscription", buses: "bus", rules: "rule" };
    const kind = kinds[String(path[2])] ?? nodeKindOfList(String(path[2]));
    if (kind) return { kind, path: path.slice(0, 4) };
  }
  return { kind: "scenario", path: [] };
}

const isUnder = (problemPath: string, prefix: string) =>
  prefix === "" || problemPath === prefix || problemPath.startsWith(`${prefix}.`) || problemPath.startsWith(`${prefix}[`);

/** Problems at `path` or inside it. */
export function problemsUnder(problems: readonly ScenarioProblem[], path: DocPath): ScenarioProblem[] {
  const prefix = pathKey(path);
  return problems.filter((p) => isUnder(p.path, prefix));
}

/**
 * Splits an item's problems between the fields the inspector shows (each problem goes to the
 * deepest field that contains it) and the rest, which the inspector shows above the fields.
 */
export function problemsByField(problems: readonly ScenarioProblem[], itemPath: DocPath, fields: readonly DocPath[]) {
  const byField = new Map<string, ScenarioProblem[]>();
  const rest: ScenarioProblem[] = [];
  const keys = fields.map(pathKey).sort((a, b) => b.length - a.length);
  for (const problem of problemsUnder(problems, itemPath)) {
    const field = keys.find((key) => isUnder(problem.path, key));
    if (field === undefined) rest.push(problem);
    else byField.set(field, [...(byField.get(field) ?? []), problem]);
  }
  return { byField, rest };
}

/** How many problems each item has, keyed by the item's path, for badges on the canvas. */
export function problemCounts(problems: readonly ScenarioProblem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const item = itemOf(parsePath(problem.path));
    const key = pathKey(item.path);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
