// Checks over what the broker says about who is connected and what it refused: a service's
// connections as RabbitMQ's management API lists them (TLS or not, which user), and the run's
// notes, where a refusal such as ACCESS_REFUSED lands.
import { connectionName } from "../run/ipc";
import type { CheckOf } from "./checks";
import { opWord } from "./describe";
import type { CheckSnapshot, ConnectionView, RunView } from "./snapshot";
import type { Verdict } from "./verdict";

/** The prefix of every user a run makes for itself (server/engine/run-users.ts). */
export const runUserPrefix = (runId: string) => `brokerlab-${runId}-`;

function runNote(check: CheckOf<"runNote">, run: RunView): Verdict {
  const pattern = new RegExp(check.message, "i");
  const notes = run.notes ?? [];
  const matching = notes.filter((line) => pattern.test(line));
  const atLeast = check.atLeast ?? 1;
  if (matching.length >= atLeast) return { state: "pass", detail: `the run reported: ${matching[0]}${matching.length > 1 ? ` (and ${matching.length - 1} more like it)` : ""}` };
  if (notes.length === 0) return { state: "fail", detail: "the run has reported nothing going wrong" };
  return { state: matching.length > 0 ? "partial" : "fail", detail: `${matching.length} of the run's ${notes.length} note(s) match /${check.message}/; needs ${opWord(">=", atLeast)} (last: ${notes.at(-1)})` };
}

const describeConnection = (c: ConnectionView, runId: string) =>
  `${c.clientName?.split(" ").at(-1) ?? "?"} as ${c.user?.startsWith(runUserPrefix(runId)) ? `its run user ${c.user}` : (c.user ?? "?")} ${c.tls ? `over ${c.tls.protocol ?? "TLS"}${c.tls.cipher ? ` (${c.tls.cipher})` : ""}` : "without TLS"}`;

function brokerConnections(check: CheckOf<"brokerConnections">, run: RunView, snapshot: CheckSnapshot): Verdict {
  const reading = snapshot.connections?.[check.broker];
  if (!reading) return { state: "fail", detail: `${check.broker}'s connections have not been read yet` };
  if ("error" in reading) return { state: "fail", detail: reading.error };
  // Every connection of one service's replicas is named `brokerlab <run> <service>[<replica>]`.
  const prefix = connectionName(run.id, check.service, 0).replace(/\[0\]$/, "[");
  const own = reading.value.filter((c) => c.clientName?.startsWith(prefix));
  if (own.length === 0) return { state: "fail", detail: `${check.broker} lists no connection of ${check.service} in this run (a connection is listed only while the run is on)` };
  const matches = own.filter((c) =>
    (check.tls === undefined || Boolean(c.tls) === check.tls) && (check.runUser === undefined || Boolean(c.user?.startsWith(runUserPrefix(run.id))) === check.runUser));
  const atLeast = check.atLeast ?? 1;
  const seen = own.map((c) => describeConnection(c, run.id)).join("; ");
  if (matches.length >= atLeast) return { state: "pass", detail: `${check.broker} lists ${seen}` };
  return { state: matches.length > 0 ? "partial" : "fail", detail: `${check.broker} lists ${seen}; this step wants ${opWord(">=", atLeast)}${check.tls === undefined ? "" : check.tls ? " over TLS" : " without TLS"}${check.runUser === undefined ? "" : check.runUser ? " as a user made for the run" : " as another user"}` };
}

export function evaluateConnections(check: CheckOf<"runNote"> | CheckOf<"brokerConnections">, run: RunView, snapshot: CheckSnapshot): Verdict {
  return check.kind === "runNote" ? runNote(check, run) : brokerConnections(check, run, snapshot);
}
