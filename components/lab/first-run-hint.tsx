"use client";
// The first visit's pointer to the shortest path through the lab: load the first example, run it.
export function FirstRunHint({ onLoad, onDismiss }: { onLoad(): void; onDismiss(): void }) {
  return (
    <div className="lab-hint" role="note" data-testid="first-run-hint">
      <p>
        <b>New here?</b> Open <b>Load ▾ → order-inventory</b>, then press <b>▶ Start</b>: watch orders flow through a queue, then click a message to see its trace.
      </p>
      <div className="lab-hint__actions">
        <button type="button" className="button button--small button--primary" onClick={onLoad}>Load order-inventory</button>
        <button type="button" className="button button--small" onClick={onDismiss}>Got it</button>
      </div>
    </div>
  );
}
