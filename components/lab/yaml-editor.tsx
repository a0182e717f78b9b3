"use client";
// The scenario as YAML, editable: every change goes through the same document as the canvas.
// Text that does not parse stays in the editor with its errors listed, and the canvas keeps the
// last version that parsed until it does again.
import { yaml } from "@codemirror/lang-yaml";
import CodeMirror from "@uiw/react-codemirror";
import { useMemo } from "react";
import type { ScenarioProblem } from "../../lib/scenario/validate";

export function YamlEditor({ text, syntax, problems, onChange }: { text: string; syntax: readonly ScenarioProblem[]; problems: readonly ScenarioProblem[]; onChange(text: string): void }) {
  const extensions = useMemo(() => [yaml()], []);
  return (
    <div className="lab-yaml" data-testid="yaml-view">
      <p className="lab-yaml__lead">
        The same scenario as the canvas, in the format of <code>docs/scenario-format.md</code>. Edit either side; the other follows.
      </p>
      <CodeMirror
        value={text}
        extensions={extensions}
        onChange={onChange}
        basicSetup={{ foldGutter: true, highlightActiveLine: true, autocompletion: false }}
        indentWithTab={false}
        className="lab-yaml__editor"
        aria-label="Scenario YAML"
        data-testid="yaml-editor"
      />
      {syntax.length > 0 ? (
        <div className="lab-yaml__problems lab-yaml__problems--syntax" role="alert" data-testid="yaml-syntax">
          <strong>Not valid YAML yet</strong>; the canvas keeps the last version that parsed.
          <ul>{syntax.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
        </div>
      ) : problems.length > 0 ? (
        <div className="lab-yaml__problems" data-testid="yaml-problems">
          <strong>{problems.length} problem{problems.length === 1 ? "" : "s"}</strong>; the run waits until they are fixed.
          <ul>{problems.slice(0, 12).map((p, i) => <li key={i}><code>{p.path || "(document)"}</code> {p.message}</li>)}</ul>
        </div>
      ) : (
        <p className="lab-ok">✓ Valid scenario.</p>
      )}
    </div>
  );
}
