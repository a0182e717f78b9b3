"use client";
// Faults on one service↔broker link: latency with jitter, a bandwidth cap, dropped bytes, a cut,
// a reset, and (where the broker can) the broker closing the service's connections. Optionally for N seconds.
import { useState } from "react";
import { hasCapability } from "../../lib/brokers";
import type { BrokerKind } from "../../lib/brokers";
import type { FaultRequestInput } from "./use-fault-command";

type LinkAction = "latency" | "bandwidth" | "drop" | "cut" | "reset" | "closeConnection";

const labels: Record<LinkAction, string> = {
  latency: "Add latency",
  bandwidth: "Cap bandwidth",
  drop: "Drop bytes (blackhole)",
  cut: "Cut the link",
  reset: "Reset connections",
  closeConnection: "Broker closes the connection",
};

export function LinkFaults({ service, broker, kind, disabled, send }: { service: string; broker: string; kind: BrokerKind; disabled: boolean; send(request: FaultRequestInput, label: string): void }) {
  const actions = (Object.keys(labels) as LinkAction[]).filter((a) => a !== "closeConnection" || hasCapability(kind, "brokerConnectionClose"));
  const [action, setAction] = useState<LinkAction>("latency");
  const [ms, setMs] = useState(200);
  const [jitterMs, setJitterMs] = useState(0);
  const [bytesPerSecond, setBytesPerSecond] = useState(10_000);
  const [seconds, setSeconds] = useState(0);
  const lasting = seconds > 0 && action !== "reset" && action !== "closeConnection" ? { forMs: seconds * 1000 } : {};
  const link = `${service}↔${broker}`;

  function apply() {
    const base = { service, broker };
    if (action === "latency") send({ action, ...base, ms, ...(jitterMs > 0 ? { jitterMs } : {}), ...lasting }, `latency on ${link}`);
    else if (action === "bandwidth") send({ action, ...base, bytesPerSecond, ...lasting }, `bandwidth on ${link}`);
    else if (action === "drop" || action === "cut") send({ action, ...base, ...lasting }, `${action} ${link}`);
    else send({ action, ...base }, `${labels[action].toLowerCase()} on ${link}`);
  }

  return (
    <li className="fault-controls__row" data-testid={`link-faults-${service}-${broker}`}>
      <div className="fault-controls__row-head">
        <strong>{service} ↔ {broker}</strong>
        <span className="fault-controls__states">{kind}</span>
      </div>
      <div className="fault-controls__actions">
        <select value={action} onChange={(event) => setAction(event.target.value as LinkAction)} disabled={disabled} aria-label={`Fault on ${link}`}>
          {actions.map((a) => <option key={a} value={a}>{labels[a]}</option>)}
        </select>
        {action === "latency" ? (
          <>
            <label className="fault-controls__field">ms<input type="number" min={0} max={30_000} value={ms} onChange={(event) => setMs(Number(event.target.value))} disabled={disabled} /></label>
            <label className="fault-controls__field">± ms<input type="number" min={0} max={30_000} value={jitterMs} onChange={(event) => setJitterMs(Number(event.target.value))} disabled={disabled} /></label>
          </>
        ) : null}
        {action === "bandwidth" ? (
          <label className="fault-controls__field">B/s<input type="number" min={64} value={bytesPerSecond} onChange={(event) => setBytesPerSecond(Number(event.target.value))} disabled={disabled} /></label>
        ) : null}
        {action !== "reset" && action !== "closeConnection" ? (
          <label className="fault-controls__field" title="0: until you end it">for s<input type="number" min={0} max={3600} value={seconds} onChange={(event) => setSeconds(Number(event.target.value))} disabled={disabled} /></label>
        ) : null}
        <button type="button" className="fault-controls__button fault-controls__button--primary" disabled={disabled} onClick={apply}>Apply</button>
      </div>
    </li>
  );
}
