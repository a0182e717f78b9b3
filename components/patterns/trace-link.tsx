// A trace id as a button that opens the trace under the run panel, or plain text without a handler.
export function TraceLink({ traceId, onOpenTrace }: { traceId?: string; onOpenTrace?: (traceId: string) => void }) {
  if (!traceId) return <span className="muted" title="This message was not traced (see Untraced in the ledger)">–</span>;
  if (!onOpenTrace) return <code>{traceId.slice(0, 8)}</code>;
  return (
    <button type="button" className="link-button" onClick={() => onOpenTrace(traceId)} aria-label={`Open trace ${traceId}`}>
      <code>{traceId.slice(0, 8)}</code>
    </button>
  );
}
