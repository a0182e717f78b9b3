"use client";
// The state of the page's own live connection to Brokerlab, so a stale page never looks live.
import type { ConnectionState } from "../lib/client/stack-status-store";
import { useStackStatus } from "../lib/client/use-stack-status";

const labels: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  unauthorized: "Token required",
};

export function ConnectionIndicator() {
  const { connection } = useStackStatus();
  return (
    <span className={`connection connection--${connection}`} data-testid="connection-state" data-state={connection} role="status">
      <span className="connection__dot" aria-hidden="true" />
      {labels[connection]}
    </span>
  );
}
