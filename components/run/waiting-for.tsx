// What a run that ends once drained still waits for, in words ("12 messages in order_queue"), so a
// run that goes on does not look stuck. Shown only while the engine reports something.
import type { RunFrame } from "../../lib/run/model";

export function WaitingFor({ frame }: { frame: RunFrame | undefined }) {
  const reasons = frame?.status === "running" ? frame.waitingFor : undefined;
  if (!reasons || reasons.length === 0) return null;
  return (
    <p className="run-waiting" role="status" data-testid="run-waiting-for">
      <strong>Waiting for:</strong> {reasons.join("; ")}
    </p>
  );
}
