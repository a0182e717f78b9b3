// Words for what a run owned, shared by the lab's run panel and the terminal report.
import type { RunResource, RunResources } from "./model";

export const resourceName = (r: RunResource) => `${r.kind} ${r.name} (${r.broker})`;

/** Lines for a terminal report: what was already there (kept) and what the run created. */
export function runResourcesLines(resources: RunResources | undefined): string[] {
  if (!resources) return [];
  const lines: string[] = [];
  if (resources.existed.length > 0) lines.push(`Already there before the run (used, kept): ${resources.existed.map(resourceName).join(", ")}`);
  if (resources.created.length > 0) lines.push(`Created by the run (${resources.keptOnRequest ? "kept on request" : "deleted at the end"}): ${resources.created.map(resourceName).join(", ")}`);
  return lines;
}
