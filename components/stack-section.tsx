"use client";
// The "Stack" section of the home page: one live card per service, a summary read out by screen
// readers when it changes, and a button to check again now.
import type { StackStatus } from "../lib/stack";
import { serviceIds } from "../lib/stack";
import { useStackStatus } from "../lib/client/use-stack-status";
import { ServiceCard } from "./service-card";

const countWords: Record<number, string> = { 3: "three", 4: "four", 5: "five", 6: "six" };

function summary(status: StackStatus | undefined): string {
  if (!status) return "Checking the stack…";
  const down = serviceIds.filter((id) => !status.services[id].up).map((id) => status.services[id].name);
  if (down.length === 0) return `All ${countWords[serviceIds.length] ?? serviceIds.length} services are up.`;
  const names = down.length === 1 ? down[0] : `${down.slice(0, -1).join(", ")} and ${down[down.length - 1]}`;
  return `${names} ${down.length === 1 ? "is" : "are"} down.`;
}

export function StackSection() {
  const { status, connection, refreshing, refreshError, refresh } = useStackStatus();
  const allUp = status !== undefined && serviceIds.every((id) => status.services[id].up);
  return (
    <section className="section" aria-labelledby="stack-heading">
      <div className="section__head">
        <div>
          <h2 id="stack-heading">Stack</h2>
          <p className="section__lead">The real brokers and tracing backend Brokerlab runs on, checked every two seconds.</p>
        </div>
        <button type="button" className="button" onClick={refresh} disabled={refreshing || connection !== "live"}>
          {refreshing ? "Checking…" : "Check now"}
        </button>
      </div>

      <p className={`stack-summary ${allUp ? "stack-summary--ok" : status ? "stack-summary--problem" : ""}`} aria-live="polite" data-testid="stack-summary">
        {summary(status)}
      </p>
      {connection === "reconnecting" && status ? (
        <p className="notice" role="status">
          The live connection to Brokerlab dropped; showing the last status received until it is back.
        </p>
      ) : null}
      {connection === "unauthorized" ? (
        <p className="notice notice--error" role="alert">
          This Brokerlab requires a token: open the page as <code>/?token=…</code>.
        </p>
      ) : null}
      {refreshError ? (
        <p className="notice notice--error" role="alert">
          Could not check the stack: {refreshError.message}
        </p>
      ) : null}

      <div className="service-grid">
        {serviceIds.map((id) => (
          <ServiceCard key={id} id={id} service={status?.services[id]} />
        ))}
      </div>
    </section>
  );
}
