// The sections every header links to, so the lab, the lessons, the traces and the run history are one click from each other.
import Link from "next/link";

const sections = [
  { id: "stack", href: "/", label: "Stack" },
  { id: "lab", href: "/lab", label: "Lab" },
  { id: "lessons", href: "/lessons", label: "Lessons" },
  { id: "traces", href: "/traces", label: "Traces" },
  { id: "runs", href: "/runs", label: "Runs" },
  // Learners do not need it: it shows only on its own page (the lessons page links to it).
  { id: "teacher", href: "/teacher", label: "Teacher", onlyWhenCurrent: true },
] as const;

export type SiteSection = (typeof sections)[number]["id"];

export function SiteNav({ current }: { current: SiteSection }) {
  return (
    <nav className="site-nav" aria-label="Sections">
      {sections.filter((s) => !("onlyWhenCurrent" in s) || s.id === current).map((s) => (
        <Link key={s.id} href={s.href} data-testid={`nav-${s.id}`} {...(s.id === current ? { "aria-current": "page" as const } : {})}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
