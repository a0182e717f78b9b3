"use client";
// The inspector: the form of whatever is selected, or the scenario's own settings (name, brokers,
// tracing, faults) and every problem of the document when nothing is.
import { stringify } from "yaml";
import { faultActions, faultTargets } from "../../../lib/scenario/faults";
import type { FaultAction } from "../../../lib/scenario/faults";
import type { ScenarioProblem } from "../../../lib/scenario/validate";
import { valueAt } from "../../../lib/lab/edits";
import type { LabModel } from "../../../lib/lab/model";
import { brokerKind, isRecord } from "../../../lib/lab/model";
import { itemOf, parsePath } from "../../../lib/lab/problems";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { Group, NumberField, SelectField, TextField } from "./fields";
import { Form } from "./form";
import type { FormProps, LabEditor } from "./form";
import { formsOf, itemFormOf } from "./broker-forms";
import { ConsumerForm, ProducerForm, ServiceForm } from "./service-forms";

export interface InspectorProps {
  /** Opens the YAML tab (for parts the inspector shows but does not edit field by field). */
  onShowYaml?(): void;
  /** Opens the Code tab, which shows the selection as a runnable program. */
  onShowCode?(): void;
  selection: DocPath | undefined;
  raw: unknown;
  model: LabModel;
  problems: readonly ScenarioProblem[];
  editor: LabEditor;
  readOnly: boolean;
}

export function Inspector(props: InspectorProps) {
  const { selection, raw } = props;
  const path = selection && valueAt(raw, selection) !== undefined ? selection : undefined;
  const form: FormProps = { ...props, path: path ?? [] };
  const kind = path ? itemOf(path).kind : "scenario";
  // A resource's form is its broker kind's (an SQS queue has settings of its own).
  const ItemForm = path?.[0] === "resources" ? itemFormOf(brokerKind(props.model, String(path[1])), kind) : undefined;
  return (
    // Escape leaves a field (keeping the selection), so the canvas shortcuts work again.
    <div className="lab-inspector" data-testid="inspector" onKeyDown={(e) => e.key === "Escape" && e.target instanceof HTMLElement && e.target.blur()}>
      {kind === "service" ? <ServiceForm {...form} /> : null}
      {kind === "producer" ? <ProducerForm {...form} /> : null}
      {kind === "consumer" ? <ConsumerForm {...form} /> : null}
      {ItemForm ? <ItemForm {...form} /> : null}
      {kind === "pattern" ? <PatternForm {...form} onShowYaml={props.onShowYaml} onShowCode={props.onShowCode} /> : null}
      {kind === "scenario" ? <ScenarioForm {...form} /> : null}
    </div>
  );
}

/** Request/reply, tasks, HTTP APIs and projections (docs/patterns.md): shown as they are written, edited in the YAML, runnable from the Code tab. */
function PatternForm({ path, raw, problems, editor, readOnly, onShowYaml, onShowCode }: FormProps & { onShowYaml?(): void; onShowCode?(): void }) {
  const item = valueAt(raw, path);
  const name = isRecord(item) && typeof item.name === "string" ? item.name : String(path[path.length - 1]);
  return (
    <Form kind={String(path[2])} title={name} lead="A messaging pattern of this service (docs/patterns.md). The canvas draws its links; edit its settings in the YAML, or see it as a runnable TypeScript or Python program."
      path={path} fields={[]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <pre className="lab-pattern-yaml" data-testid="pattern-yaml">{stringify(item, { lineWidth: 0 })}</pre>
      {onShowYaml ? <button type="button" className="button button--small" onClick={onShowYaml}>Edit in the YAML tab</button> : null}
      {onShowCode ? <button type="button" className="button button--small" onClick={onShowCode} data-testid="pattern-show-code">See it as code</button> : null}
    </Form>
  );
}

const scenarioFields: DocPath[] = [["version"], ["name"], ["description"], ["tracing"], ["brokers"], ["faults"]];
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);

function ScenarioForm({ raw, model, problems, editor, readOnly }: FormProps) {
  const doc = isRecord(raw) ? raw : {};
  const brokers = isRecord(doc.brokers) ? doc.brokers : {};
  const faults = Array.isArray(doc.faults) ? doc.faults : [];
  const services = model.services.map((s) => s.name);
  const queues = model.resources.filter((r) => r.kind === "queue").map((r) => r.name);
  return (
    <Form kind="scenario" title={str(doc.name, "(unnamed scenario)")} lead="Nothing is selected: these are the scenario's own settings. Click a node on the canvas to edit it."
      path={[]} fields={[...scenarioFields, ...Object.keys(brokers).flatMap((name) => [["brokers", name, "url"], ["brokers", name, "endpoint"]])]} problems={problems.filter((p) => itemOf(parsePath(p.path)).kind === "scenario")} editor={editor} readOnly={readOnly}>
      <TextField label="Scenario name" path={["name"]} value={doc.name} keepEmpty testId="field-scenario-name" />
      <TextField label="Description" path={["description"]} value={doc.description} />
      <Group title="Brokers" hint="Where the resources live. URLs default to the local stack (RABBITMQ_URL, KAFKA_BROKERS, AWS_ENDPOINT_URL).">
        {Object.entries(brokers).map(([name, value]) => {
          const broker = isRecord(value) ? value : {};
          const address = formsOf(broker.kind)?.address;
          return (
            <div key={name} className="lab-broker-row">
              <span className="lab-broker-row__name">{name}</span>
              <span className="lab-chip">{str(broker.kind, "?")}</span>
              {address ? <TextField label={address.label} path={["brokers", name, address.key]} value={broker[address.key]} placeholder={address.placeholder} /> : null}
            </div>
          );
        })}
        {Object.keys(brokers).length === 0 ? <p className="muted lab-small">None yet: adding a queue or exchange declares a RabbitMQ broker, adding a topic a Kafka one, the Amazon menu an Amazon one.</p> : null}
      </Group>
      <Group title="Faults" hint="Scheduled during a run: kill, pause or slow a service, cut its link to a broker, stop a broker… More parameters (for, ms) in the YAML.">
        {faults.map((fault: unknown, i: number) => {
          const f = isRecord(fault) ? fault : {};
          const action = (Object.keys(f).find((k) => Object.hasOwn(faultTargets, k)) ?? "kill") as FaultAction;
          const targets = faultTargets[action] === "service" ? services : faultTargets[action] === "broker" ? model.brokers.map((b) => b.name) : queues;
          return (
            <div key={i} className="lab-fault-row">
              <TextField label="At" path={["faults", i, "at"]} value={f.at} placeholder="5s" />
              <SelectField label="Action" path={["faults", i, action]} value={action} options={faultActions.map((a) => ({ value: a, label: a }))}
                onChoose={(next) => editor.set(["faults", i], { at: f.at ?? "5s", [next]: "" })} />
              <SelectField label={faultTargets[action]} path={["faults", i, "target"]} value={str(f[action])}
                options={[{ value: "", label: "(choose)" }, ...targets.map((t) => ({ value: t, label: t }))]}
                onChoose={(target) => editor.set(["faults", i, action], target)} />
              <button type="button" className="button button--small" disabled={readOnly} onClick={() => editor.remove(["faults", i])} aria-label={`Remove fault ${i + 1}`}>Remove</button>
            </div>
          );
        })}
        <button type="button" className="button button--small" disabled={readOnly || services.length === 0}
          onClick={() => editor.set(["faults", faults.length], { at: "5s", kill: services[services.length - 1] ?? "" })}>
          + Fault
        </button>
      </Group>
      <NumberField label="Format version" path={["version"]} value={doc.version} />
      <AllProblems problems={problems} editor={editor} />
    </Form>
  );
}

function AllProblems({ problems, editor }: { problems: readonly ScenarioProblem[]; editor: LabEditor }) {
  if (problems.length === 0) return <p className="lab-ok" data-testid="scenario-valid">✓ The scenario is valid.</p>;
  return (
    <Group title={`Problems (${problems.length})`} hint="Click one to select the item it belongs to.">
      <ul className="lab-problem-list" data-testid="all-problems">
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" className="lab-link-button" onClick={() => editor.select(itemOf(parsePath(p.path)).path)}>
              <code>{p.path || "(document)"}</code> {p.message}
            </button>
          </li>
        ))}
      </ul>
    </Group>
  );
}
