"use client";
// The messaging patterns of a run (docs/patterns.md), one tab each for the parts the scenario
// uses: request/reply, the task-queue dashboard, callbacks and webhooks, event-sourcing
// projections. Arrow keys move between tabs.
import { useId, useState } from "react";
import type { KeyboardEvent } from "react";
import type { PatternsReport } from "../../lib/run/patterns";
import { arrowTarget } from "./arrow-keys";
import { count } from "./format";
import { ProjectionsView, type ReplayHandler } from "./projections-view";
import { RequestsView } from "./requests-view";
import { TasksView } from "./tasks-view";
import { WebhooksView } from "./webhooks-view";
import "../run/run.css";
import "./patterns.css";

type Tab = "requests" | "tasks" | "webhooks" | "projections";

interface Props {
  /** The live frame's patterns, or the report's once the run is over (with every task). */
  patterns: PatternsReport;
  onOpenTrace?: (traceId: string) => void;
  /** Present while the run is on. */
  onReplay?: ReplayHandler;
}

function tabsOf(patterns: PatternsReport): { id: Tab; label: string }[] {
  const requests = Object.values(patterns.requests ?? {});
  const tabs: { id: Tab; label: string }[] = [];
  if (requests.length > 0) tabs.push({ id: "requests", label: `Request/reply (${count(requests.reduce((s, r) => s + r.counters.replied, 0))} replied)` });
  if (patterns.tasks) tabs.push({ id: "tasks", label: `Tasks (${count(patterns.tasks.counts.succeeded)}/${count(patterns.tasks.total)} done)` });
  if (patterns.webhooks) tabs.push({ id: "webhooks", label: `Webhooks (${count(patterns.webhooks.deliveries.delivered)} delivered)` });
  if (Object.keys(patterns.projections ?? {}).length > 0) tabs.push({ id: "projections", label: "Event sourcing" });
  return tabs;
}

export function PatternsPanel({ patterns, onOpenTrace, onReplay }: Props) {
  const id = useId();
  const tabs = tabsOf(patterns);
  const [chosen, setChosen] = useState<Tab>();
  const current = tabs.find((t) => t.id === chosen)?.id ?? tabs[0]?.id;
  if (!current) return null;
  const onKeyDown = (event: KeyboardEvent) => {
    const next = arrowTarget(event, tabs.findIndex((t) => t.id === current), tabs.length);
    if (next === undefined) return;
    setChosen(tabs[next]!.id);
    document.getElementById(`${id}-tab-${tabs[next]!.id}`)?.focus();
  };
  return (
    <section className="patterns" aria-label="Patterns" data-testid="patterns-panel">
      <h3 className="run-heading">Patterns</h3>
      <div className="patterns__tabs" role="tablist" aria-label="Patterns in this run" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button key={tab.id} id={`${id}-tab-${tab.id}`} type="button" role="tab" aria-selected={tab.id === current} aria-controls={`${id}-panel`} tabIndex={tab.id === current ? 0 : -1}
            className={`patterns__tab ${tab.id === current ? "is-on" : ""}`} onClick={() => setChosen(tab.id)}>
            {tab.label}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${current}`} className="patterns__panel">
        {current === "requests" ? <RequestsView requests={patterns.requests ?? {}} {...(patterns.repliers ? { repliers: patterns.repliers } : {})} {...(onOpenTrace ? { onOpenTrace } : {})} /> : null}
        {current === "tasks" && patterns.tasks ? <TasksView tasks={patterns.tasks} {...(patterns.allTasks ? { all: patterns.allTasks } : {})} {...(onOpenTrace ? { onOpenTrace } : {})} /> : null}
        {current === "webhooks" && patterns.webhooks ? <WebhooksView webhooks={patterns.webhooks} {...(onOpenTrace ? { onOpenTrace } : {})} /> : null}
        {current === "projections" ? <ProjectionsView projections={patterns.projections ?? {}} {...(onReplay ? { onReplay } : {})} /> : null}
      </div>
    </section>
  );
}
