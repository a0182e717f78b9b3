"use client";
// What an empty canvas says: where to start, with the two buttons that start.
export function EmptyState({ onLoadFirst, onAddService }: { onLoadFirst(): void; onAddService(): void }) {
  return (
    <div className="lab-empty" data-testid="lab-empty">
      <div className="lab-empty__card">
        <h2>Load an example or add a service</h2>
        <p>
          A scenario is services that publish and consume messages through queues, exchanges and topics on real brokers.
          Start from the first example, or build your own: add a service with a producer, a queue, and a service with a consumer,
          then drag from each ● to connect them.
        </p>
        <div className="lab-empty__actions">
          <button type="button" className="button button--primary" onClick={onLoadFirst}>Load order-inventory</button>
          <button type="button" className="button" onClick={onAddService}>Add a service</button>
        </div>
        <p className="lab-empty__keys muted">
          Keys: <kbd>S</kbd> service · <kbd>Q</kbd> queue · <kbd>E</kbd> exchange · <kbd>T</kbd> topic · <kbd>?</kbd> all shortcuts
        </p>
      </div>
    </div>
  );
}
