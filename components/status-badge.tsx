// A status dot and word: Up, Down or Checking…; colour is never the only signal.
export type ServiceState = "up" | "down" | "checking";

const words: Record<ServiceState, string> = { up: "Up", down: "Down", checking: "Checking…" };

export function StatusBadge({ state }: { state: ServiceState }) {
  return (
    <span className={`status-badge status-badge--${state}`} data-testid="status-word">
      <span className="status-dot" aria-hidden="true" />
      {words[state]}
    </span>
  );
}
