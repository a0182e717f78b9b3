"use client";
// What is wrong right now, above the canvas: a command the server refused (with its problems), a
// broker the scenario needs that is down (with the command that starts it), a lost connection.
import { kindsDown, stackServiceOf } from "../../lib/brokers";
import type { StackView } from "../../lib/client/stack-status-store";
import type { ErrorCode, ErrorPayload } from "../../lib/errors";
import type { BrokerKind } from "../../lib/lab/model";
import { CopyCommand } from "../copy-command";

const refusalHeadings: Partial<Record<ErrorCode, string>> = {
  INVALID_INPUT: "The server refused the scenario.",
  BROKER_UNAVAILABLE: "A broker is unavailable.",
  LIMIT_REACHED: "Brokerlab runs as much as it may at once.",
  RATE_LIMITED: "Too many commands at once; your runs carry on.",
};

export interface LabBannersProps {
  stack: StackView;
  usedKinds: ReadonlySet<BrokerKind>;
  running: boolean;
  /** What the server answered to the last command that failed. */
  error: ErrorPayload | undefined;
  onDismissError(): void;
}

export function LabBanners({ stack, usedKinds, running, error, onDismissError }: LabBannersProps) {
  const status = stack.status;
  const down = status
    ? kindsDown(usedKinds, (id) => status.services[id].up).map((kind) => status.services[stackServiceOf(kind)])
    : [];
  const jaeger = status?.services.jaeger;
  return (
    <div className="lab-banners" aria-live="polite">
      {error ? (
        <div className="notice notice--error lab-banner" role="alert" data-testid="run-error">
          <div className="lab-banner__body">
            <strong>{refusalHeadings[error.code] ?? "The run could not go on."}</strong>{" "}
            {error.message}
            {error.problems && error.problems.length > 0 ? (
              <ul>{error.problems.slice(0, 6).map((p, i) => <li key={i}><code>{p.path}</code> {p.message}</li>)}</ul>
            ) : null}
          </div>
          <button type="button" className="lab-icon-button" onClick={onDismissError} aria-label="Dismiss">×</button>
        </div>
      ) : null}
      {down.map((service) => (
        <div key={service.id} className="notice notice--error lab-banner" role="alert" data-testid={`broker-down-${service.id}`}>
          <div className="lab-banner__body">
            <strong>{service.name} is down{running ? " during the run" : ""}.</strong> {service.detail ?? "It does not answer."} Its nodes are marked on the canvas
            {running ? "; producers and consumers on it reconnect once it is back." : "; the run cannot start until it is back."}
            {service.fix ? (
              <>
                <span className="lab-banner__label">Start it from the Brokerlab folder:</span>
                <CopyCommand command={service.fix.command} />
              </>
            ) : null}
          </div>
        </div>
      ))}
      {jaeger && !jaeger.up ? (
        <div className="notice lab-banner" role="status" data-testid="jaeger-down">
          <div className="lab-banner__body">
            <strong>Jaeger is down:</strong> messages still flow, but no traces are recorded.
            {jaeger.fix ? <CopyCommand command={jaeger.fix.command} /> : null}
          </div>
        </div>
      ) : null}
      {stack.connection === "reconnecting" ? (
        <p className="notice lab-banner" role="status">The live connection to Brokerlab dropped; reconnecting. The run carries on on the server and this page catches up when it is back.</p>
      ) : null}
      {stack.connection === "unauthorized" ? (
        <p className="notice notice--error lab-banner" role="alert">This Brokerlab requires a token: open the page as <code>/lab?token=…</code>.</p>
      ) : null}
    </div>
  );
}
