"use client";
// The frame of every inspector form: a title, what the item is in one line, a delete button, the
// problems that belong to no single field, and the form context that routes the rest to fields.
import { useMemo } from "react";
import type { ReactNode } from "react";
import type { ScenarioProblem } from "../../../lib/scenario/validate";
import { problemsByField } from "../../../lib/lab/problems";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { Endpoint } from "../../../lib/lab/edits";
import type { LabModel } from "../../../lib/lab/model";
import { FieldProblems, FormContext } from "./fields";

/** What the inspector may do to the scenario; the lab page implements it with lib/lab/edits. */
export interface LabEditor {
  set(path: DocPath, value: unknown): void;
  rename(path: DocPath, name: string): void;
  remove(path: DocPath): void;
  addProducer(serviceIndex: number): void;
  addConsumer(serviceIndex: number): void;
  connect(source: Endpoint, target: Endpoint): void;
  select(path: DocPath | undefined): void;
}

export interface FormProps {
  path: DocPath;
  raw: unknown;
  model: LabModel;
  problems: readonly ScenarioProblem[];
  editor: LabEditor;
  readOnly: boolean;
}

export function Form({
  kind, title, lead, path, fields, problems, editor, readOnly, children, onDelete, deleteLabel,
}: {
  kind: string; title: string; lead?: ReactNode; path: DocPath; fields: readonly DocPath[]; problems: readonly ScenarioProblem[];
  editor: LabEditor; readOnly: boolean; children: ReactNode; onDelete?(): void; deleteLabel?: string;
}) {
  const { byField, rest } = useMemo(() => problemsByField(problems, path, fields.map((f) => [...path, ...f])), [problems, path, fields]);
  const context = useMemo(() => ({ byField, set: editor.set, readOnly }), [byField, editor.set, readOnly]);
  return (
    <FormContext.Provider value={context}>
      <div className="lab-form" data-testid={`inspector-${kind}`}>
        <header className="lab-form__head">
          <div>
            <p className="lab-form__kind">{kind}</p>
            <h2 className="lab-form__title">{title}</h2>
          </div>
          {onDelete ? (
            <button type="button" className="button button--danger button--small" onClick={onDelete} disabled={readOnly} title="Delete (Del)">
              {deleteLabel ?? "Delete"}
            </button>
          ) : null}
        </header>
        {lead ? <p className="lab-form__lead">{lead}</p> : null}
        {rest.length > 0 ? (
          <div className="lab-form__problems" role="group" aria-label="Problems">
            <FieldProblems id={`${kind}-problems`} problems={rest.map((p) => ({ ...p, message: `${p.path}: ${p.message}` }))} />
          </div>
        ) : null}
        {children}
      </div>
    </FormContext.Provider>
  );
}
