// The lab's compact header: the brand (a link home), the sections (stack, lab, lessons), and the
// live connection.
import Link from "next/link";
import { ConnectionIndicator } from "../connection-indicator";
import { LearnerBadge } from "../classroom/learner-badge";
import { SiteNav } from "../site-nav";

export function LabHeader() {
  return (
    <header className="site-header lab-header">
      <div className="lab-header__inner">
        <Link href="/" className="brand lab-brand" aria-label="Brokerlab home">
          <span className="brand__mark lab-brand__mark" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="lab-brand__name">Brokerlab</span>
        </Link>
        <SiteNav current="lab" />
        <p className="lab-header__tagline">Build a topology, run it on real brokers, watch every message.</p>
        <LearnerBadge />
        <ConnectionIndicator />
      </div>
    </header>
  );
}
