"use client";
// The switch between parent-child and span-link propagation, and what the difference looks like.
import { Popover } from "./popover";

export function TracingToggle({ propagation, disabled, onChange }: { propagation: "parent" | "link"; disabled: boolean; onChange(value: "parent" | "link"): void }) {
  return (
    <div className="lab-tracing" role="group" aria-label="Trace propagation">
      <span className="lab-tracing__label">Traces</span>
      <div className="lab-segmented">
        {(["parent", "link"] as const).map((value) => (
          <button key={value} type="button" className={propagation === value ? "is-on" : ""} aria-pressed={propagation === value} disabled={disabled}
            onClick={() => onChange(value)} data-testid={`tracing-${value}`}>
            {value === "parent" ? "Parent-child" : "Links"}
          </button>
        ))}
      </div>
      <Popover label="?" title="Parent-child or links: what is the difference?" className="lab-icon-button" align="end" panelClassName="lab-explain">
        <h3>How a consumer's span joins the producer's trace</h3>
        <p>
          <b>Parent-child</b>: the consumer's span is a <i>child</i> of the producer's span, in the <i>same trace</i>. Jaeger shows one
          trace per message: the publish in the sending service, then the processing in the receiving one, with the time the message waited in
          the queue as the gap between them.
        </p>
        <p>
          <b>Links</b>: each consumer span starts a <i>new trace</i> that carries a <i>link</i> back to the producer's span. Jaeger shows
          two traces per message (one per side) and a “references” entry to jump between them. This is what the OpenTelemetry messaging
          conventions suggest for batches and for consumers that outlive their producers: a long queue wait does not stretch the producer's trace.
        </p>
        <p className="muted">The switch edits <code>tracing.propagation</code> in the scenario; it applies to the next run.</p>
      </Popover>
    </div>
  );
}
