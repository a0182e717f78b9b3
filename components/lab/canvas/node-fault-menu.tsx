"use client";
// A service's faults on its own node while the run runs: kill, pause or resume, slow down, start,
// one click from the service they act on (the sidebar's Faults tab has every fault).
import { useCallback } from "react";
import { getSocket } from "../../../lib/client/socket";
import { useRun } from "../../../lib/client/use-run";
import { useFaultCommand } from "../../faults/use-fault-command";
import type { FaultRequestInput } from "../../faults/use-fault-command";
import { Popover } from "../popover";

const alive = new Set(["starting", "running", "paused"]);
const slowMs = 100;

function Actions({ runId, service, consumes }: { runId: string; service: string; consumes: boolean }) {
  const { send, pending, outcome } = useFaultCommand(runId, useCallback(() => getSocket(), []));
  const replicas = useRun((v) => v.frames[v.frames.length - 1]?.services[service]) ?? [];
  const anyAlive = replicas.some((r) => alive.has(r.state));
  const anyPaused = replicas.some((r) => r.state === "paused");
  const act = (request: { action: "kill" | "pause" | "resume" | "start" } | { action: "slow"; ms: number }, label: string) => send({ ...request, service } as FaultRequestInput, `${label} ${service}`);
  const busy = pending !== undefined;
  return (
    <div className="lab-node-faults" data-testid={`node-fault-menu-${service}`}>
      <p className="lab-menu__title">Faults on {service}</p>
      <button type="button" className="lab-menu__item" disabled={busy || !anyAlive} onClick={() => act({ action: "kill" }, "kill")}>
        <span className="lab-menu__name lab-bad">Kill</span>
        <span className="lab-menu__desc">SIGKILL: unacked messages go back to the broker.</span>
      </button>
      {anyPaused ? (
        <button type="button" className="lab-menu__item" disabled={busy} onClick={() => act({ action: "resume" }, "resume")}>
          <span className="lab-menu__name">Resume</span>
          <span className="lab-menu__desc">SIGCONT: carries on where it froze.</span>
        </button>
      ) : (
        <button type="button" className="lab-menu__item" disabled={busy || !anyAlive} onClick={() => act({ action: "pause" }, "pause")}>
          <span className="lab-menu__name">Pause</span>
          <span className="lab-menu__desc">SIGSTOP: frozen, its connections stay open.</span>
        </button>
      )}
      {consumes ? (
        <button type="button" className="lab-menu__item" disabled={busy || !anyAlive} onClick={() => act({ action: "slow", ms: slowMs }, "slow")}>
          <span className="lab-menu__name">Slow down</span>
          <span className="lab-menu__desc">{slowMs} ms more work per message (other amounts in the Faults tab).</span>
        </button>
      ) : null}
      <button type="button" className="lab-menu__item" disabled={busy || (replicas.length > 0 && replicas.every((r) => alive.has(r.state)))} onClick={() => act({ action: "start" }, "start")}>
        <span className="lab-menu__name">Start</span>
        <span className="lab-menu__desc">Starts the replicas that are not running.</span>
      </button>
      <p className={`lab-node-faults__outcome ${outcome?.tone === "bad" ? "lab-bad" : ""}`} role="status">{pending ? `${pending}…` : outcome?.text ?? ""}</p>
    </div>
  );
}

export function NodeFaultMenu({ service, consumes }: { service: string; consumes: boolean }) {
  const runId = useRun((v) => v.runId);
  const running = useRun((v) => v.status === "running");
  if (!runId || !running) return null;
  return (
    <div className="nodrag nopan lab-node-faults__anchor">
      <Popover label={<span aria-hidden="true">⚡</span>} title={`Faults on ${service}`} className="lab-mini-button lab-node-faults__button" testId={`node-faults-${service}`} panelClassName="lab-menu lab-node-faults__panel" align="end">
        <Actions runId={runId} service={service} consumes={consumes} />
      </Popover>
    </div>
  );
}
