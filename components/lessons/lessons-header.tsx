// The lesson pages' header: Brokerlab's mark and name back to the home page, a trail to where the
// learner is, the sections (the lab one click away), and the live-connection state.
import Link from "next/link";
import { ConnectionIndicator } from "../connection-indicator";
import { LearnerBadge } from "../classroom/learner-badge";
import { SiteNav } from "../site-nav";

export function LessonsHeader({ trail = [] }: { trail?: { label: string; href?: string }[] }) {
  return (
    <header className="site-header lesson-header">
      <div className="site-header__inner lesson-header__inner">
        <div className="lesson-header__left">
          <Link href="/" className="lesson-header__brand" aria-label="Brokerlab home">
            <span className="brand__mark lesson-header__mark" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            <span className="lesson-header__name">Brokerlab</span>
          </Link>
          <nav aria-label="Breadcrumb" className="lesson-trail">
            <ol>
              <li>
                <Link href="/lessons">Lessons</Link>
              </li>
              {trail.map((item) => (
                <li key={item.label}>{item.href ? <Link href={item.href}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}</li>
              ))}
            </ol>
          </nav>
        </div>
        <div className="lesson-header__right">
          <SiteNav current="lessons" />
          <LearnerBadge />
          <ConnectionIndicator />
        </div>
      </div>
    </header>
  );
}
