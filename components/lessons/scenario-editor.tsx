"use client";
// The step's scenario as YAML the learner edits, validated as they type with the same rules the
// server applies, so a mistake is named (by its path) before anything runs.
import { useMemo } from "react";
import { parseScenarioText } from "../../lib/scenario/validate";

export function ScenarioEditor({ text, onChange, disabled }: { text: string; onChange: (text: string) => void; disabled?: boolean }) {
  const verdict = useMemo(() => (text.trim() ? parseScenarioText(text) : undefined), [text]);
  const summary = verdict?.ok
    ? `${verdict.scenario.services.length} service${verdict.scenario.services.length === 1 ? "" : "s"} on ${Object.keys(verdict.scenario.brokers).join(", ")}`
    : undefined;
  return (
    <div className="lesson-editor">
      <label htmlFor="lesson-scenario" className="lesson-editor__label">
        Scenario <span className="muted">(YAML)</span>
      </label>
      <textarea
        id="lesson-scenario"
        className="lesson-editor__text"
        data-testid="scenario-editor"
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
      {verdict ? (
        verdict.ok ? (
          <p className="lesson-editor__verdict lesson-editor__verdict--ok" data-testid="scenario-verdict" data-valid="true">
            Valid scenario “{verdict.scenario.name}”: {summary}.
          </p>
        ) : (
          <div className="lesson-editor__verdict lesson-editor__verdict--bad" data-testid="scenario-verdict" data-valid="false">
            <p>Brokerlab would refuse this scenario:</p>
            <ul>
              {verdict.problems.slice(0, 3).map((problem, i) => (
                <li key={i}>
                  {problem.path ? <code>{problem.path}</code> : null} {problem.message}
                </li>
              ))}
              {verdict.problems.length > 3 ? <li>…and {verdict.problems.length - 3} more</li> : null}
            </ul>
          </div>
        )
      ) : null}
    </div>
  );
}
