// One service of the stack: whether it is up, where Brokerlab looks for it, and, when it is down,
// why and the exact command that brings it back.
import type { ServiceId, ServiceStatus } from "../lib/stack";
import { serviceNames, serviceRoles } from "../lib/stack";
import { CopyCommand } from "./copy-command";
import { ServiceLinks } from "./service-links";
import { StatusBadge } from "./status-badge";

export function ServiceCard({ id, service }: { id: ServiceId; service?: ServiceStatus }) {
  const state = service === undefined ? "checking" : service.up ? "up" : "down";
  const headingId = `service-${id}-name`;
  return (
    <article className={`service-card service-card--${state}`} data-testid={`service-${id}`} data-status={state} aria-labelledby={headingId}>
      <header className="service-card__header">
        <span className={`service-mark service-mark--${id}`} aria-hidden="true">
          {serviceNames[id].charAt(0)}
        </span>
        <h3 id={headingId} className="service-card__name">
          {serviceNames[id]}
        </h3>
        <StatusBadge state={state} />
      </header>
      <p className="service-card__role">{serviceRoles[id]}</p>

      {service ? (
        <dl className="service-facts">
          <div>
            <dt>Endpoint</dt>
            <dd>
              <code data-testid="service-url">{service.url}</code>
            </dd>
          </div>
          {service.version || service.up ? (
            <div>
              <dt>Version</dt>
              <dd>{service.version ?? <span className="muted">not reported</span>}</dd>
            </div>
          ) : null}
          {service.up && service.detail ? (
            <div>
              <dt>Check</dt>
              <dd className="muted">{service.detail}</dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p className="service-card__placeholder muted">Asking {serviceNames[id]} whether it is there…</p>
      )}

      {service && !service.up ? (
        <div className="service-problem" data-testid="service-problem">
          <p className="service-problem__reason">
            <strong>Why: </strong>
            {service.detail ?? "It does not answer."}
          </p>
          {service.fix ? (
            <>
              <p className="service-problem__label">Start it from the Brokerlab folder:</p>
              <CopyCommand command={service.fix.command} />
              {service.fix.hint ? <p className="service-problem__hint">{service.fix.hint}</p> : null}
            </>
          ) : null}
        </div>
      ) : null}

      {service ? <ServiceLinks links={service.links} /> : null}
    </article>
  );
}
