"use client";
// Faults on one service: kill, pause or resume, restart, start and slow down, for every replica or one.
import { useState } from "react";
import type { ReplicaStatus } from "../../lib/run/model";
import type { Service } from "../../lib/scenario/schema";
import type { FaultRequestInput } from "./use-fault-command";

const live = new Set(["starting", "running", "paused"]);

export function ServiceFaults({ service, replicas, disabled, send }: { service: Service; replicas: ReplicaStatus[]; disabled: boolean; send(request: FaultRequestInput, label: string): void }) {
  const [replica, setReplica] = useState("all");
  const [slowMs, setSlowMs] = useState(100);
  const target = { service: service.name, ...(replica === "all" ? {} : { replica: Number(replica) }) };
  const chosen = replica === "all" ? replicas : replicas.filter((r) => r.replica === Number(replica));
  const anyAlive = chosen.some((r) => live.has(r.state));
  const anyPaused = chosen.some((r) => r.state === "paused");
  const who = `${service.name}${replica === "all" ? "" : `[${replica}]`}`;
  const act = (action: "kill" | "start" | "restart" | "pause" | "resume") => send({ action, ...target }, `${action} ${who}`);

  return (
    <li className="fault-controls__row" data-testid={`service-faults-${service.name}`}>
      <div className="fault-controls__row-head">
        <strong>{service.name}</strong>
        <span className="fault-controls__states">{replicas.map((r) => `[${r.replica}] ${r.state}`).join(" · ") || "not started"}</span>
      </div>
      <div className="fault-controls__actions">
        {service.replicas > 1 ? (
          <label className="fault-controls__field">
            Replica
            <select value={replica} onChange={(event) => setReplica(event.target.value)} disabled={disabled}>
              <option value="all">all</option>
              {Array.from({ length: service.replicas }, (_, i) => <option key={i} value={String(i)}>{i}</option>)}
            </select>
          </label>
        ) : null}
        <button type="button" className="fault-controls__button fault-controls__button--danger" disabled={disabled || !anyAlive} onClick={() => act("kill")} title="SIGKILL: no goodbye, unacked messages go back to the broker">Kill</button>
        {anyPaused ? (
          <button type="button" className="fault-controls__button" disabled={disabled} onClick={() => act("resume")} title="SIGCONT">Resume</button>
        ) : (
          <button type="button" className="fault-controls__button" disabled={disabled || !anyAlive} onClick={() => act("pause")} title="SIGSTOP: frozen, connections stay open">Pause</button>
        )}
        <button type="button" className="fault-controls__button" disabled={disabled || !anyAlive} onClick={() => act("restart")} title="Graceful stop, then start">Restart</button>
        <button type="button" className="fault-controls__button" disabled={disabled || chosen.every((r) => live.has(r.state))} onClick={() => act("start")}>Start</button>
        {service.consumers.length > 0 ? (
          <span className="fault-controls__inline">
            <label className="fault-controls__field">
              +ms
              <input type="number" min={1} max={60_000} value={slowMs} onChange={(event) => setSlowMs(Number(event.target.value))} disabled={disabled} aria-label={`Extra work per message for ${service.name}`} />
            </label>
            <button type="button" className="fault-controls__button" disabled={disabled || !(slowMs > 0)} onClick={() => send({ action: "slow", ...target, ms: slowMs }, `slow ${who}`)}>Slow down</button>
          </span>
        ) : null}
      </div>
    </li>
  );
}
