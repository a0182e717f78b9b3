"use client";
// The inspector's form fields. Each writes one path of the scenario and shows, right under it,
// the validator's own messages for that path. A value the schema rejects is still written (a
// number field holding "abc" writes "abc"), so the message a user sees is the schema's.
import { createContext, useContext, useEffect, useId, useState } from "react";
import type { ReactNode } from "react";
import type { ScenarioProblem } from "../../../lib/scenario/validate";
import { pathKey } from "../../../lib/lab/problems";
import type { DocPath } from "../../../lib/lab/yaml-edit";

export interface FormContextValue {
  byField: Map<string, ScenarioProblem[]>;
  set(path: DocPath, value: unknown): void;
  /** Locked while the YAML does not parse. */
  readOnly: boolean;
}

export const FormContext = createContext<FormContextValue>({ byField: new Map(), set: () => {}, readOnly: true });

function useField(path: DocPath) {
  const context = useContext(FormContext);
  const id = useId();
  const problems = context.byField.get(pathKey(path)) ?? [];
  return { ...context, id, problems, problemId: `${id}-problems` };
}

/** Local text while typing; follows the document when the field is not being edited. */
function useDraft(value: string): [string, (next: string) => void, { onFocus(): void; onBlur(): void }] {
  const [draft, setDraft] = useState(value);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);
  return [draft, setDraft, { onFocus: () => setEditing(true), onBlur: () => setEditing(false) }];
}

export function FieldProblems({ id, problems }: { id: string; problems: readonly ScenarioProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="lab-field__problems" id={id} data-testid="field-problems">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

interface FieldShell {
  label: string;
  path: DocPath;
  hint?: ReactNode;
  testId?: string;
}

function Shell({ label, hint, id, problemId, problems, children, inline }: { label: string; hint?: ReactNode; id: string; problemId: string; problems: ScenarioProblem[]; children: ReactNode; inline?: boolean }) {
  return (
    <div className={`lab-field ${inline ? "lab-field--inline" : ""} ${problems.length ? "lab-field--invalid" : ""}`}>
      <label htmlFor={id} className="lab-field__label">{label}</label>
      {children}
      {hint ? <p className="lab-field__hint">{hint}</p> : null}
      <FieldProblems id={problemId} problems={problems} />
    </div>
  );
}

const display = (value: unknown): string => (value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

export function TextField({ label, path, hint, testId, value, placeholder, keepEmpty, onCommit }: FieldShell & { value: unknown; placeholder?: string; keepEmpty?: boolean; onCommit?(value: string): void }) {
  const { id, problems, problemId, set, readOnly } = useField(path);
  const [draft, setDraft, focus] = useDraft(display(value));
  const commit = (next: string) => {
    setDraft(next);
    if (onCommit) onCommit(next);
    else set(path, next === "" && !keepEmpty ? undefined : next);
  };
  return (
    <Shell label={label} hint={hint} id={id} problemId={problemId} problems={problems}>
      <input id={id} className="lab-input" value={draft} placeholder={placeholder} readOnly={readOnly} onChange={(e) => commit(e.target.value)} {...focus}
        aria-invalid={problems.length > 0} aria-describedby={problems.length ? problemId : undefined} data-testid={testId} spellCheck={false} autoComplete="off" />
    </Shell>
  );
}

export function NumberField({ label, path, hint, testId, value, placeholder, min, step }: FieldShell & { value: unknown; placeholder?: string; min?: number; step?: number }) {
  const { id, problems, problemId, set, readOnly } = useField(path);
  const [draft, setDraft, focus] = useDraft(display(value));
  const commit = (next: string) => {
    setDraft(next);
    const trimmed = next.trim();
    if (trimmed === "") return set(path, undefined);
    const number = Number(trimmed);
    set(path, Number.isFinite(number) && /^-?\d*\.?\d+(e-?\d+)?$/i.test(trimmed) ? number : trimmed);
  };
  return (
    <Shell label={label} hint={hint} id={id} problemId={problemId} problems={problems}>
      <input id={id} className="lab-input lab-input--number" inputMode="decimal" value={draft} placeholder={placeholder} readOnly={readOnly} onChange={(e) => commit(e.target.value)} {...focus}
        aria-invalid={problems.length > 0} aria-describedby={problems.length ? problemId : undefined} data-testid={testId} data-min={min} data-step={step} autoComplete="off" />
    </Shell>
  );
}

export function SelectField({ label, path, hint, testId, value, options, onChoose }: FieldShell & { value: string; options: { value: string; label: string }[]; onChoose?(value: string): void }) {
  const { id, problems, problemId, set, readOnly } = useField(path);
  return (
    <Shell label={label} hint={hint} id={id} problemId={problemId} problems={problems}>
      <select id={id} className="lab-input lab-select" value={value} disabled={readOnly}
        onChange={(e) => (onChoose ? onChoose(e.target.value) : set(path, e.target.value === "" ? undefined : e.target.value))}
        aria-invalid={problems.length > 0} aria-describedby={problems.length ? problemId : undefined} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </Shell>
  );
}

export function CheckField({ label, path, hint, testId, checked }: FieldShell & { checked: boolean }) {
  const { id, problems, problemId, set, readOnly } = useField(path);
  return (
    <div className={`lab-field lab-field--check ${problems.length ? "lab-field--invalid" : ""}`}>
      <label className="lab-check" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} disabled={readOnly} onChange={(e) => set(path, e.target.checked)} data-testid={testId}
          aria-invalid={problems.length > 0} aria-describedby={problems.length ? problemId : undefined} />
        <span>{label}</span>
      </label>
      {hint ? <p className="lab-field__hint">{hint}</p> : null}
      <FieldProblems id={problemId} problems={problems} />
    </div>
  );
}

/** A JSON value (payload, headers): written once it parses; until then the parse error shows. */
export function JsonField({ label, path, hint, testId, value, rows = 6 }: FieldShell & { value: unknown; rows?: number }) {
  const { id, problems, problemId, set, readOnly } = useField(path);
  const [draft, setDraft, focus] = useDraft(value === undefined ? "" : JSON.stringify(value, null, 2));
  const [syntax, setSyntax] = useState<string>();
  const commit = (next: string) => {
    setDraft(next);
    if (next.trim() === "") return (setSyntax(undefined), set(path, undefined));
    try {
      set(path, JSON.parse(next) as unknown);
      setSyntax(undefined);
    } catch (error) {
      setSyntax(`not valid JSON yet: ${(error as Error).message}`);
    }
  };
  const all = syntax ? [{ path: "", message: syntax }, ...problems] : problems;
  return (
    <Shell label={label} hint={hint} id={id} problemId={problemId} problems={all}>
      <textarea id={id} className="lab-input lab-textarea" rows={rows} value={draft} readOnly={readOnly} onChange={(e) => commit(e.target.value)} {...focus}
        aria-invalid={all.length > 0} aria-describedby={all.length ? problemId : undefined} data-testid={testId} spellCheck={false} />
    </Shell>
  );
}

export function Group({ title, children, hint }: { title: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <fieldset className="lab-group">
      <legend>{title}</legend>
      {hint ? <p className="lab-group__hint">{hint}</p> : null}
      {children}
    </fieldset>
  );
}
