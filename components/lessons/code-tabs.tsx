"use client";
// The same program in several languages, one tab each (the course shows TypeScript, Python and Java).
import { useState } from "react";
import type { CodeSample } from "../../lib/lessons/schema";

export function CodeTabs({ samples }: { samples: CodeSample[] }) {
  const [active, setActive] = useState(0);
  const sample = samples[Math.min(active, samples.length - 1)]!;
  return (
    <section className="lesson-code" aria-label="The same code by hand">
      <div className="lesson-code__tabs" role="tablist">
        {samples.map((s, i) => (
          <button key={s.label} type="button" role="tab" aria-selected={i === active} className={`lesson-code__tab ${i === active ? "lesson-code__tab--active" : ""}`} onClick={() => setActive(i)}>
            {s.label}
          </button>
        ))}
      </div>
      <pre className="lesson-code__body" role="tabpanel" aria-label={sample.label}>
        <code>{sample.source}</code>
      </pre>
    </section>
  );
}
