// The page header: the name, what Brokerlab is in one line, the sections, and the live-connection
// state.
import { ConnectionIndicator } from "./connection-indicator";
import { LearnerBadge } from "./classroom/learner-badge";
import { SiteNav } from "./site-nav";
import type { SiteSection } from "./site-nav";

export function SiteHeader({ section = "stack" }: { section?: SiteSection }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <div>
            <h1 className="brand__name">Brokerlab</h1>
            <p className="brand__tagline">An observability-first messaging playground: real RabbitMQ, Kafka and Amazon SQS/SNS, every message traced.</p>
          </div>
        </div>
        <div className="site-header__end">
          <SiteNav current={section} />
          <LearnerBadge />
          <ConnectionIndicator />
        </div>
      </div>
    </header>
  );
}
