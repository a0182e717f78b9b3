"use client";
// The selected producer, consumer or pattern part as runnable code: a tab per language (TypeScript
// with amqplib, kafkajs or node:http; Python with pika, confluent-kafka or the standard library),
// generated from its settings, with the commands that run it and a Copy button. The last language
// chosen is remembered.
import { useEffect, useMemo, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { generatePython } from "../../lib/codegen/python";
import { generateTypeScript } from "../../lib/codegen/typescript";
import type { CodegenSelection, GeneratedCode } from "../../lib/codegen/plan";
import type { Scenario } from "../../lib/scenario/schema";
import { highlight } from "./highlight";
import "./code-view.css";

type Language = "typescript" | "python";
const languages: { id: Language; label: string }[] = [
  { id: "typescript", label: "TypeScript" },
  { id: "python", label: "Python" },
];
const storageKey = "brokerlab.code-language";

function generate(scenario: Scenario, selection: CodegenSelection): Record<Language, GeneratedCode> | { error: string } {
  try {
    return { typescript: generateTypeScript(scenario, selection), python: generatePython(scenario, selection) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function CopyButton(props: { text: string; what: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const reset = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(reset);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <>
      <button type="button" className="button button--small" onClick={copy} aria-label={`Copy ${props.what}`}>
        {state === "copied" ? "Copied" : state === "failed" ? "Select & copy" : "Copy"}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {state === "copied" ? `${props.what} copied to the clipboard.` : ""}
      </span>
    </>
  );
}

export function CodeView(props: { scenario: Scenario; service: string; producer?: string; consumer?: string; pattern?: CodegenSelection["pattern"] }) {
  const { scenario, service, producer, consumer, pattern } = props;
  const [language, setLanguage] = useState<Language>("typescript");
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => {
    const saved = window.localStorage.getItem(storageKey);
    if (saved === "python" || saved === "typescript") setLanguage(saved);
  }, []);
  const choose = (next: Language, focus = false) => {
    setLanguage(next);
    window.localStorage.setItem(storageKey, next);
    if (focus) tabs.current[languages.findIndex((l) => l.id === next)]?.focus();
  };
  const codes = useMemo(
    () => generate(scenario, { service, ...(producer !== undefined ? { producer } : {}), ...(consumer !== undefined ? { consumer } : {}), ...(pattern ? { pattern } : {}) }),
    [scenario, service, producer, consumer, pattern?.kind, pattern?.name],
  );
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    choose(language === "typescript" ? "python" : "typescript", true);
  };

  if ("error" in codes) {
    return (
      <section className="code-view" aria-label="Code">
        <p className="notice">{codes.error}</p>
      </section>
    );
  }
  const code = codes[language];
  const tokens = highlight(code.source, language);
  const part = producer ?? consumer ?? pattern?.name ?? pattern?.kind ?? "";
  const panelId = `code-panel-${service}-${part}`.replace(/[^\w-]/g, "-");

  return (
    <section className="code-view" aria-label={`Code for ${service}/${part}`} data-testid="code-view">
      <div className="code-view__tabs" role="tablist" aria-label="Language">
        {languages.map((entry, index) => (
          <button
            key={entry.id}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${panelId}-${entry.id}`}
            aria-selected={language === entry.id}
            aria-controls={panelId}
            tabIndex={language === entry.id ? 0 : -1}
            className="code-view__tab"
            onClick={() => choose(entry.id)}
            onKeyDown={onTabKey}
          >
            {entry.label}
            <span className="code-view__library">{codes[entry.id].library}</span>
          </button>
        ))}
      </div>
      <div className="code-view__panel" role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${language}`}>
        <div className="code-view__bar">
          <code className="code-view__file">{code.fileName}</code>
          <CopyButton text={code.source} what={`the ${language === "typescript" ? "TypeScript" : "Python"} code`} />
        </div>
        <pre className="code-view__code" tabIndex={0} aria-label={`${code.fileName}, generated code`}>
          <code>
            {tokens.map((token, index) => (token.kind === "plain" ? token.text : <span key={index} className={`tok-${token.kind}`}>{token.text}</span>))}
          </code>
        </pre>
        <div className="code-view__run">
          <span className="muted">Run it against the local stack:</span>
          <pre>
            <code>{code.run.join("\n")}</code>
          </pre>
        </div>
      </div>
    </section>
  );
}
