// Whether an event can match an EventBridge rule's pattern, judged locally so a sender can tell an
// event no declared rule routes (it goes nowhere, like an unroutable RabbitMQ message) from one
// that reaches a queue. Lists of plain values are checked; content filters (prefix, numeric,
// anything-but, exists) and envelope fields other than source and detail-type count as a match.

type Pattern = Record<string, unknown>;

const judged = new Set(["source", "detail-type", "detail"]);

export function mayMatch(pattern: Pattern, event: { source: string; "detail-type": string; detail: unknown }): boolean {
  return matches(pattern, event as Record<string, unknown>, true);
}

function matches(pattern: Pattern, value: Record<string, unknown>, top: boolean): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (top && !judged.has(key)) continue;
    const field = value[key];
    if (Array.isArray(rule)) {
      if (rule.some((r) => r !== null && typeof r === "object")) continue;
      const values = Array.isArray(field) ? field : [field];
      if (!rule.some((r) => values.some((v) => v === r))) return false;
    } else if (rule && typeof rule === "object") {
      if (!field || typeof field !== "object" || !matches(rule as Pattern, field as Record<string, unknown>, false)) return false;
    }
  }
  return true;
}
