// Links to a service's own tools; a tool that is not there is said so, never a dead link.
import type { ServiceLink } from "../lib/stack";

export function ServiceLinks({ links }: { links: ServiceLink[] }) {
  if (links.length === 0) return null;
  return (
    <ul className="service-links">
      {links.map((link) =>
        link.available ? (
          <li key={link.label}>
            <a href={link.url} target="_blank" rel="noreferrer" className="service-link">
              {link.label}
              <span aria-hidden="true"> ↗</span>
            </a>
          </li>
        ) : (
          <li key={link.label} className="service-link service-link--unavailable" data-testid="link-unavailable">
            <span className="service-link__label">{link.label}</span>
            {link.note ? <span className="service-link__note">{link.note}</span> : null}
          </li>
        ),
      )}
    </ul>
  );
}
