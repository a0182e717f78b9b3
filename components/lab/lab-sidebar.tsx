"use client";
// The panel beside the canvas, in tabs: the inspector, the YAML, sending by hand, the faults of
// the run (beside the services they act on, so a short run can still be disturbed) and the code
// of the selected producer or consumer.
import type { LabDocument } from "../../lib/client/use-lab-document";
import { useRun } from "../../lib/client/use-run";
import { itemOf } from "../../lib/lab/problems";
import { patternKinds } from "../../lib/codegen/pattern-plan";
import type { CodegenSelection } from "../../lib/codegen/plan";
import type { Scenario } from "../../lib/scenario/schema";
import { CodeView } from "../code/code-view";
import { FaultControls } from "../faults/fault-controls";
import type { Selection } from "./canvas/lab-canvas";
import { Inspector } from "./inspector/inspector";
import type { LabEditor } from "./inspector/form";
import { SendPanel } from "./send-panel";
import { YamlEditor } from "./yaml-editor";

export type SidebarTab = "inspect" | "yaml" | "send" | "faults" | "code";
const tabs: { id: SidebarTab; label: string }[] = [
  { id: "inspect", label: "Inspector" },
  { id: "yaml", label: "YAML" },
  { id: "send", label: "Send" },
  { id: "faults", label: "Faults" },
  { id: "code", label: "Code" },
];

/** A pattern part selected on the canvas (`services.<i>.<kind>[.<j>]`), as the code generator names it. */
function patternSelection(scenario: Scenario | undefined, service: string, path: readonly (string | number)[]): CodegenSelection["pattern"] {
  const kind = String(path[2]) as NonNullable<CodegenSelection["pattern"]>["kind"];
  if (!scenario || !(patternKinds as readonly string[]).includes(kind)) return undefined;
  const value = (scenario.services.find((s) => s.name === service) as Record<string, unknown> | undefined)?.[kind];
  const item = Array.isArray(value) && typeof path[3] === "number" ? (value[path[3]] as { name?: string } | undefined) : undefined;
  return { kind, ...(item?.name ? { name: item.name } : {}) };
}

/** The fault controls of the run the lab shows, for the scenario it runs. */
function RunFaults({ scenario }: { scenario: Scenario | undefined }) {
  const runId = useRun((v) => v.runId);
  const frame = useRun((v) => v.frames[v.frames.length - 1]);
  if (!runId || !scenario) {
    return <p className="lab-panel-note">Start a run, then kill, pause, restart or slow its services here, cut or slow their links to the brokers, or stop a broker, and watch the canvas react.</p>;
  }
  return <FaultControls runId={runId} scenario={scenario} frame={frame} />;
}

export function LabSidebar({ tab, onTab, doc, selection, editor, readOnly }: { tab: SidebarTab; onTab(tab: SidebarTab): void; doc: LabDocument; selection: Selection | undefined; editor: LabEditor; readOnly: boolean }) {
  const { analysis, model } = doc;
  const item = selection ? itemOf(selection.path) : undefined;
  const service = item && item.kind !== "scenario" && selection?.path[0] === "services" ? model.services[selection.path[1] as number] : undefined;
  const producer = item?.kind === "producer" ? service?.producers[selection!.path[3] as number] : undefined;
  const consumer = item?.kind === "consumer" ? service?.consumers[selection!.path[3] as number] : undefined;
  const pattern = item?.kind === "pattern" && service ? patternSelection(analysis.scenario, service.name, selection!.path) : undefined;
  return (
    <aside className="lab-sidebar" aria-label="Scenario details">
      <div className="lab-tabs" role="tablist" aria-label="Panels">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" id={`lab-tab-${t.id}`} aria-selected={tab === t.id} aria-controls={`lab-panel-${t.id}`}
            className={`lab-tab ${tab === t.id ? "is-active" : ""}`} onClick={() => onTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
            {t.id === "yaml" && (analysis.syntax.length > 0 || analysis.problems.length > 0) ? <span className="lab-tab__badge">{analysis.syntax.length || analysis.problems.length}</span> : null}
          </button>
        ))}
      </div>
      <div className="lab-sidebar__body" role="tabpanel" id={`lab-panel-${tab}`} aria-labelledby={`lab-tab-${tab}`}>
        {tab === "inspect" ? (
          <Inspector onShowYaml={() => onTab("yaml")} onShowCode={() => onTab("code")} selection={selection?.path} raw={analysis.raw} model={model} problems={analysis.problems} editor={editor} readOnly={readOnly} />
        ) : null}
        {tab === "yaml" ? <YamlEditor text={analysis.text} syntax={analysis.syntax} problems={analysis.problems} onChange={(text) => doc.setText(text, "typing")} /> : null}
        {tab === "send" ? <SendPanel model={model} {...(service && producer ? { preferred: `${service.name}/${producer.name}` } : {})} /> : null}
        {tab === "faults" ? <RunFaults scenario={analysis.scenario} /> : null}
        {tab === "code" ? (
          analysis.scenario && service && (producer || consumer || pattern) ? (
            <CodeView scenario={analysis.scenario} service={service.name} {...(producer ? { producer: producer.name } : {})} {...(consumer ? { consumer: consumer.name } : {})} {...(pattern ? { pattern } : {})} />
          ) : (
            <p className="lab-panel-note">
              {analysis.scenario ? "Select a producer, a consumer or a pattern part (requester, worker, projection…) on the canvas to see it as runnable code." : "The code appears once the scenario is valid; fix the problems listed in the inspector first."}
            </p>
          )
        ) : null}
      </div>
    </aside>
  );
}
