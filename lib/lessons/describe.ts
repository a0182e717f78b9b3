// Default wording for checks without a label, and the comparison words every check message uses.
import type { Check, CheckOf, Comparison } from "./checks";
import { describeMetric, parseMetricPath } from "./metric-path";

const opWords: Record<Comparison, string> = { ">=": "at least", ">": "more than", "==": "exactly", "!=": "anything but", "<=": "at most", "<": "fewer than" };

export const opWord = (op: Comparison, value: number | string) => `${opWords[op]} ${value}`;

export function compare(actual: number, op: Comparison, value: number): boolean {
  switch (op) {
    case ">=":
      return actual >= value;
    case ">":
      return actual > value;
    case "==":
      return actual === value;
    case "!=":
      return actual !== value;
    case "<=":
      return actual <= value;
    case "<":
      return actual < value;
  }
}

/** A label for a check its author did not name. */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case "all":
      return "All of these hold";
    case "any":
      return "One of these holds";
    case "runStatus":
      return `The run is ${check.is.join(" or ")}`;
    case "runMetric": {
      const path = parseMetricPath(check.path);
      return "error" in path ? check.path : `${describeMetric(path)}: ${opWord(check.op, check.value)}`;
    }
    case "ledger":
      return `The ledger's ${check.field}: ${opWord(check.op, check.value)}`;
    case "replicaMetric":
      return `Each replica of ${check.consumer} ${check.field}: ${opWord(check.op, check.value)}`;
    case "replicaState":
      return `${check.atLeast ?? 1} replica(s) of ${check.service} ${[check.state, check.minRestarts ? `restarted ${check.minRestarts}+ time(s)` : undefined].filter(Boolean).join(", ")}`;
    case "connectionState":
      return `${check.service}'s connection to ${check.broker} ${check.state}`;
    case "queueDepth":
      return `Queue ${check.queue} holds ${opWord(check.op, check.value)} ${check.field === "ready" ? "ready" : check.field === "unacked" ? "unacknowledged" : ""} messages`.replace("  ", " ");
    case "queueConsumers":
      return `Queue ${check.queue} has ${opWord(check.op, check.value)} consumers`;
    case "consumerGroupLag":
      return `Group ${check.group} lags by ${opWord(check.op, check.value)}`;
    case "consumerGroupOffsets":
      return `Group ${check.group} committed offsets on ${check.partitions === undefined || check.partitions === "all" ? "every partition" : `${check.partitions} partitions`} of ${check.topic}`;
    case "xDeath":
      return `A message in ${check.queue} carries an x-death header${check.reason ? ` (${check.reason})` : ""}`;
    case "traceHasSpan":
      return `A ${check.spanKind ?? ""} span in ${check.service}${Object.keys(check.attributes ?? {}).length ? ` with ${Object.entries(check.attributes ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(", ")}` : ""}${traceShapeWords(check)}`.replace("A  span", "A span");
    case "traceCrosses":
      return `One trace crosses ${check.services.join(", ")}`;
    case "traceLinked":
      return `${check.service}'s ${check.spanKind ? `${check.spanKind.toUpperCase()} ` : ""}spans link to spans of other traces`;
    case "traceConforms":
      return `${check.service}'s traces follow the messaging conventions${check.propagation ? ` with ${check.propagation} propagation` : ""}${check.rules ? ` (${check.rules.join(", ")})` : ""}`;
    case "deliveryOrder":
      return `${check.consumer} sees messages ${check.expect === "ordered" ? "in order" : "out of order"}${check.per === "key" ? " per key" : ""}`;
    case "resumedAfterGap":
      return `${check.consumer} acknowledges messages again after a pause of ${check.gapSeconds} s or more`;
    case "partitionByKey":
      return `Every key of ${check.consumer} stays on one partition`;
    case "scenario":
      if (check.matches !== undefined) return `The scenario sets ${check.path} to a value matching /${check.matches}/`;
      return check.equals !== undefined ? `The scenario sets ${check.path} to ${String(check.equals)}` : `The scenario sets ${check.path} to ${opWord(check.op!, check.value!)}`;
    case "scenarioProblem":
      return "Brokerlab refuses the scenario before touching the broker";
    case "runError":
      return `The run is refused with ${check.code}`;
    case "runNote":
      return `The run reports a line matching /${check.message}/`;
    case "brokerConnections":
      return `${check.broker} lists a connection of ${check.service}${check.tls === undefined ? "" : check.tls ? " over TLS" : " without TLS"}${check.runUser === undefined ? "" : check.runUser ? " as a user made for the run" : " as a user not made for the run"}`;
  }
}

/** ", in a trace with producer spans but no consumer span": what a traceHasSpan check asks of the whole trace. */
export const traceShapeWords = (check: CheckOf<"traceHasSpan">) =>
  `${check.traceAlso ? `, in a trace with ${check.traceAlso.join(" and ")} spans` : ""}${check.traceLacks ? `${check.traceAlso ? " but" : ", in a trace with"} no ${check.traceLacks.join(" or ")} span` : ""}`;
