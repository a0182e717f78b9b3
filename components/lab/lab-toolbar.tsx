"use client";
// The lab's toolbar: scenario files, adding parts, undo/redo and layout.
import type { BrokerKind } from "../../lib/brokers";
import type { PaletteItem } from "../../lib/lab/broker-view";
import type { AwsAddition, ResourceKind } from "../../lib/lab/edits";
import { AwsAddMenu } from "./aws-add-menu";
import { BrokerAddMenus } from "./broker-add-menu";
import { ScenarioMenu } from "./scenario-menu";
import type { ScenarioMenuProps } from "./scenario-menu";

export interface LabToolbarProps extends ScenarioMenuProps {
  editable: boolean;
  onAddService(): void;
  onAddProducer(): void;
  onAddConsumer(): void;
  onAddResource(kind: ResourceKind): void;
  onAddAws(what: AwsAddition): void;
  /** An entry of a broker kind's own menu (lib/lab/broker-view.ts: palette). */
  onAddFromMenu(kind: BrokerKind, item: PaletteItem): void;
  onUndo(): void;
  onRedo(): void;
  canUndo: boolean;
  canRedo: boolean;
  onTidy(): void;
}

function AddButton({ label, shortcut, onClick, disabled, testId, icon }: { label: string; shortcut: string; onClick(): void; disabled: boolean; testId: string; icon: string }) {
  return (
    <button type="button" className="button lab-add" onClick={onClick} disabled={disabled} title={`${label} (${shortcut})`} data-testid={testId} aria-keyshortcuts={shortcut}>
      <span className="lab-add__icon" aria-hidden="true">{icon}</span>
      {label}
    </button>
  );
}

export function LabToolbar(props: LabToolbarProps) {
  const { editable } = props;
  return (
    <div className="lab-toolbar" role="toolbar" aria-label="Lab tools">
      <div className="lab-toolbar__scenario">
        <ScenarioMenu text={props.text} name={props.name} onLoad={props.onLoad} onNew={props.onNew} notify={props.notify} />
      </div>
      <div className="lab-toolbar__group" role="group" aria-label="Add">
        <span className="lab-toolbar__label">Add</span>
        <AddButton label="Service" icon="⬢" shortcut="S" onClick={props.onAddService} disabled={!editable} testId="add-service" />
        <AddButton label="Producer" icon="↗" shortcut="P" onClick={props.onAddProducer} disabled={!editable} testId="add-producer" />
        <AddButton label="Consumer" icon="↘" shortcut="C" onClick={props.onAddConsumer} disabled={!editable} testId="add-consumer" />
        <AddButton label="Queue" icon="▤" shortcut="Q" onClick={() => props.onAddResource("queue")} disabled={!editable} testId="add-queue" />
        <AddButton label="Exchange" icon="⇄" shortcut="E" onClick={() => props.onAddResource("exchange")} disabled={!editable} testId="add-exchange" />
        <AddButton label="Topic" icon="☰" shortcut="T" onClick={() => props.onAddResource("topic")} disabled={!editable} testId="add-topic" />
        <AwsAddMenu onAdd={props.onAddAws} disabled={!editable} />
        <BrokerAddMenus onAdd={props.onAddFromMenu} disabled={!editable} />
      </div>
      <div className="lab-toolbar__group" role="group" aria-label="Edit">
        <button type="button" className="button button--ghost" onClick={props.onUndo} disabled={!props.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
        <button type="button" className="button button--ghost" onClick={props.onRedo} disabled={!props.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
        <button type="button" className="button button--ghost" onClick={props.onTidy} title="Lay the graph out again (L)">Tidy</button>
      </div>
    </div>
  );
}
