"use client";
// The faults in effect now, each with what it does, for how long, and a button that ends it.
import type { ActiveFault } from "../../lib/run/model";

function age(fault: ActiveFault, now: number): string {
  const since = Math.max(0, Math.round((now - fault.since) / 1000));
  const left = fault.until === undefined ? "" : `, ends in ${Math.max(0, Math.ceil((fault.until - now) / 1000))} s`;
  return `${since} s${left}`;
}

export function ActiveFaults({ faults, now, disabled, onEnd }: { faults: ActiveFault[]; now: number; disabled: boolean; onEnd(fault: ActiveFault): void }) {
  if (faults.length === 0) return <p className="fault-controls__empty">No fault is active.</p>;
  return (
    <ul className="fault-controls__active" aria-label="Active faults">
      {faults.map((fault) => (
        <li key={fault.id} className="fault-controls__active-item" data-testid={`active-fault-${fault.id}`}>
          <span className={`fault-controls__badge fault-controls__badge--${fault.action}`}>{fault.action}</span>
          <span className="fault-controls__detail">
            {fault.detail}
            <small> · {age(fault, now)}</small>
          </span>
          <button type="button" className="fault-controls__button" disabled={disabled} onClick={() => onEnd(fault)} aria-label={`End ${fault.detail}`}>
            End
          </button>
        </li>
      ))}
    </ul>
  );
}
